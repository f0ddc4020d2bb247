/**
 * The demo login `citizen`'s own cases, so that 我的诉求 / My messages shows
 * what a resident of the demo city would see: one reply waiting for their
 * rating, one closed and rated satisfied, one in progress due soon, one
 * reworked after an unsatisfied rating, and one suggestion a bureau adopted
 * into its work plan. Each takes the place of a history case submitted near the
 * wanted time, so the history keeps its size and order; the timelines go
 * through the same historical path as the rest of the history. Pure and
 * deterministic.
 */
import {
  replayHistoricalCase,
  type CaseKind,
  type HistoricalCaseInput,
  type HistoricalStep,
} from '../modules/voices/index.ts';
import type { DemoCity, DemoDepartment } from './demo-city.ts';
import { routeDemo } from './demo-history.ts';
import { createRandom, type Random } from './random.ts';
import { issueTrackingCode } from '../platform/index.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

type ReplayedCaseOf = ReturnType<typeof replayHistoricalCase>;

/** The states the citizen's cases show, one case each. */
export const DEMO_CITIZEN_STORIES = [
  'closed_satisfied',
  'suggestion_adopted',
  'reworked',
  'in_progress_due_soon',
  'awaiting_rating',
] as const;
export type DemoCitizenStory = (typeof DEMO_CITIZEN_STORIES)[number];

export interface DemoCitizenOptions {
  /** The end of the history (the loader's anchor): the citizen's "now". */
  readonly now: Date;
  /** The `citizen` account's user id. */
  readonly citizenUserId: number;
}

/** What the loader does after writing the history: the bureau adopts the suggestion into its work plan. */
export interface DemoAdoption {
  /** Index of the suggestion in the returned history. */
  readonly caseIndex: number;
  readonly departmentCode: string;
  /** The department's handler who manages the plan (also the item's owner). */
  readonly handlerUsername: string;
  /** When the item is created with the suggestion as its source, and when its progress is reported. */
  readonly adoptedAt: Date;
  readonly progressAt: Date;
  readonly plan: { readonly title: string; readonly year: number; readonly period: string };
  readonly item: {
    readonly title: string;
    readonly description: string;
    readonly dueDate: string;
    readonly budgetNote: string;
  };
  /** The progress report the originator is told of. */
  readonly progress: { readonly progress: number; readonly note: string };
  /** Other items of the same plan, without a source case. */
  readonly otherItems: readonly { readonly title: string; readonly description: string; readonly progress: number }[];
}

export interface DemoCitizenResult {
  readonly history: HistoricalCaseInput[];
  /** Where each story landed in `history` (a story is left out only when the history is too short to hold it). */
  readonly cases: readonly { readonly index: number; readonly story: DemoCitizenStory }[];
  readonly adoption: DemoAdoption | null;
}

interface Story {
  readonly story: DemoCitizenStory;
  readonly title: string;
  readonly body: string;
  readonly kind: CaseKind;
  readonly categoryPath: string;
  /** Written about the citizen's home district and community; false: a city-wide message. */
  readonly home: boolean;
  /** Days before `now` to look for a submission time first. */
  readonly daysAgo: readonly [from: number, to: number];
  readonly steps: (at: Clockwork) => void;
  /** Whether the replayed case tells this story relative to `now`. */
  readonly fits: (replayed: ReplayedCaseOf, now: number, last: number) => boolean;
}

/** Writes steps at growing times; `by` a handler means the lead department's. */
interface Clockwork {
  readonly department: DemoDepartment;
  step(after: readonly [min: number, max: number], by: HistoricalStep['by'], event: HistoricalStep['event']): void;
}

const signed = (text: string, department: DemoDepartment): string => `${text}\n${department.name}`;

const STORIES: readonly Story[] = [
  {
    story: 'closed_satisfied',
    title: '灵活就业人员如何继续参加职工医保',
    body: '我今年从原单位离职后一直打零工，单位给交的职工医保停了。想咨询一下：灵活就业人员能不能以个人身份继续参加职工医保？需要带什么材料、到哪里办理？以前的缴费年限能不能接续计算？',
    kind: 'consultation',
    categoryPath: '劳动和社会保障/城镇职工社会保险/职工医疗保险',
    home: true,
    daysAgo: [95, 140],
    steps: (at) => {
      at.step([1_000, 1_000], 'system', { type: 'dispatch', departmentCode: at.department.code });
      at.step([2 * HOUR, 6 * HOUR], 'handler', { type: 'accept_work' });
      at.step([DAY, 2 * DAY], 'handler', {
        type: 'reply',
        text: signed(
          '您好！您咨询的问题答复如下：本市户籍或持有本市居住证的灵活就业人员，可以个人身份参加职工基本医疗保险。办理时携带本人身份证件到就近的社会保险经办窗口申请，也可以通过市政务服务网在线办理。原有的缴费年限累计计算，中断期间可按规定办理接续。缴费基数在规定的上下限之间自行选择，具体金额以经办机构核定为准。如仍有疑问，可拨打12345政务服务便民热线咨询。',
          at.department,
        ),
      });
      at.step([3 * HOUR, 20 * HOUR], 'requester', { type: 'rate', score: 5, comment: '答复很清楚，已经办好了，谢谢' });
      at.step([HOUR, 5 * HOUR], 'system', { type: 'close' });
    },
    fits: (replayed, now, last) => replayed.snapshot.state === 'closed' && last < now - 60 * DAY,
  },
  {
    story: 'suggestion_adopted',
    title: '建议在老旧小区集中建设电动自行车充电车棚',
    body: '很多老旧小区没有电动自行车充电设施，居民只能从楼上拉电线“飞线充电”，或者把电瓶车推进楼道里充电，火灾隐患很大。建议在老旧小区改造中统一规划建设带充电桩和消防设施的集中车棚，按电量收费，既方便居民，又能消除安全隐患。',
    kind: 'suggestion',
    categoryPath: '城乡建设/城市建设和市政管理/居民服务设施',
    home: false,
    daysAgo: [70, 110],
    steps: (at) => {
      at.step([1_000, 1_000], 'system', { type: 'dispatch', departmentCode: at.department.code });
      at.step([4 * HOUR, 20 * HOUR], 'handler', { type: 'accept_work' });
      at.step([2 * DAY, 4 * DAY], 'handler', {
        type: 'add_note',
        text: '已会同城市管理、消防救援部门研究，拟结合老旧小区改造统筹推进。',
      });
      at.step([4 * DAY, 8 * DAY], 'handler', {
        type: 'reply',
        text: signed(
          '您好！感谢您对老旧小区居住安全的关心。电动自行车“飞线充电”和楼道充电确实存在较大火灾隐患，您的建议很有价值。我局将会同城市管理、消防救援等部门，结合老旧小区改造统筹推进集中充电设施建设，具体安排将列入工作计划并向社会公开，届时会告知您进展。感谢您的支持与监督！',
          at.department,
        ),
      });
      at.step([5 * HOUR, 2 * DAY], 'requester', { type: 'rate', score: 5, comment: '建议得到重视，很满意' });
      at.step([HOUR, 5 * HOUR], 'system', { type: 'close' });
    },
    // Adopted some weeks after closing, progress reported before `now`.
    fits: (replayed, now, last) => replayed.snapshot.state === 'closed' && last < now - 45 * DAY,
  },
  {
    story: 'reworked',
    title: '小区门口路段路灯长期不亮',
    body: '我家小区门口这段路有四五盏路灯坏了一个多月，晚上一片漆黑，老人孩子出行很不安全，前几天还有人骑车摔倒。希望尽快派人维修。',
    kind: 'complaint',
    categoryPath: '城乡建设/城市建设和市政管理/城市公共设施',
    home: true,
    daysAgo: [14, 30],
    steps: (at) => {
      at.step([1_000, 1_000], 'system', { type: 'dispatch', departmentCode: at.department.code });
      at.step([2 * HOUR, 8 * HOUR], 'handler', { type: 'accept_work' });
      at.step([2 * DAY, 4 * DAY], 'handler', {
        type: 'reply',
        text: signed(
          '您好！接到您的反映后，我局已安排维修人员到现场检修，更换了损坏的灯具和控制器，目前该路段路灯已恢复照明。感谢您的监督！',
          at.department,
        ),
      });
      at.step([2 * DAY, 3 * DAY], 'requester', {
        type: 'rate',
        score: 2,
        comment: '修好没几天又不亮了，问题没有实际解决',
      });
      at.step([5 * HOUR, DAY], 'coordinator', {
        type: 'verify_unsatisfied',
        confirmed: true,
        note: '回访核实：路灯再次熄灭，问题确未解决，发回重办',
      });
      at.step([2 * HOUR, 6 * HOUR], 'handler', { type: 'accept_work' });
      at.step([DAY, 2 * DAY], 'handler', {
        type: 'add_note',
        text: '经排查为地下供电线路老化漏电，已联系供电部门共同制定线路更换方案。',
      });
    },
    fits: (replayed, now, last) =>
      replayed.snapshot.state === 'in_progress' &&
      replayed.snapshot.round === 2 &&
      last < now - 2 * HOUR &&
      due(replayed) > now + 3 * DAY &&
      due(replayed) < now + 10 * DAY,
  },
  {
    story: 'in_progress_due_soon',
    title: '楼下烧烤店夜间油烟和噪音扰民',
    body: '我们楼下临街新开了一家烧烤店，每天晚上在店外露天摆摊烧烤，油烟直接往楼上飘，窗户都不敢开，食客喧哗到凌晨一两点，严重影响休息。希望有关部门管一管。',
    kind: 'complaint',
    categoryPath: '环境保护/环境污染/大气污染',
    home: true,
    daysAgo: [8, 20],
    steps: (at) => {
      at.step([1_000, 1_000], 'system', { type: 'dispatch', departmentCode: at.department.code });
      at.step([2 * HOUR, 6 * HOUR], 'handler', { type: 'accept_work' });
      at.step([DAY, 2 * DAY], 'handler', {
        type: 'add_note',
        text: '已安排执法队员夜间到现场巡查，责令店主停止店外露天烧烤，正在督促其安装油烟净化设施。',
      });
    },
    fits: (replayed, now, last) =>
      replayed.snapshot.state === 'in_progress' &&
      last < now - 2 * HOUR &&
      due(replayed) > now + DAY &&
      due(replayed) < now + 3 * DAY,
  },
  {
    story: 'awaiting_rating',
    title: '小区地下车库雨天积水，物业迟迟不修排水泵',
    body: '入秋以来每逢下雨，我们小区地下车库就大面积积水，最深处没过脚踝，车辆进出困难，已经有住户滑倒。向物业反映过多次，物业只说排水泵坏了、要等维修资金，至今没有处理。希望有关部门督促物业尽快修好排水设施。',
    kind: 'complaint',
    categoryPath: '城乡建设/住房保障与房地产/物业服务',
    home: true,
    daysAgo: [5, 12],
    steps: (at) => {
      at.step([1_000, 1_000], 'system', { type: 'dispatch', departmentCode: at.department.code });
      at.step([2 * HOUR, 8 * HOUR], 'handler', { type: 'accept_work' });
      at.step([2 * DAY, 5 * DAY], 'handler', {
        type: 'reply',
        text: signed(
          '您好！您反映的问题已收悉。经我局工作人员现场核查，该小区地下车库排水泵损坏属实。我局已约谈物业服务企业，责令其先行垫付维修费用，排水泵已更换完毕并试运行正常；后续将督促物业加强雨季巡查。如仍有问题，欢迎继续反映。',
          at.department,
        ),
      });
    },
    // Within the seven-day rating window at `now`.
    fits: (replayed, now) =>
      replayed.snapshot.state === 'replied' &&
      replayed.snapshot.ratingClosesAt !== null &&
      replayed.snapshot.ratingClosesAt.getTime() > now + 3 * DAY,
  },
];

const due = (replayed: ReplayedCaseOf): number => replayed.snapshot.dueAt?.getTime() ?? 0;

/**
 * Puts the citizen's cases into `history` (a new array; `history` is left
 * alone), each in place of a case submitted near the wanted time that no
 * merge touches, and says which suggestion the loader adopts afterwards.
 *
 * @example placeDemoCitizenCases(demo, history, { now, citizenUserId: 7 }).cases.length // 5
 */
export function placeDemoCitizenCases(
  demo: DemoCity,
  history: readonly HistoricalCaseInput[],
  options: DemoCitizenOptions,
): DemoCitizenResult {
  const random = createRandom(demo.seed * 6_271 + 11);
  const now = options.now.getTime();
  const result = [...history];
  const taken = new Set<number>();
  const cases: { index: number; story: DemoCitizenStory }[] = [];
  const home = homeOf(demo, random);
  let adoption: DemoAdoption | null = null;
  for (const story of STORIES) {
    const districtCode = story.home ? home.districtCode : null;
    const department = routeDemo(demo, story.categoryPath.split('/')[0]!, districtCode);
    if (!department) throw new Error(`demo citizen: no department handles ${story.categoryPath}`);
    const placed = place(result, taken, story, now, (submittedAt) =>
      build(story, demo, department, random, submittedAt, {
        title: story.title,
        body: story.body,
        kind: story.kind,
        categoryPath: story.categoryPath,
        districtCode,
        communityCode: story.home ? home.communityCode : null,
        channel: 'web',
        submittedAt,
        trackingCode: issueTrackingCode((max) => random.int(0, max - 1)),
        requesterUserId: options.citizenUserId,
        steps: [],
      }),
    );
    if (placed === null) continue;
    result[placed.index] = placed.input;
    taken.add(placed.index);
    cases.push({ index: placed.index, story: story.story });
    if (story.story === 'suggestion_adopted') adoption = adoptionOf(demo, department, placed.index, placed.last, now);
  }
  return { history: result, cases, adoption };
}

/** Where the citizen lives: a community of Shinan's first street (its code is positional, so it exists for every seed). */
function homeOf(demo: DemoCity, random: Random): { districtCode: string; communityCode: string | null } {
  const communities = demo.regions.filter(
    (region) => region.level === 'community' && region.code.startsWith('370202001'),
  );
  return { districtCode: '370202', communityCode: communities.length > 0 ? random.pick(communities).code : null };
}

function build(
  story: Story,
  demo: DemoCity,
  department: DemoDepartment,
  random: Random,
  submittedAt: Date,
  base: HistoricalCaseInput,
): HistoricalCaseInput {
  const steps: HistoricalStep[] = [];
  let t = submittedAt.getTime();
  const handler = handlerOf(demo, department);
  story.steps({
    department,
    step(after, by, event) {
      t += Math.round(random.float(after[0], after[1] + 1));
      const label =
        by === 'handler' ? `handler:${handler}` : by === 'coordinator' ? 'coordinator:coordinator' : undefined;
      steps.push({ at: new Date(t), by, ...(label ? { label } : {}), event });
    },
  });
  return { ...base, steps };
}

/** The first handler of a department, as the history labels its steps. */
function handlerOf(demo: DemoCity, department: DemoDepartment): string {
  return (
    demo.users.find((user) => user.role === 'handler' && user.departmentCode === department.code)?.username ?? 'handler'
  );
}

/**
 * The case of `history` submitted nearest to each candidate time, from
 * `story.daysAgo[0]` days back, that the story fits when it starts then.
 */
function place(
  history: readonly HistoricalCaseInput[],
  taken: ReadonlySet<number>,
  story: Story,
  now: number,
  make: (submittedAt: Date) => HistoricalCaseInput,
): { index: number; input: HistoricalCaseInput; last: number } | null {
  const ids = { department: () => 1, caseId: (index: number) => index + 1 };
  const eligible = (index: number): boolean =>
    !taken.has(index) &&
    history[index]!.steps.every((step) => step.event.type !== 'merge' && step.event.type !== 'join');
  for (let hours = story.daysAgo[0] * 24; hours <= story.daysAgo[1] * 24; hours += 6) {
    const index = nearest(history, now - hours * HOUR, eligible);
    if (index === null) return null;
    const input = make(history[index]!.submittedAt);
    const last = input.steps.at(-1)!.at.getTime();
    if (last >= now) continue;
    if (story.fits(replayHistoricalCase(input, ids), now, last)) return { index, input, last };
  }
  return null;
}

/** The eligible index whose submission time is nearest to `at` (history is oldest first). */
function nearest(
  history: readonly HistoricalCaseInput[],
  at: number,
  eligible: (index: number) => boolean,
): number | null {
  let low = 0;
  let high = history.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (history[middle]!.submittedAt.getTime() < at) low = middle + 1;
    else high = middle;
  }
  let best: number | null = null;
  for (let offset = 0; offset < history.length; offset += 1) {
    for (const index of [low - 1 - offset, low + offset]) {
      if (index < 0 || index >= history.length || !eligible(index)) continue;
      if (
        best === null ||
        Math.abs(history[index]!.submittedAt.getTime() - at) < Math.abs(history[best]!.submittedAt.getTime() - at)
      )
        best = index;
    }
    if (best !== null) return best;
  }
  return null;
}

/** The work plan item the suggestion went into, some weeks after its case closed. */
function adoptionOf(
  demo: DemoCity,
  department: DemoDepartment,
  caseIndex: number,
  closedAt: number,
  now: number,
): DemoAdoption {
  const adoptedAt = closedAt + 12 * DAY;
  const progressAt = Math.max(adoptedAt + DAY, now - 10 * DAY);
  // From September on, bureaus draft next year's plan.
  const local = new Date(adoptedAt + 8 * HOUR);
  const year = local.getUTCFullYear() + (local.getUTCMonth() >= 8 ? 1 : 0);
  const dueDate = `${year}-11-30`;
  return {
    caseIndex,
    departmentCode: department.code,
    handlerUsername: handlerOf(demo, department),
    adoptedAt: new Date(adoptedAt),
    progressAt: new Date(progressAt),
    plan: { title: `${year}年城镇老旧小区改造提升工作计划`, year, period: `${year}年度` },
    item: {
      title: '老旧小区电动自行车集中充电设施建设',
      description:
        '在纳入改造的老旧小区同步规划建设带充电桩和消防设施的电动自行车集中车棚，按电量计费，治理“飞线充电”和楼道充电隐患。',
      dueDate,
      budgetNote: '列入老旧小区改造专项资金，不足部分由充电设施运营企业投资',
    },
    progress: { progress: 40, note: '首批小区已完成选址和方案设计，正在进行施工招标。' },
    otherItems: [
      {
        title: '老旧小区屋面防水和外墙保温改造',
        description: '对纳入计划的老旧小区实施屋面防水、外墙保温和楼道修缮。',
        progress: 55,
      },
      {
        title: '老旧小区雨污分流管网改造',
        description: '改造小区内部雨污合流管网，解决雨天积水和污水外溢问题。',
        progress: 30,
      },
    ],
  };
}

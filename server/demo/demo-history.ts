/**
 * Two years of the demo city's message history, generated from the shipped
 * corpus of real messages and replies (demo-corpus.ts): weekday and hour
 * rhythms, seasonal topics, kinds, districts by population, channels, routing
 * by the demo rules, handling times against the SLA, ratings, rework, merges,
 * and — near `now` — cases still open in every state. Pure and deterministic:
 * the same city, corpus, `now` and size give a deep-equal history.
 */
import type { HistoricalCaseInput, HistoricalStep } from '../modules/voices/index.ts';
import type { CaseKind, Channel } from '../modules/voices/index.ts';
import type { DemoCity, DemoDepartment } from './demo-city.ts';
import type { DemoCorpus, DemoCorpusMessage } from './demo-corpus.ts';
import { createRandom, type Random } from './random.ts';
import { issueTrackingCode } from '../platform/index.ts';

export interface DemoHistoryOptions {
  /** The end of the history (exclusive); the loader passes the first day of the current month. */
  readonly now: Date;
  /** How many cases; 20,000 by default. */
  readonly size?: number;
  /** Days of history before `now`; 730 by default. */
  readonly days?: number;
}

export const DEFAULT_HISTORY_SIZE = 20_000;

const DAY = 86_400_000;
const HOUR = 3_600_000;

const KINDS: readonly (readonly [CaseKind, number])[] = [
  ['complaint', 50],
  ['request_for_help', 25],
  ['consultation', 15],
  ['suggestion', 8],
  ['praise', 2],
];
/** Working days the default SLA policy gives each kind. */
const LIMIT_DAYS: Record<CaseKind, number> = { complaint: 10, request_for_help: 5, consultation: 3, suggestion: 15, praise: 5 };
const CHANNELS: readonly (readonly [Channel, number])[] = [
  ['web', 52],
  ['import', 28],
  ['api', 10],
  ['open311', 7],
  ['visit', 3],
];
/** Residents (10,000s), roughly Qingdao's; the urban core writes more per head. */
const DISTRICT_WEIGHTS: Record<string, number> = {
  '370202': 57 * 1.6,
  '370203': 110 * 1.5,
  '370211': 190 * 1.1,
  '370212': 60 * 1.3,
  '370213': 75 * 1.4,
  '370214': 110 * 1.1,
  '370215': 135,
  '370281': 90 * 0.8,
  '370283': 120 * 0.7,
  '370285': 70 * 0.7,
};
/** Mon … Sun (getUTCDay order starts on Sunday). */
const WEEKDAY_WEIGHTS = [0.55, 1.3, 1.2, 1.15, 1.1, 1.0, 0.65];
const HOUR_WEIGHTS = [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.4, 3.2, 3.0, 2.4, 1.4, 1.6, 2.6, 2.8, 2.6, 2.0, 1.4, 1.5, 1.8, 1.7, 1.2, 0.6];
const RATINGS: readonly (readonly [number, number])[] = [
  [5, 54],
  [4, 28],
  [3, 8],
  [2, 6],
  [1, 4],
];
const HEATING = /供暖|暖气|取暖|供热/;
const SCHOOL = /招生|入学|学位|升学|择校|划片/;

interface Plan {
  readonly input: HistoricalCaseInput;
  readonly steps: HistoricalStep[];
  readonly area: string;
  readonly departmentCode: string | null;
  /** Fit to receive a merged duplicate: dispatched, one plain round, closed after the rating window. */
  survivor: { readonly from: number; readonly to: number } | null;
}

/**
 * Generates the history, oldest first. Throws RangeError for an empty corpus or a size below 1.
 *
 * @example generateDemoHistory(generateDemoCity(2026), loadDemoCorpus(), { now: new Date('2026-12-01T00:00:00+08:00') }).length // 20000
 */
export function generateDemoHistory(demo: DemoCity, corpus: DemoCorpus, options: DemoHistoryOptions): HistoricalCaseInput[] {
  const size = options.size ?? DEFAULT_HISTORY_SIZE;
  const days = options.days ?? 730;
  if (corpus.messages.length === 0) throw new RangeError('the corpus has no messages');
  if (!(size >= 1)) throw new RangeError(`size must be at least 1, got ${size}`);
  const random = createRandom(demo.seed * 7_919 + 20_200_417);
  const now = options.now.getTime();
  const start = now - days * DAY;

  const districts = demo.regions.filter((region) => region.level === 'district').map((region) => region.code);
  const communitiesOf = new Map(districts.map((code) => [code, demo.regions.filter((region) => region.level === 'community' && region.code.startsWith(code)).map((region) => region.code)]));
  const handlerOf = new Map<string, string>();
  for (const user of demo.users) if (user.role === 'handler' && user.departmentCode && !handlerOf.has(user.departmentCode)) handlerOf.set(user.departmentCode, user.username);
  const byArea = new Map<string, DemoCorpusMessage[]>();
  for (const message of corpus.messages) {
    const area = message.category.split('/')[0]!;
    if (message.reply !== null) byArea.set(area, [...(byArea.get(area) ?? []), message]);
  }
  const heating = corpus.messages.filter((message) => HEATING.test(message.title + message.body));
  const school = corpus.messages.filter((message) => SCHOOL.test(message.title + message.body));

  const plans: Plan[] = [];
  for (const at of submissionTimes(random, start, days, size)) {
    const month = new Date(at + 8 * HOUR).getUTCMonth() + 1;
    const seasonal = month >= 11 || month <= 3 ? heating : month >= 6 && month <= 8 ? school : [];
    const message = seasonal.length > 0 && random.chance(0.08) ? random.pick(seasonal) : random.pick(corpus.messages);
    const area = message.category.split('/')[0]!;
    const cityWide = random.chance(0.07);
    const districtCode = cityWide ? null : message.district !== null && random.chance(0.7) ? message.district : random.weighted(districts.map((code) => [code, DISTRICT_WEIGHTS[code] ?? 50] as const));
    const communityCode = districtCode !== null && random.chance(0.7) ? random.pick(communitiesOf.get(districtCode)!) : null;
    const kind = random.weighted(KINDS);
    const department = route(demo, area, districtCode);
    const replies = byArea.get(area) ?? [];
    const reply = message.reply ?? (replies.length > 0 ? random.pick(replies).reply! : '您反映的问题已收悉，我单位已安排专人调查处理，感谢您的监督与支持。');
    const steps: HistoricalStep[] = [];
    const plan: Plan = {
      input: {
        title: message.title,
        body: message.body,
        kind,
        categoryPath: message.category,
        districtCode,
        communityCode,
        channel: random.weighted(CHANNELS),
        submittedAt: new Date(at),
        trackingCode: trackingCode(random),
        steps,
      },
      steps,
      area,
      departmentCode: department?.code ?? null,
      survivor: null,
    };
    lifecycle(random, plan, demo, department, handlerOf, adapt(reply, message.title, department), at, now);
    plans.push(plan);
  }
  addMerges(random, plans, now);
  return plans.map((plan) => ({ ...plan.input, steps: plan.steps.filter((step) => step.at.getTime() < now) }));
}

/** The department the demo routing rules send an area to: the district's bureau, else the first city bureau. */
export function routeDemo(demo: DemoCity, area: string, districtCode: string | null): DemoDepartment | undefined {
  return route(demo, area, districtCode);
}

function route(demo: DemoCity, area: string, districtCode: string | null): DemoDepartment | undefined {
  const covers = (department: DemoDepartment): boolean => (department.areas as readonly string[]).includes(area);
  return (
    (districtCode === null ? undefined : demo.departments.find((department) => department.districtCode === districtCode && covers(department))) ??
    demo.departments.find((department) => department.districtCode === null && covers(department))
  );
}

/** `size` instants in [start, start + days), weighted by weekday, season and a gentle growth, at realistic hours. */
function submissionTimes(random: Random, start: number, days: number, size: number): number[] {
  const weights = Array.from({ length: days }, (_, day) => {
    const date = new Date(start + day * DAY + 8 * HOUR);
    const month = date.getUTCMonth() + 1;
    const season = month === 2 ? 0.75 : month === 7 || month === 8 ? 1.15 : month === 1 || month === 12 ? 1.1 : 1;
    return WEEKDAY_WEIGHTS[date.getUTCDay()]! * season * (0.85 + (0.3 * day) / days);
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const counts = weights.map((weight) => Math.floor((weight / total) * size));
  let left = size - counts.reduce((sum, count) => sum + count, 0);
  while (left > 0) {
    counts[random.int(0, days - 1)]! += 1;
    left -= 1;
  }
  const hours = HOUR_WEIGHTS.map((weight, hour) => [hour, weight] as const);
  const times: number[] = [];
  counts.forEach((count, day) => {
    // Days are local (UTC+8) midnights: `start` is one.
    for (let index = 0; index < count; index += 1) times.push(start + day * DAY + random.weighted(hours) * HOUR + random.int(0, 3_599) * 1_000);
  });
  return times.sort((a, b) => a - b);
}

/** A valid tracking code (check character included) from the seeded stream. */
function trackingCode(random: Random): string {
  return issueTrackingCode((max) => random.int(0, max - 1));
}

/** A reply of the same area, pointed at this message and signed by the department that handled it. */
function adapt(reply: string, title: string, department: DemoDepartment | undefined): string {
  const pointed = reply.replace(/“[^”]{2,80}”/, `“${title}”`);
  return department ? `${pointed}\n${department.name}` : pointed;
}

/**
 * The case's whole life as if nothing stopped it; the caller keeps only the
 * steps before `now`, which leaves recent cases open in whatever state they were.
 */
function lifecycle(
  random: Random,
  plan: Plan,
  demo: DemoCity,
  department: DemoDepartment | undefined,
  handlerOf: Map<string, string>,
  replyText: string,
  submittedAt: number,
  now: number,
): void {
  const { steps } = plan;
  let t = submittedAt;
  const later = (min: number, max: number): Date => {
    t += Math.round(random.float(min, max));
    return new Date(t);
  };
  const handler = (code: string): string => (handlerOf.has(code) ? `handler:${handlerOf.get(code)}` : 'handler');
  const coordinator = 'coordinator:coordinator';
  if (random.chance(0.012) || !department) {
    steps.push({ at: later(2 * HOUR, 30 * HOUR), by: 'coordinator', label: coordinator, event: { type: 'reject_as_not_in_scope', reason: '不属于政府职能范围，已告知通过司法途径解决' } });
    return;
  }
  let lead = department;
  // Most cases are routed at intake; some wait for a coordinator in the triage queue.
  const fresh = now - submittedAt < 3 * DAY;
  if (random.chance(fresh ? 0.3 : 0.12)) steps.push({ at: later(HOUR, fresh ? 72 * HOUR : 40 * HOUR), by: 'coordinator', label: coordinator, event: { type: 'dispatch', departmentCode: lead.code } });
  else steps.push({ at: later(0, 1_000), by: 'system', event: { type: 'dispatch', departmentCode: lead.code } });
  const dispatchedAt = t;

  if (random.chance(0.03)) {
    steps.push({ at: later(2 * HOUR, 2 * DAY), by: 'handler', label: handler(lead.code), event: { type: 'return', reason: '该事项不属于我单位职责，请重新派单' } });
    const other = demo.departments.find((candidate) => candidate.districtCode === null && candidate.areas.some((area) => area === plan.area)) ?? lead;
    lead = other;
    steps.push({ at: later(2 * HOUR, DAY), by: 'coordinator', label: coordinator, event: { type: 'dispatch', departmentCode: lead.code } });
  }
  steps.push({ at: later(HOUR, 1.5 * DAY), by: 'handler', label: handler(lead.code), event: { type: 'accept_work' } });
  if (random.chance(0.02) && lead.districtCode !== null) {
    const city = demo.departments.find((candidate) => candidate.code === lead.parentCode);
    if (city) {
      steps.push({ at: later(HOUR, DAY), by: 'handler', label: handler(lead.code), event: { type: 'request_transfer', toDepartmentCode: city.code, reason: '涉及全市统筹，申请转市级部门办理' } });
      steps.push({ at: later(2 * HOUR, DAY), by: 'coordinator', label: coordinator, event: { type: 'approve_transfer' } });
      lead = city;
      steps.push({ at: later(HOUR, DAY), by: 'handler', label: handler(lead.code), event: { type: 'accept_work' } });
    }
  }
  if (random.chance(0.2)) steps.push({ at: later(2 * HOUR, 2 * DAY), by: 'handler', label: handler(lead.code), event: { type: 'add_note', text: '已联系诉求人了解情况，安排现场核查。' } });

  // Handling time: calendar days against the kind's working-day limit (≈ 1.4 calendar days each).
  const limit = LIMIT_DAYS[plan.input.kind] * 1.4 * DAY;
  const recent = now - submittedAt < 60 * DAY;
  const stuck = recent && random.chance(0.03);
  const late = stuck || random.chance(0.08);
  const replyAt = dispatchedAt + (stuck ? random.float(2, 5) * limit : late ? random.float(1.1, 2.2) * limit : random.float(0.15, 0.95) * limit);
  if (random.chance(0.04)) {
    steps.push({ at: later(HOUR, 2 * DAY), by: 'handler', label: handler(lead.code), event: { type: 'request_extension', days: random.int(3, 10), reason: '需协调多个部门现场处置，申请延期' } });
    steps.push({ at: later(HOUR, DAY), by: 'coordinator', label: coordinator, event: { type: 'approve_extension' } });
  } else if (random.chance(0.02)) {
    steps.push({ at: later(HOUR, DAY), by: 'handler', label: handler(lead.code), event: { type: 'suspend', reason: '等待诉求人补充材料' } });
    steps.push({ at: later(2 * DAY, 8 * DAY), by: 'handler', label: handler(lead.code), event: { type: 'resume' } });
  }
  if (late && replyAt > dispatchedAt + limit) {
    t = Math.max(t, dispatchedAt + limit + HOUR);
    steps.push({ at: later(0, 4 * HOUR), by: 'system', event: { type: 'urge', note: '工单已超期，请尽快办理并答复' } });
  }
  t = Math.max(t + HOUR, replyAt);
  steps.push({ at: later(0, HOUR), by: 'handler', label: handler(lead.code), event: { type: 'reply', text: replyText } });
  const repliedAt = t;

  // Rating: three quarters rate; about one in ten is unsatisfied.
  if (!random.chance(0.75)) {
    steps.push({ at: later(7 * DAY + HOUR, 9 * DAY), by: 'system', event: { type: 'close', note: '答复期满未评价，自动办结' } });
    plan.survivor = { from: dispatchedAt, to: repliedAt };
    return;
  }
  const score = random.weighted(RATINGS);
  steps.push({ at: later(2 * HOUR, 5 * DAY), by: 'requester', event: { type: 'rate', score, comment: score >= 4 ? '处理及时，态度很好' : score === 3 ? '问题基本解决' : '问题没有实际解决' } });
  if (score >= 3) {
    steps.push({ at: later(HOUR, DAY), by: 'system', event: { type: 'close' } });
    if (t >= repliedAt + 7 * DAY) plan.survivor = { from: dispatchedAt, to: repliedAt };
    return;
  }
  const confirmed = random.chance(0.6);
  steps.push({ at: later(4 * HOUR, 3 * DAY), by: 'coordinator', label: coordinator, event: { type: 'verify_unsatisfied', confirmed, note: confirmed ? '回访核实：问题确未解决，发回重办' : '回访核实：已按政策答复，维持办理结果' } });
  if (!confirmed) return;
  steps.push({ at: later(HOUR, DAY), by: 'handler', label: handler(lead.code), event: { type: 'accept_work' } });
  steps.push({ at: later(2 * DAY, 8 * DAY), by: 'handler', label: handler(lead.code), event: { type: 'reply', text: `经重新核查办理：${replyText}` } });
  const second = random.weighted([[5, 30], [4, 35], [3, 20], [2, 10], [1, 5]] as const);
  steps.push({ at: later(2 * HOUR, 4 * DAY), by: 'requester', event: { type: 'rate', score: second, comment: second >= 3 ? '重办后问题已解决' : '仍不满意' } });
  if (second >= 3) steps.push({ at: later(HOUR, DAY), by: 'system', event: { type: 'close' } });
  else steps.push({ at: later(4 * HOUR, 3 * DAY), by: 'coordinator', label: coordinator, event: { type: 'verify_unsatisfied', confirmed: true, note: '已重办一次，按程序办结' } });
}

/**
 * About one case in 150 is a duplicate a coordinator merges (并案) into an
 * earlier open case of the same area and district; that case gains a requester.
 */
function addMerges(random: Random, plans: Plan[], now: number): void {
  const used = new Set<number>();
  for (let index = 1; index < plans.length; index += 1) {
    const plan = plans[index]!;
    const at = plan.input.submittedAt.getTime() + 2 * HOUR;
    if (at > now - 30 * DAY || !random.chance(1 / 150)) continue;
    for (let back = index - 1; back >= Math.max(0, index - 300); back -= 1) {
      const other = plans[back]!;
      if (used.has(back) || !other.survivor || other.area !== plan.area || other.input.districtCode !== plan.input.districtCode) continue;
      if (other.survivor.from >= at || other.survivor.to <= at + HOUR) continue;
      used.add(back);
      plan.steps.length = 0;
      plan.steps.push({ at: new Date(at), by: 'coordinator', label: 'coordinator:coordinator', event: { type: 'merge', intoCase: back, reason: '与在办工单反映同一问题，并案办理' } });
      const join: HistoricalStep = { at: new Date(at), by: 'system', event: { type: 'join', requesterId: `code:${plan.input.trackingCode}` } };
      const position = other.steps.findIndex((step) => step.at.getTime() > at);
      other.steps.splice(position, 0, join);
      other.survivor = null;
      break;
    }
  }
}

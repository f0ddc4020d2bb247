import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { getProject, importOcds, listProjects, openFinding, seedProjects, updateFinding, updateRectification, type ProjectSeed } from '../modules/projects/index.ts';
import { cliContext, type Actor, type PlatformDeps, type RequestContext } from '../platform/index.ts';
import type { DemoCity, DemoRegion } from './demo-city.ts';
import { createRandom, type Random } from './random.ts';

/**
 * The demo city's livelihood projects (民生工程): about 200 projects across
 * the districts with budgets, payments, milestones and progress reports; the
 * procurement of the OCDS sample data's real examples, re-keyed to the demo
 * city by `scripts/build-demo-procurement.ts` and shipped as
 * `demo-procurement.json.gz`, imported and linked to the projects (the red
 * flags are computed as for any import); and a few inspections and audit
 * findings, some opened from a flag, one rectified and closed.
 */
export const DEMO_PROCUREMENT_FILE = new URL('./demo-procurement.json.gz', import.meta.url);

const PROJECT_COUNT = 200;

type Category = ProjectSeed['category'];
type Json = Record<string, unknown>;

/** Per category: weight, the city bureau that leads it, the district bureau that may lead it instead, name templates. */
const CATEGORIES: Record<Category, { weight: number; city: string; district?: string; names: readonly string[] }> = {
  housing: { weight: 30, city: 'housing', district: 'housing', names: ['{community}老旧小区改造', '{community}既有住宅加装电梯', '{street}棚户区改造安置房建设', '{community}雨污分流改造'] },
  education: { weight: 20, city: 'education', names: ['{street}中心小学改扩建', '{district}第{n}幼儿园新建', '{street}中学运动场改造', '{district}学校食堂提升'] },
  health: { weight: 14, city: 'health', names: ['{street}社区卫生服务中心改造', '{district}人民医院发热门诊建设', '{community}卫生室标准化建设'] },
  elderly_care: { weight: 16, city: 'civil-affairs', district: 'civil-affairs', names: ['{community}社区养老服务站建设', '{street}老年助餐食堂', '{district}社会福利中心扩建'] },
  transport: { weight: 14, city: 'transport', names: ['{street}公交首末站建设', '{district}背街小巷道路整治', '{street}过街天桥加装电梯', '{district}停车场建设'] },
  water: { weight: 8, city: 'urban-management', names: ['{street}供水管网改造', '{district}排水防涝设施建设', '{community}二次供水设施改造'] },
  environment: { weight: 8, city: 'ecology-environment', names: ['{district}河道综合整治', '{street}口袋公园建设', '{district}垃圾分类设施提升'] },
  employment: { weight: 5, city: 'hrss', names: ['{district}零工市场建设', '{street}就业服务驿站'] },
  culture_sports: { weight: 6, city: 'culture-tourism', names: ['{street}全民健身中心', '{community}社区文化活动室', '{district}图书馆分馆建设'] },
  social_assistance: { weight: 5, city: 'civil-affairs', district: 'civil-affairs', names: ['{district}困难群众救助服务中心', '{street}残疾人康复站'] },
  other: { weight: 2, city: 'urban-management', names: ['{district}智慧社区平台建设'] },
};

const FIRMS = ['青岛海川建设工程有限公司', '青岛瑞丰市政工程有限公司', '青岛德信建筑装饰有限公司', '青岛恒泰电梯工程有限公司', '青岛华青园林绿化有限公司', '青岛鲁安交通设施有限公司', '青岛中鼎建设集团有限公司'];
const FUNDING: readonly (readonly [ProjectSeed['budgetLines'][number]['fundingSource'], number])[] = [['municipal', 40], ['district', 25], ['special_bond', 15], ['provincial', 10], ['central', 6], ['social_capital', 4]];
const FUNDING_NAMES: Record<string, string> = { municipal: '市级财政资金', district: '区级财政资金', special_bond: '地方政府专项债券', provincial: '省级补助资金', central: '中央预算内投资', social_capital: '社会资本投入', other: '其他资金' };

const day = (at: Date): string => at.toISOString().slice(0, 10);
const DAY_MS = 86_400_000;
const round = (value: number): number => Math.round(value * 100) / 100;

interface Release extends Json {
  ocid: string;
  id: string;
}

/** The shipped releases (about 700 of about 600 processes), read and unzipped (a few milliseconds). */
export function loadDemoProcurement(): Release[] {
  return (JSON.parse(gunzipSync(readFileSync(DEMO_PROCUREMENT_FILE)).toString('utf8')) as { releases: Release[] }).releases;
}

/** Contract value per ocid: the last amount each contract id was given, summed over contracts not cancelled. */
function contractValues(releases: readonly Release[]): Map<string, number> {
  const contracts = new Map<string, Map<string, { amount: number; cancelled: boolean }>>();
  const sorted = [...releases].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  for (const release of sorted) {
    for (const contract of Array.isArray(release.contracts) ? (release.contracts as Json[]) : []) {
      const value = contract.value as Json | undefined;
      if (typeof value?.amount !== 'number') continue;
      const own = contracts.get(release.ocid) ?? new Map<string, { amount: number; cancelled: boolean }>();
      own.set(String(contract.id), { amount: value.amount, cancelled: contract.status === 'cancelled' });
      contracts.set(release.ocid, own);
    }
  }
  return new Map([...contracts].map(([ocid, own]) => [ocid, [...own.values()].filter((contract) => !contract.cancelled).reduce((sum, contract) => sum + contract.amount, 0)]));
}

interface Places {
  readonly districts: DemoRegion[];
  readonly streetsOf: Map<string, DemoRegion[]>;
  readonly communitiesOf: Map<string, DemoRegion[]>;
}

function placesOf(demo: DemoCity): Places {
  const districts = demo.regions.filter((region) => region.level === 'district');
  const group = (level: string) => {
    const map = new Map<string, DemoRegion[]>();
    for (const region of demo.regions) if (region.level === level) map.set(region.parentCode!, [...(map.get(region.parentCode!) ?? []), region]);
    return map;
  };
  return { districts, streetsOf: group('street'), communitiesOf: group('community') };
}

/** One generated project, still keyed by codes (departments, regions) and with the ocids it buys through. */
export interface DemoProjectPlan extends Omit<ProjectSeed, 'leadDepartmentId' | 'coDepartmentIds' | 'districtId' | 'areaIds'> {
  readonly leadDepartmentCode: string;
  readonly coDepartmentCodes: readonly string[];
  readonly districtCode: string;
  readonly areaCodes: readonly string[];
}

function pickName(random: Random, templates: readonly string[], place: { district: string; street: string; community: string }): string {
  return random.pick(templates).replace('{district}', place.district).replace('{street}', place.street).replace('{community}', place.community).replace('{n}', String(random.int(2, 9)));
}

/**
 * The demo projects for a city and its procurement, deterministic for a seed
 * and `now`: ids are resolved by the loader. Pure.
 */
export function generateDemoProjects(demo: DemoCity, releases: readonly Release[], now: Date): DemoProjectPlan[] {
  const random = createRandom(demo.seed + 23);
  const places = placesOf(demo);
  const departmentCodes = new Set(demo.departments.map((department) => department.code));
  const values = contractValues(releases);
  const ocids = [...new Set(releases.map((release) => release.ocid))];
  let nextOcid = 0;
  const plans: DemoProjectPlan[] = [];
  const categories = Object.entries(CATEGORIES).map(([category, spec]) => [category as Category, spec.weight] as const);
  for (let index = 0; index < PROJECT_COUNT; index += 1) {
    // The first dozen are the city housing bureau's, so its demo handler has projects to report on.
    const category: Category = index < 12 ? 'housing' : random.weighted(categories);
    const spec = CATEGORIES[category];
    const district = random.pick(places.districts);
    const street = random.pick(places.streetsOf.get(district.code) ?? [district]);
    const community = random.pick(places.communitiesOf.get(street.code) ?? [street]);
    const name = pickName(random, spec.names, { district: district.name, street: street.name, community: community.name });
    const districtBureau = spec.district ? `${district.code}-${spec.district}` : undefined;
    const lead = index >= 12 && districtBureau && departmentCodes.has(districtBureau) && random.chance(0.5) ? districtBureau : `city-${spec.city}`;
    const coUnits = [`city-development-reform`, districtBureau].filter((code): code is string => code !== undefined && code !== lead && departmentCodes.has(code) && random.chance(0.6));
    const year = random.chance(0.55) ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    const start = new Date(Date.UTC(year, random.int(0, 8), random.int(1, 28)));
    const months = random.int(6, 20);
    const end = new Date(start.getTime() + months * 30 * DAY_MS);
    const elapsed = Math.max(0, Math.min(1, (now.getTime() - start.getTime()) / (end.getTime() - start.getTime())));
    const status = start > now ? 'planned' : random.chance(0.04) ? 'suspended' : elapsed >= 1 && random.chance(0.8) ? 'completed' : 'in_progress';
    const progress = status === 'planned' ? 0 : status === 'completed' ? 100 : Math.max(5, Math.min(95, Math.round(elapsed * 100 + random.int(-15, 10))));
    const linked: string[] = [];
    if (random.chance(0.7)) for (let n = random.int(1, 3); n > 0 && nextOcid < ocids.length; n -= 1) linked.push(ocids[nextOcid++]!);
    const contracted = linked.reduce((sum, ocid) => sum + (values.get(ocid) ?? 0), 0);
    const total = Math.max(round(contracted * random.float(1.05, 1.3)), random.int(50, 4_000) * 10_000);
    const sources = random.sample(FUNDING, random.int(1, 3));
    const shares = sources.map(() => random.float(1, 3));
    const shareSum = shares.reduce((a, b) => a + b, 0);
    const budgetLines = sources.map(([source], i) => ({ fundingSource: source, description: FUNDING_NAMES[source]!, year, amount: round((total * shares[i]!) / shareSum) }));
    // Payments follow the contracts when there are any; two projects pay a little more than contracted (flagged, not refused).
    const base = contracted > 0 ? contracted : total * 0.9;
    const overpaid = contracted > 0 && (index === 20 || index === 41);
    const paidShare = overpaid ? 1.08 : status === 'completed' ? 0.97 : (progress / 100) * 0.85;
    const payee = random.pick(FIRMS);
    const payments: { paidOn: string; amount: number; payee: string; purpose: string; ocid: string | null }[] = [];
    const paid = round(base * paidShare);
    const parts = paid > 0 ? random.int(1, 3) : 0;
    for (let n = 0; n < parts; n += 1) {
      const at = new Date(start.getTime() + ((n + 1) / (parts + 1)) * Math.max(DAY_MS, Math.min(now.getTime(), end.getTime()) - start.getTime()));
      payments.push({ paidOn: day(at), amount: round(paid / parts), payee, purpose: n === parts - 1 && status === 'completed' ? '竣工结算款' : `第${n + 1}期工程款`, ocid: linked[0] ?? null });
    }
    const steps = [['立项批复', 0], ['完成招标采购', 0.2], ['主体工程完工', 0.7], ['竣工验收', 1]] as const;
    const milestones = steps.map(([title, at]) => {
      const planned = new Date(start.getTime() + at * (end.getTime() - start.getTime()));
      const done = progress >= at * 100 && (at < 1 || status === 'completed');
      const late = !done && planned < now;
      return { title, plannedDate: day(planned), completedOn: done ? day(new Date(Math.min(now.getTime(), planned.getTime() + random.int(-10, 25) * DAY_MS))) : null, status: done ? ('done' as const) : late ? ('delayed' as const) : ('pending' as const), evidence: done ? `${title}：相关文件已归档（编号 QD-${year}-${String(index + 1).padStart(3, '0')}-${steps.findIndex(([t]) => t === title) + 1}）` : '' };
    });
    const updates = status === 'planned' ? [] : [{ progress: Math.round(progress / 2), note: '施工单位进场，现场围挡完成', at: new Date(start.getTime() + 20 * DAY_MS) }, { progress, note: status === 'completed' ? '工程竣工验收合格，已交付使用' : '按计划推进，本月完成主要工程量', at: new Date(Math.min(now.getTime(), end.getTime()) - 5 * DAY_MS) }];
    plans.push({
      code: `MS-${year}-${String(index + 1).padStart(3, '0')}`,
      name,
      category,
      description: `${year}年市办民生实事项目：${name}。`,
      leadDepartmentCode: lead,
      coDepartmentCodes: coUnits,
      districtCode: district.code,
      areaCodes: [community.code],
      location: `${district.name}${street.name}${community.name}`,
      latitude: round(community.centroid[1] * 1e4 + random.float(-8, 8)) / 1e4,
      longitude: round(community.centroid[0] * 1e4 + random.float(-8, 8)) / 1e4,
      beneficiaries: random.int(200, 30_000),
      status,
      progress,
      year,
      plannedStart: day(start),
      plannedEnd: day(end),
      budgetLines,
      milestones,
      payments,
      updates,
      ocids: linked,
    });
  }
  return plans;
}

/** Titles the re-keyed releases after the project they serve (the fixture carries no titles). */
function titled(releases: readonly Release[], plans: readonly DemoProjectPlan[]): Release[] {
  const projectOf = new Map<string, string>();
  for (const plan of plans) for (const ocid of plan.ocids) projectOf.set(ocid, plan.name);
  return releases.map((release) => {
    const tender = release.tender as Json | undefined;
    if (!tender) return release;
    const project = projectOf.get(release.ocid);
    return { ...release, tender: { ...tender, title: project ? `${project}工程采购` : `青岛市政府采购项目 ${release.ocid.slice(-4)}` } };
  });
}

const actorOf = (regionId: number, role: Actor['role'], departmentId: number | null = null): RequestContext => ({
  actor: { regionId, userId: 0, username: `demo-${role}`, role, departmentId, scopePath: `/${regionId}/`, via: 'cli' },
  regionId,
  ip: null,
  requestId: null,
});

export interface DemoProjectsReport {
  readonly projects: number;
  readonly releases: number;
  readonly processes: number;
  readonly flags: number;
  readonly findings: number;
}

/** Loads the demo projects, their procurement and a few findings into the demo city. */
export async function loadDemoProjects(deps: PlatformDeps, demo: DemoCity, now: Date): Promise<DemoProjectsReport> {
  const context = await cliContext(deps, demo.city.code);
  const regionId = context.regionId;
  const releases = loadDemoProcurement();
  const plans = generateDemoProjects(demo, releases, now);
  const regions = new Map((await deps.db.selectFrom('regions').select(['id', 'code']).where('region_id', '=', regionId).execute()).map((row) => [row.code, Number(row.id)]));
  const departments = new Map((await deps.db.selectFrom('departments').select(['id', 'code']).where('region_id', '=', regionId).execute()).map((row) => [row.code, Number(row.id)]));
  const seeds: ProjectSeed[] = plans.map(({ leadDepartmentCode, coDepartmentCodes, districtCode, areaCodes, ...plan }) => ({
    ...plan,
    leadDepartmentId: departments.get(leadDepartmentCode)!,
    coDepartmentIds: coDepartmentCodes.map((code) => departments.get(code)!),
    districtId: regions.get(districtCode) ?? null,
    areaIds: areaCodes.map((code) => regions.get(code)).filter((id): id is number => id !== undefined),
  }));
  await seedProjects(deps, context, seeds);
  // The shipped sample was re-keyed from OCDS 1.1 real examples.
  const report = await importOcds(deps, context, { name: 'demo-procurement.json.gz', sha256: 'demo', items: titled(releases, plans).map((release) => ({ release, where: release.id, version: '1.1' as const })) });
  const findings = await openDemoFindings(deps, regionId, now);
  return { projects: plans.length, releases: report.releasesRead, processes: report.processesCompiled, flags: report.flags, findings };
}

/** Audit findings from the flags of three projects, two inspections, one finding rectified and closed. */
async function openDemoFindings(deps: PlatformDeps, regionId: number, now: Date): Promise<number> {
  const auditor = actorOf(regionId, 'auditor');
  const projects = await listProjects(deps, actorOf(regionId, 'admin'), {});
  const flagged = projects.filter((project) => project.flags > 0).slice(0, 3);
  const today = day(now);
  const due = day(new Date(now.getTime() + 45 * DAY_MS));
  let count = 0;
  for (const project of flagged) {
    const flag = (await getProject(deps, auditor, project.id)).flags[0]!;
    await openFinding(deps, auditor, {
      type: 'audit',
      title: `审计关注：${project.name}采购红旗 ${flag.indicator}`,
      description: '根据开放合同数据红旗指标，对该项目采购程序开展延伸审计。',
      foundOn: today,
      flagId: flag.id,
      rectifications: [{ description: '说明采购程序合规性并补充相关材料', ownerDepartmentId: project.leadDepartmentId, dueDate: due }],
    });
    count += 1;
  }
  const inspected = projects.filter((project) => project.status === 'in_progress' && project.flags === 0).slice(0, 2);
  for (const [index, project] of inspected.entries()) {
    const finding = await openFinding(deps, auditor, {
      type: index === 0 ? 'special' : 'comprehensive',
      title: index === 0 ? `专项检查：${project.name}工程进度滞后` : `综合检查：${project.name}安全文明施工`,
      description: index === 0 ? '现场检查发现主体工程进度落后于计划节点。' : '现场检查发现围挡破损、扬尘措施不到位。',
      foundOn: day(new Date(now.getTime() - 40 * DAY_MS)),
      projectId: project.id,
      rectifications: [{ description: index === 0 ? '制定赶工计划并报送周进度' : '修复围挡并落实扬尘防治措施', ownerDepartmentId: project.leadDepartmentId, dueDate: day(new Date(now.getTime() - 5 * DAY_MS)) }],
    });
    count += 1;
    if (index === 1) {
      // This one has been rectified: evidence from the owner, signed off by the auditor, closed.
      const item = finding.rectifications[0]!;
      const owner = actorOf(regionId, 'handler', project.leadDepartmentId);
      await updateRectification(deps, owner, item.id, { version: item.version, evidence: '围挡已全部更换，增设喷淋设施，照片已上传', status: 'submitted' });
      await updateRectification(deps, auditor, item.id, { version: item.version + 1, status: 'signed_off' });
      await updateFinding(deps, auditor, finding.id, { version: finding.version, status: 'closed' });
    }
  }
  return count;
}

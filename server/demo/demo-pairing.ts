import { generatePairingCity } from '../algorithms/pairing/index.ts';
import { approveRun, linkCadreAccount, proposeRun, seedRegistry, seedVisits, type HistoricalVisit, type PairingRun } from '../modules/pairing/index.ts';
import { cliContext, type PlatformDeps } from '../platform/index.ts';
import type { DemoCity } from './demo-city.ts';
import { createRandom } from './random.ts';

/**
 * The demo city's pairing (结对帮扶): cadres and households from the seeded
 * Qingdao-shaped generator (`scale` 1 = 7,260 × 15,676), placed in the demo
 * city's districts and communities, paired by the optimiser (a run proposed
 * and approved), and a year of visits before `now`. The demo login `cadre`
 * is linked to a cadre of its own district with a handful of households.
 */
export interface DemoPairingReport {
  readonly cadres: number;
  readonly households: number;
  readonly visits: number;
  readonly run: PairingRun;
}

const MET = ['户主本人', '户主及配偶', '老人本人', '子女', '户主及家属'] as const;
const SITUATIONS = [
  '身体状况稳定，按时服药，生活基本能自理。',
  '家中卫生条件一般，已提醒注意用电安全。',
  '低保待遇正常发放，近期无新增困难。',
  '子女外出务工，老人独居，已联系社区网格员关注。',
  '孩子上学正常，询问了助学金申请进度。',
  '户主有就业意愿，已介绍社区招聘信息。',
  '腿脚不便，反映楼道照明不足。',
  '冬季取暖有保障，暖气正常。',
] as const;

/** Loads the demo pairing into a city that has none; the ids of the demo's regions come from `placesOf`. */
export async function loadDemoPairing(deps: PlatformDeps, demo: DemoCity, options: { scale: number; now: Date }): Promise<DemoPairingReport> {
  const context = await cliContext(deps, demo.city.code);
  const generated = generatePairingCity({ seed: demo.seed, scale: options.scale });
  const places = await placesOf(deps, demo);
  const districtCodes = demo.regions.filter((region) => region.level === 'district').map((region) => region.code);
  const byName = new Map(demo.regions.filter((region) => region.level === 'district').map((region) => [region.name, region.code]));
  const districtOf = new Map(generated.districts.map((district, index) => [district.name, byName.get(district.name) ?? districtCodes[index % districtCodes.length]!]));
  const communitiesOf = new Map<string, string[]>();
  for (const region of demo.regions) {
    if (region.level !== 'community') continue;
    const district = region.code.slice(0, 6);
    communitiesOf.set(district, [...(communitiesOf.get(district) ?? []), region.code]);
  }
  const generatedCommunity = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const community of generated.communities) {
    const district = districtOf.get(community.district)!;
    const list = communitiesOf.get(district) ?? [];
    const n = seen.get(district) ?? 0;
    seen.set(district, n + 1);
    generatedCommunity.set(community.id, list[n % list.length]!);
  }
  const random = createRandom(demo.seed + 5);
  const cadres = generated.cadres.map((cadre) => ({
    code: cadre.id,
    name: `干部${cadre.id.slice(1).replace(/^0+/, '')}`,
    userId: null,
    unit: `${demo.regions.find((region) => region.code === districtOf.get(cadre.district))?.name ?? ''}结对帮扶工作组`,
    districtId: places.get(districtOf.get(cadre.district)!)!,
    location: { x: cadre.x!, y: cadre.y! },
    capacity: cadre.capacity,
    skills: [...cadre.skills],
    active: true,
  }));
  const difficulties = ['低保', '低保边缘', '特困', '残疾', '大病', '独居老人', '单亲'] as const;
  const households = generated.households.map((household) => {
    const community = generatedCommunity.get(household.community!)!;
    return {
      code: household.id,
      districtId: places.get(districtOf.get(household.district)!)!,
      communityId: places.get(community)!,
      location: { x: household.x!, y: household.y! },
      difficulties: [random.pick(difficulties)],
      needs: [...household.needs],
      members: random.int(1, 5),
      contactPhone: `1${random.pick(['39', '58', '86', '53'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
      notes: null,
      active: true,
    };
  });
  await seedRegistry(deps, context, { cadres, households });
  const proposed = await proposeRun(deps, context, { scenario: 'full', districtId: null });
  const run = await approveRun(deps, context, proposed.id);
  await linkDemoCadre(deps, demo, context);
  const visits = yearOfVisits(await pairsOf(deps, context.regionId), options.now, demo.seed);
  await seedVisits(deps, context, visits);
  return { cadres: cadres.length, households: households.length, visits: visits.length, run };
}

/** The approved pairs (household id → cadre id). */
async function pairsOf(deps: PlatformDeps, regionId: number): Promise<[number, number][]> {
  const rows = await deps.db
    .withTables<{ pairing_pairs: { region_id: number; household_id: number; cadre_id: number } }>()
    .selectFrom('pairing_pairs')
    .select(['household_id', 'cadre_id'])
    .where('region_id', '=', regionId)
    .orderBy('household_id')
    .execute();
  return rows.map((row) => [Number(row.household_id), Number(row.cadre_id)]);
}

/**
 * Links `cadre` (and the generated cadre-N logins) to the cadre of their
 * district with the most households, so each sees a handful of their own.
 */
async function linkDemoCadre(deps: PlatformDeps, demo: DemoCity, context: Awaited<ReturnType<typeof cliContext>>): Promise<void> {
  const db = deps.db.withTables<{
    pairing_pairs: { region_id: number; household_id: number; cadre_id: number };
    pairing_cadres: { region_id: number; id: number; district_id: number };
  }>();
  const places = await placesOf(deps, demo);
  const taken = new Set<number>();
  for (const user of demo.users.filter((candidate) => candidate.role === 'cadre')) {
    const district = places.get(user.scopeRegionCode!.slice(0, 6));
    const account = await deps.db.selectFrom('users').select('id').where('region_id', '=', context.regionId).where('username', '=', user.username).executeTakeFirst();
    if (district === undefined || !account) continue;
    const loads = await db
      .selectFrom('pairing_pairs as p')
      .innerJoin('pairing_cadres as c', (join) => join.onRef('c.region_id', '=', 'p.region_id').onRef('c.id', '=', 'p.cadre_id'))
      .select(['p.cadre_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('p.region_id', '=', context.regionId)
      .where('c.district_id', '=', district)
      .groupBy('p.cadre_id')
      .orderBy('n', 'desc')
      .orderBy('p.cadre_id')
      .limit(20)
      .execute();
    const chosen = loads.find((row) => !taken.has(Number(row.cadre_id)));
    if (!chosen) continue;
    taken.add(Number(chosen.cadre_id));
    await linkCadreAccount(deps, context, Number(chosen.cadre_id), Number(account.id));
  }
}

/** The demo's region ids by code. */
async function placesOf(deps: PlatformDeps, demo: DemoCity): Promise<Map<string, number>> {
  const context = await cliContext(deps, demo.city.code);
  const rows = await deps.db.selectFrom('regions').select(['id', 'code']).where('region_id', '=', context.regionId).execute();
  return new Map(rows.map((row) => [row.code, Number(row.id)]));
}

const day = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * About one visit every 30–75 days per household over the year before
 * `now`; one household in twelve has had none for the last 90 days, so the
 * coverage board has something to show.
 */
function yearOfVisits(pairs: readonly [number, number][], now: Date, seed: number): HistoricalVisit[] {
  const random = createRandom(seed + 11);
  const visits: HistoricalVisit[] = [];
  const dayMs = 86_400_000;
  for (const [householdId, cadreId] of pairs) {
    const lapsed = random.chance(1 / 12);
    let at = now.getTime() - 365 * dayMs + random.int(0, 40) * dayMs;
    const stop = now.getTime() - (lapsed ? 90 : 1) * dayMs;
    while (at < stop) {
      const when = new Date(at);
      visits.push({ householdId, cadreId, visitedOn: day(when), durationMinutes: random.int(20, 90), met: random.pick(MET), situation: random.pick(SITUATIONS), createdAt: when });
      at += random.int(30, 75) * dayMs;
    }
  }
  return visits;
}

import { createReplyTemplate, createRoutingRule, prepareVoicesCity } from '../modules/voices/index.ts';
import {
  cliContext,
  findDepartmentByCode,
  findRegionByCode,
  provisionCity,
  resolveCity,
  type PlatformDeps,
} from '../platform/index.ts';
import { DEMO_LOGINS, DEMO_PASSWORDS, generateDemoCity, type DemoCity } from './demo-city.ts';
import { loadDemoCorpus } from './demo-corpus.ts';
import { DEMO_REPLY_TEMPLATES } from './demo-reply-templates.ts';
import { DEFAULT_HISTORY_SIZE, generateDemoHistory } from './demo-history.ts';
import { writeDemoHistory } from './demo-history-writer.ts';
import { loadDemoProjects } from './demo-projects.ts';
import { loadDemoPairing } from './demo-pairing.ts';

export interface LoadDemoOptions {
  /** Cases of history to load (default 20,000; 0 for none, e.g. in tests). */
  readonly historySize?: number;
  /** The end of the history; default the first day of the current month (China time), so a seed always gives the same history within a month. */
  readonly historyAnchor?: Date;
  /** Load the livelihood projects, their procurement and findings (default true). */
  readonly projects?: boolean;
  /** Pairing registry size in percent of the seed scale (default the config's DEMO_PAIRING_PERCENT; 0 for none). */
  readonly pairingPercent?: number;
}

/** Midnight (UTC+8) starting the month of `at`. */
export function historyAnchorOf(at: Date): Date {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - 8 * 3_600_000);
}

/** A demo login as printed at start. */
export interface DemoCredential {
  readonly username: string;
  readonly password: string;
  readonly role: string;
  readonly description: string;
}

/**
 * Loads the generated demo city unless a city with its code exists. Returns
 * whether it loaded, and the demo logins to print either way.
 */
export async function loadDemoCity(
  deps: PlatformDeps,
  seed: number,
  options: LoadDemoOptions = {},
): Promise<{ loaded: boolean; logins: DemoCredential[]; historyCases: number }> {
  const demo = generateDemoCity(seed);
  const logins = DEMO_LOGINS.map((login) => ({
    username: login.username,
    password: DEMO_PASSWORDS[login.role],
    role: login.role,
    description: login.description,
  }));
  const exists = await resolveCity(deps, demo.city.code).then(
    () => true,
    () => false,
  );
  if (exists) return { loaded: false, logins, historyCases: 0 };
  const { regionId } = await provisionCity(deps, {
    city: { code: demo.city.code, name: demo.city.name, nameEn: demo.city.nameEn, centroid: demo.city.centroid },
    regions: demo.regions.slice(1).map((region) => ({
      code: region.code,
      name: region.name,
      nameEn: region.nameEn,
      level: region.level as 'district' | 'street' | 'community',
      parentCode: region.parentCode!,
      centroid: region.centroid,
    })),
    departments: demo.departments,
    users: demo.users.map((user) => ({ ...user, password: DEMO_PASSWORDS[user.role] })),
  });
  await prepareVoicesCity(deps, regionId);
  await createDemoRoutingRules(deps, demo);
  await createDemoReplyTemplates(deps, demo);
  const size = options.historySize ?? DEFAULT_HISTORY_SIZE;
  if (size > 0) {
    const now = options.historyAnchor ?? historyAnchorOf(deps.clock());
    const history = generateDemoHistory(demo, loadDemoCorpus(), { now, size });
    await writeDemoHistory(deps, demo, regionId, history, now);
  }
  const pairingPercent = options.pairingPercent ?? deps.config.demoPairingPercent;
  if (pairingPercent > 0) await loadDemoPairing(deps, demo, { scale: pairingPercent / 100, now: deps.clock() });
  if (options.projects ?? true) await loadDemoProjects(deps, demo, deps.clock());
  return { loaded: true, logins, historyCases: size };
}

/**
 * Routes every complaint area to the city bureau that covers it, and, in
 * each district, to the district bureau of that area: what a coordinator
 * sets up on day one so messages reach a department without triage.
 */
async function createDemoRoutingRules(deps: PlatformDeps, demo: DemoCity): Promise<void> {
  const context = await cliContext(deps, demo.city.code);
  for (const department of demo.departments) {
    const found = await findDepartmentByCode(deps.db, context.regionId, department.code);
    const district =
      department.districtCode === null
        ? undefined
        : await findRegionByCode(deps.db, context.regionId, department.districtCode);
    for (const area of department.areas) {
      const isFirstCityBureau =
        department.districtCode === null &&
        demo.departments.find((other) => other.districtCode === null && other.areas.includes(area)) === department;
      if (department.districtCode !== null || isFirstCityBureau) {
        await createRoutingRule(deps, context, {
          categoryPathPrefix: area,
          districtId: district?.id ?? null,
          departmentId: found!.id,
          coHandlerIds: [],
          priority: 0,
        });
      }
    }
  }
}

/** The reply templates a city starts with: the city's per common area and kind, and one of the housing bureau's own. */
async function createDemoReplyTemplates(deps: PlatformDeps, demo: DemoCity): Promise<void> {
  const context = await cliContext(deps, demo.city.code);
  for (const template of DEMO_REPLY_TEMPLATES) {
    const department = template.departmentCode === null ? undefined : await findDepartmentByCode(deps.db, context.regionId, template.departmentCode);
    await createReplyTemplate(deps, context, {
      categoryPathPrefix: template.categoryPathPrefix,
      kind: template.kind,
      departmentId: department?.id ?? null,
      title: template.title,
      body: template.body,
    });
  }
}

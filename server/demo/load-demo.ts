import { prepareVoicesCity } from '../modules/voices/index.ts';
import { provisionCity, resolveCity, type PlatformDeps } from '../platform/index.ts';
import { DEMO_LOGINS, DEMO_PASSWORDS, generateDemoCity } from './demo-city.ts';

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
export async function loadDemoCity(deps: PlatformDeps, seed: number): Promise<{ loaded: boolean; logins: DemoCredential[] }> {
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
  if (exists) return { loaded: false, logins };
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
  return { loaded: true, logins };
}

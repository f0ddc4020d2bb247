import type { Role } from '../platform/authorization.ts';
import type { RegionLevel } from '../platform/organisation/organisation.ts';
import {
  BUREAUS,
  CITY,
  COMMUNITY_FIRST,
  COMMUNITY_SECOND,
  DISTRICT_BUREAUS,
  DISTRICTS,
  GIVEN_NAMES,
  SUBDISTRICT_STEMS,
  SURNAMES,
  TOWN_STEMS,
  VILLAGE_PREFIXES,
  VILLAGE_SUFFIXES,
  VILLAGE_SURNAMES,
  type ComplaintArea,
  type DistrictFact,
  type DistrictKind,
  type Word,
} from './demo-words.ts';
import { createRandom, type Random } from './random.ts';

/**
 * A node of the demo region tree, keyed by code rather than id because ids exist only
 * once the loader has inserted it: the loader resolves `parentCode` to the parent's id.
 */
export interface DemoRegion {
  /** City code, a district's administrative code (370202), or the parent's code plus 3 digits. */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly level: RegionLevel;
  /** Null only for the city. */
  readonly parentCode: string | null;
  readonly centroid: [lng: number, lat: number];
}

/**
 * A government department. City bureaus have `districtCode` null and together own
 * every complaint area; district bureaus point at their city bureau through `parentCode`.
 */
export interface DemoDepartment {
  /** ASCII: `city-housing`, `370202-housing`. */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly districtCode: string | null;
  readonly parentCode: string | null;
  /** Level-1 complaint areas it handles (one or two). */
  readonly areas: ComplaintArea[];
  /** Office switchboard, `0532-8xxxxxxx`. */
  readonly contactPhone: string;
  readonly contactEmail: string;
  /** Office address in its district, e.g. 青岛市市南区香港中路76号. */
  readonly address: string;
}

/**
 * A demo account. Scopes follow the platform's rule: `scopeRegionCode` null means the
 * department's district for handlers, the whole city for everyone else; citizens have none.
 */
export interface DemoUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly departmentCode: string | null;
  readonly scopeRegionCode: string | null;
  /** A made-up mobile number, 1[3-9]xxxxxxxxx. */
  readonly phone: string;
  /** `<username>@demo.minxin.example` (a reserved domain: mail never leaves). */
  readonly email: string;
}

/** Everything a loader inserts, in insertion order within each list. */
export interface DemoCity {
  readonly seed: number;
  /** The same object as `regions[0]`. */
  readonly city: DemoRegion;
  /** City, then 10 districts, 100 streets and 1,400 communities: every parent comes before its children. */
  readonly regions: DemoRegion[];
  /** 20 city bureaus, then 40 district bureaus: parents first. */
  readonly departments: DemoDepartment[];
  /** The fixed logins of DEMO_LOGINS first, then generated handlers, cadres and citizens. */
  readonly users: DemoUser[];
}

/** A login that exists whatever the seed, so the README can print it. */
export interface DemoLogin {
  readonly username: string;
  readonly role: Role;
  readonly departmentCode: string | null;
  readonly scopeRegionCode: string | null;
  /** What the login is for, in one line of English. */
  readonly description: string;
}

/**
 * The fixed demo logins. Codes are positional (street 001 of 370202, its community 001),
 * so the cadre's community exists under every seed even though its name changes.
 */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    username: 'admin',
    role: 'admin',
    departmentCode: null,
    scopeRegionCode: null,
    description: 'administrator, whole city',
  },
  {
    username: 'coordinator',
    role: 'coordinator',
    departmentCode: null,
    scopeRegionCode: null,
    description: 'hotline coordinator, whole city',
  },
  {
    username: 'handler',
    role: 'handler',
    departmentCode: 'city-housing',
    scopeRegionCode: null,
    description: 'case handler, city housing bureau',
  },
  {
    username: 'cadre',
    role: 'cadre',
    departmentCode: null,
    scopeRegionCode: '370202001001',
    description: 'community cadre, one community in Shinan',
  },
  {
    username: 'auditor',
    role: 'auditor',
    departmentCode: null,
    scopeRegionCode: null,
    description: 'auditor, whole city',
  },
  { username: 'citizen', role: 'citizen', departmentCode: null, scopeRegionCode: null, description: 'resident' },
  {
    username: 'admin-shinan',
    role: 'admin',
    departmentCode: null,
    scopeRegionCode: '370202',
    description: 'administrator, Shinan District',
  },
  {
    username: 'coordinator-huangdao',
    role: 'coordinator',
    departmentCode: null,
    scopeRegionCode: '370211',
    description: 'coordinator, Huangdao District',
  },
];

/** One demo password per role (each ≥ 10 characters), printed by the loader; demo only. */
export const DEMO_PASSWORDS: Readonly<Record<Role, string>> = Object.freeze({
  admin: 'Minxin-admin-2026',
  coordinator: 'Minxin-coordinator-2026',
  handler: 'Minxin-handler-2026',
  cadre: 'Minxin-cadre-2026',
  auditor: 'Minxin-auditor-2026',
  citizen: 'Minxin-citizen-2026',
});

const STREETS = { total: 100, min: 8, max: 12 };
const COMMUNITIES = { total: 1400, min: 10, max: 18 };
const EMAIL_DOMAIN = 'demo.minxin.example';

/** Share of a district's streets that are towns (镇) rather than subdistricts (街道). */
const TOWN_SHARE: Record<DistrictKind, number> = { urban: 0, suburban: 0.3, county: 0.6 };
/** How far (degrees) a street and a community may sit from their parent's centroid: towns spread wider. */
const SPREAD: Record<DistrictKind, { street: number; community: number }> = {
  urban: { street: 0.03, community: 0.008 },
  suburban: { street: 0.1, community: 0.02 },
  county: { street: 0.15, community: 0.03 },
};

/**
 * Generates the Qingdao demo city: 1 city, 10 districts, 100 streets, 1,400 communities,
 * 60 departments and 31–43 staff and citizens. Pure and deterministic: the same seed gives
 * a deep-equal result; another seed changes names, sizes, contacts and assignments but
 * never the counts, the district and department structure or the DEMO_LOGINS.
 * Runs in a few milliseconds. Throws RangeError for a non-finite seed.
 *
 * @example
 * const demo = generateDemoCity(2026);
 * demo.regions.filter((r) => r.level === 'community').length; // 1400
 */
export function generateDemoCity(seed: number): DemoCity {
  const random = createRandom(seed);
  const regions = buildRegions(random);
  const departments = buildDepartments(random);
  const users = buildUsers(random, regions, departments);
  return { seed, city: regions[0] as DemoRegion, regions, departments, users };
}

// --- regions --------------------------------------------------------------------------------

interface Street {
  readonly region: DemoRegion;
  readonly isTown: boolean;
  readonly district: DistrictFact;
}

function buildRegions(random: Random): DemoRegion[] {
  const city: DemoRegion = {
    code: CITY.code,
    name: CITY.name,
    nameEn: CITY.nameEn,
    level: 'city',
    parentCode: null,
    centroid: [CITY.centroid[0], CITY.centroid[1]],
  };
  const districts = DISTRICTS.map((district): DemoRegion => ({
    code: district.code,
    name: district.name,
    nameEn: district.nameEn,
    level: 'district',
    parentCode: city.code,
    centroid: [district.centroid[0], district.centroid[1]],
  }));

  const subdistrictStems = queueOf(random.shuffle(SUBDISTRICT_STEMS));
  const townStems = queueOf(random.shuffle(TOWN_STEMS));
  // Once the curated stems run out, streets borrow generated ones (a pool of their own, so
  // street and community names are each unique city-wide).
  const spareStreetStems = queueOf(random.shuffle(residentialStems()));
  const streets: Street[] = [];
  const streetCounts = random.split(STREETS.total, DISTRICTS.length, STREETS.min, STREETS.max);
  DISTRICTS.forEach((district, index) => {
    const count = streetCounts[index] as number;
    const subdistricts = count - Math.round(count * TOWN_SHARE[district.kind]);
    for (let n = 0; n < count; n++) {
      const isTown = n >= subdistricts;
      const stem = take(isTown ? townStems : subdistrictStems, spareStreetStems);
      // GB/T 10114 numbering: subdistricts 001–099, towns 101–199.
      const code = district.code + pad3(isTown ? 101 + n - subdistricts : 1 + n);
      const region: DemoRegion = {
        code,
        name: stem[0] + (isTown ? '镇' : '街道'),
        nameEn: `${stem[1]} ${isTown ? 'Town' : 'Subdistrict'}`,
        level: 'street',
        parentCode: district.code,
        centroid: jitter(random, district.centroid, SPREAD[district.kind].street),
      };
      streets.push({ region, isTown, district });
    }
  });

  const residential = queueOf(random.shuffle(residentialStems()));
  const villages = queueOf(random.shuffle(villageStems()));
  const communities: DemoRegion[] = [];
  const communityCounts = random.split(COMMUNITIES.total, streets.length, COMMUNITIES.min, COMMUNITIES.max);
  streets.forEach((street, index) => {
    const count = communityCounts[index] as number;
    let villageCount = 0;
    for (let n = 0; n < count; n++) {
      if (isVillage(random, street)) villageCount++;
    }
    const communityCount = count - villageCount;
    for (let n = 0; n < count; n++) {
      const village = n >= communityCount;
      const stem = take(village ? villages : residential);
      // GB/T 10114 numbering: residents' committees 001–199, village committees 201–399.
      const code = street.region.code + pad3(village ? 201 + n - communityCount : 1 + n);
      communities.push({
        code,
        name: stem[0] + (village ? '村' : '社区'),
        nameEn: `${stem[1]} ${village ? 'Village' : 'Community'}`,
        level: 'community',
        parentCode: street.region.code,
        centroid: jitter(random, street.region.centroid, SPREAD[street.district.kind].community),
      });
    }
  });

  return [city, ...districts, ...streets.map((street) => street.region), ...communities];
}

/** Urban subdistricts hold only residents' committees; towns are mostly villages. */
function isVillage(random: Random, street: Street): boolean {
  if (street.district.kind === 'urban') return false;
  return random.chance(street.isTown ? 0.85 : 0.3);
}

/** Every two-syllable residential name (金湖, 福安…), about 1,700 of them. */
function residentialStems(): Word[] {
  const stems: Word[] = [];
  for (const first of COMMUNITY_FIRST) {
    for (const second of COMMUNITY_SECOND) {
      if (first[0] !== second[0]) stems.push([first[0] + second[0], toPlaceName(first[1], second[1])]);
    }
  }
  return stems;
}

/** Every village name of the [direction] + surname + 家庄/戈庄… pattern, about 3,200 of them. */
function villageStems(): Word[] {
  const stems: Word[] = [];
  for (const prefix of VILLAGE_PREFIXES) {
    for (const surname of VILLAGE_SURNAMES) {
      for (const suffix of VILLAGE_SUFFIXES) {
        stems.push([prefix[0] + surname[0] + suffix[0], toPlaceName(prefix[1], surname[1], suffix[1])]);
      }
    }
  }
  return stems;
}

/**
 * Joins pinyin syllables into one capitalised place name, with the apostrophe that
 * keeps 福安 (Fu'an) from reading as "Fuan": before a syllable starting with a, o or e.
 */
function toPlaceName(...syllables: string[]): string {
  const joined = syllables
    .filter((syllable) => syllable !== '')
    .reduce((name, syllable) => (name !== '' && /^[aoe]/.test(syllable) ? `${name}'${syllable}` : name + syllable), '');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

function jitter(random: Random, centre: readonly [number, number], spread: number): [number, number] {
  return [round5(centre[0] + random.float(-spread, spread)), round5(centre[1] + random.float(-spread, spread))];
}

// --- departments ------------------------------------------------------------------------------

function buildDepartments(random: Random): DemoDepartment[] {
  const contacts = createContacts(random);
  const shinan = districtByCode('370202');
  const shibei = districtByCode('370203');
  const cityBureaus = BUREAUS.map((bureau): DemoDepartment => {
    const code = `city-${bureau.key}`;
    // Most municipal bureaus sit in the old centre around the city government.
    const seat = random.weighted([
      [shinan, 3],
      [shibei, 1],
    ]);
    return {
      code,
      name: bureau.city[0],
      nameEn: bureau.city[1],
      districtCode: null,
      parentCode: null,
      areas: [...bureau.areas],
      contactPhone: contacts.officePhone(),
      contactEmail: `${code}@${EMAIL_DOMAIN}`,
      address: officeAddress(random, seat),
    };
  });

  const districtBureaus = DISTRICTS.flatMap((district) =>
    DISTRICT_BUREAUS[district.kind].map((key): DemoDepartment => {
      const bureau = BUREAUS.find((candidate) => candidate.key === key);
      const template = district.kind === 'county' ? (bureau?.countyCity ?? bureau?.district) : bureau?.district;
      if (bureau === undefined || template === undefined) throw new Error(`no district bureau template for ${key}`);
      const code = `${district.code}-${key}`;
      return {
        code,
        name: fillTemplate(template[0], district),
        nameEn: fillTemplate(template[1], district),
        districtCode: district.code,
        parentCode: `city-${key}`,
        areas: [...bureau.areas],
        contactPhone: contacts.officePhone(),
        contactEmail: `${code}@${EMAIL_DOMAIN}`,
        address: officeAddress(random, district),
      };
    }),
  );

  return [...cityBureaus, ...districtBureaus];
}

function fillTemplate(template: string, district: DistrictFact): string {
  return template
    .replace('{districtEn}', district.nameEn)
    .replace('{district}', district.name)
    .replace('{shortEn}', district.short[1])
    .replace('{short}', district.short[0]);
}

function officeAddress(random: Random, district: DistrictFact): string {
  return `${CITY.name}${district.name}${random.pick(district.roads)}${random.int(1, 299)}号`;
}

function districtByCode(code: string): DistrictFact {
  const district = DISTRICTS.find((candidate) => candidate.code === code);
  if (district === undefined) throw new Error(`unknown district ${code}`);
  return district;
}

// --- users ---------------------------------------------------------------------------------------

const HANDLED_DEPARTMENTS = 12;
const EXTRA_CADRES = 5;
const EXTRA_CITIZENS = 6;

function buildUsers(random: Random, regions: DemoRegion[], departments: DemoDepartment[]): DemoUser[] {
  const contacts = createContacts(random);
  const user = (
    username: string,
    role: Role,
    departmentCode: string | null = null,
    scopeRegionCode: string | null = null,
  ): DemoUser => ({
    username,
    displayName: contacts.personName(),
    role,
    departmentCode,
    scopeRegionCode,
    phone: contacts.mobile(),
    email: `${username}@${EMAIL_DOMAIN}`,
  });

  const users = DEMO_LOGINS.map((login) =>
    user(login.username, login.role, login.departmentCode, login.scopeRegionCode),
  );

  const staffed = random
    .sample(
      departments.map((department, index) => ({ department, index })),
      HANDLED_DEPARTMENTS,
    )
    .sort((a, b) => a.index - b.index);
  for (const { department } of staffed) {
    const count = random.int(1, 2);
    for (let n = 1; n <= count; n++) users.push(user(`h-${department.code}-${n}`, 'handler', department.code));
  }

  const communities = regions.filter((region) => region.level === 'community');
  random.sample(communities, EXTRA_CADRES).forEach((community, index) => {
    users.push(user(`cadre-${index + 1}`, 'cadre', null, community.code));
  });

  for (let n = 1; n <= EXTRA_CITIZENS; n++) users.push(user(`citizen-${n}`, 'citizen'));
  return users;
}

/** Phone numbers and names that never repeat within one generator. */
function createContacts(random: Random) {
  const used = new Set<string>();
  const unique = (make: () => string): string => {
    let value = make();
    while (used.has(value)) value = make();
    used.add(value);
    return value;
  };
  const digits = (count: number): string => Array.from({ length: count }, () => random.int(0, 9)).join('');
  return {
    officePhone: () => unique(() => `0532-8${digits(7)}`),
    mobile: () => unique(() => `1${random.pick(['3', '5', '7', '8', '9'])}${digits(9)}`),
    personName: () =>
      unique(() => {
        const given = random.sample(GIVEN_NAMES, random.chance(0.3) ? 1 : 2).join('');
        return random.weighted(SURNAMES) + given;
      }),
  };
}

// --- small helpers ---------------------------------------------------------------------------------

/** Hands out items in order; `take` falls back to a second queue when the first runs dry. */
function queueOf<T>(items: readonly T[]): () => T | undefined {
  let next = 0;
  return () => items[next++];
}

function take<T>(primary: () => T | undefined, fallback?: () => T | undefined): T {
  const item = primary() ?? fallback?.();
  if (item === undefined) throw new Error('demo word list exhausted');
  return item;
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

/**
 * A deterministic Qingdao-shaped city for the pairing optimizer's tests,
 * benchmark and the demo city: 10 districts (dense old town, spread-out
 * county-level cities), streets and ~1,400 communities per unit of scale,
 * cadres clustered at district and street offices or living near a
 * community, ~15% of households with needs, most with a current cadre.
 * Scale 1 is Qingdao's 7,260 cadres × 15,676 households. Plane km (x east,
 * y north of 市南区) or, with `geo`, lat/lon around Qingdao. Pure and seeded.
 */
import { seededRandom } from '../seeded-random.ts';
import type { PairingCadre, PairingHousehold, PairingInstance } from './types.ts';

/** The expertise tags the generator draws from. */
export const PAIRING_SKILLS = ['medical', 'legal', 'employment', 'education', 'elderly-care', 'disability'] as const;

interface DistrictShape {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  /** Radius of the built-up area, km. */
  readonly radius: number;
  /** Share of the city's households (and cadres). */
  readonly share: number;
}

const QINGDAO: readonly DistrictShape[] = [
  { name: '市南区', x: 0, y: 0, radius: 3, share: 0.07 },
  { name: '市北区', x: 2, y: 5, radius: 3.5, share: 0.12 },
  { name: '李沧区', x: 6, y: 12, radius: 4, share: 0.09 },
  { name: '崂山区', x: 15, y: 5, radius: 8, share: 0.06 },
  { name: '城阳区', x: 8, y: 25, radius: 8, share: 0.1 },
  { name: '黄岛区', x: -15, y: -10, radius: 15, share: 0.15 },
  { name: '即墨区', x: 30, y: 40, radius: 15, share: 0.12 },
  { name: '胶州市', x: -25, y: 25, radius: 12, share: 0.1 },
  { name: '平度市', x: -40, y: 70, radius: 20, share: 0.11 },
  { name: '莱西市', x: 10, y: 70, radius: 15, share: 0.08 },
];

export interface GeneratedDistrict {
  /** The district's name, which cadres and households carry as `district`. */
  readonly id: string;
  readonly name: string;
}

export interface GeneratedCommunity {
  readonly id: string;
  readonly district: string;
  readonly street: string;
  /** Plane km, also when `geo` adds lat/lon. */
  readonly x: number;
  readonly y: number;
  readonly lat?: number;
  readonly lon?: number;
}

export interface GeneratedCity extends PairingInstance {
  readonly districts: readonly GeneratedDistrict[];
  readonly communities: readonly GeneratedCommunity[];
  readonly cadres: readonly PairingCadre[];
  readonly households: readonly PairingHousehold[];
}

export interface GeneratorOptions {
  readonly seed?: number;
  /** 1 = 7,260 cadres × 15,676 households; 10 = ten times as many of each (and of communities). */
  readonly scale?: number;
  /** lat/lon instead of x,y. */
  readonly geo?: boolean;
}

const LAT0 = 36.07;
const LON0 = 120.38;

/**
 * Generates the city. The same options give the same city on every machine.
 *
 * @example
 * const city = generatePairingCity({ seed: 7, scale: 0.05 });
 * solvePairing(city, scenarioOptions('full'));
 */
export function generatePairingCity(options: GeneratorOptions = {}): GeneratedCity {
  const random = seededRandom(options.seed ?? 20261201);
  const scale = options.scale ?? 1;
  const cadreCount = Math.max(1, Math.round(7260 * scale));
  const householdCount = Math.max(1, Math.round(15676 * scale));
  const communityCount = Math.max(QINGDAO.length, Math.round(1400 * scale));
  const gaussian = (): number => {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const inDisc = (x: number, y: number, radius: number): [number, number] => {
    const r = radius * Math.sqrt(random());
    const angle = 2 * Math.PI * random();
    return [x + r * Math.cos(angle), y + r * Math.sin(angle)];
  };
  const round3 = (value: number): number => Math.round(value * 1000) / 1000;
  const place = <T extends object>(record: T, x: number, y: number): T => {
    if (!options.geo) return { ...record, x: round3(x), y: round3(y) };
    const lat = LAT0 + y / 110.574;
    return { ...record, lat: Math.round(lat * 1e6) / 1e6, lon: Math.round((LON0 + x / (111.32 * Math.cos(LAT0 * (Math.PI / 180)))) * 1e6) / 1e6 };
  };
  const share = (total: number, k: number): number => {
    const before = QINGDAO.slice(0, k).reduce((sum, d) => sum + d.share, 0);
    return Math.round(total * (before + QINGDAO[k]!.share)) - Math.round(total * before);
  };

  const districts: GeneratedDistrict[] = QINGDAO.map((d) => ({ id: d.name, name: d.name }));
  const communities: GeneratedCommunity[] = [];
  const cadres: PairingCadre[] = [];
  const households: PairingHousehold[] = [];
  const width = String(Math.max(householdCount, cadreCount)).length + 1;
  const id = (prefix: string, n: number): string => `${prefix}${String(n).padStart(width, '0')}`;

  QINGDAO.forEach((shape, k) => {
    const district = districts[k]!.name;
    const dense = shape.radius <= 4;
    const streetCount = Math.max(2, Math.round(share(communityCount, k) / 10));
    const streets = Array.from({ length: streetCount }, (_, s) => {
      const [x, y] = inDisc(shape.x, shape.y, shape.radius * 0.9);
      return { id: `D${String(k + 1).padStart(2, '0')}S${String(s + 1).padStart(3, '0')}`, x, y, cadres: [] as number[] };
    });
    const office = inDisc(shape.x, shape.y, shape.radius * 0.2);
    const firstCommunity = communities.length;
    for (let q = 0; q < share(communityCount, k); q++) {
      const street = streets[Math.floor(random() * streets.length)]!;
      const spread = dense ? 1.2 : 3.5;
      const x = street.x + gaussian() * spread;
      const y = street.y + gaussian() * spread;
      const geo = options.geo ? place({}, x, y) : {};
      communities.push({ id: `Q${String(communities.length + 1).padStart(5, '0')}`, district, street: street.id, x: round3(x), y: round3(y), ...geo });
    }
    const mine = communities.slice(firstCommunity);
    const position = (community: GeneratedCommunity): [number, number] => [community.x, community.y];
    const cadreStart = cadres.length;
    for (let n = 0; n < share(cadreCount, k); n++) {
      const skills = PAIRING_SKILLS.filter(() => random() < 0.1);
      const capacity = 2 + Math.floor(random() * 3);
      const roll = random();
      let x: number;
      let y: number;
      let street: (typeof streets)[number];
      if (roll < 0.12) {
        [x, y] = office;
        street = streets[Math.floor(random() * streets.length)]!;
      } else if (roll < 0.55) {
        street = streets[Math.floor(random() * streets.length)]!;
        [x, y] = [street.x, street.y];
      } else {
        const home = mine[Math.floor(random() * mine.length)]!;
        street = streets.find((s) => s.id === home.street)!;
        const [hx, hy] = position(home);
        [x, y] = [hx + gaussian() * 0.6, hy + gaussian() * 0.6];
      }
      street.cadres.push(cadres.length);
      cadres.push(place({ id: id('C', cadres.length + 1), district, capacity, skills }, x, y));
    }
    const skilled: number[] = [];
    const reserved = new Map<number, number>();
    for (let c = cadreStart; c < cadres.length; c++) {
      if (cadres[c]!.skills.length === 0) continue;
      skilled.push(c);
      reserved.set(c, cadres[c]!.capacity);
    }
    for (let n = 0; n < share(householdCount, k); n++) {
      const community = mine[Math.floor(random() * mine.length)]!;
      const [cx, cy] = position(community);
      const spread = dense ? 0.25 : 0.6;
      const needs: string[] = [];
      if (random() < 0.15) {
        // Needs as some expert of the district with room left can meet
        // (reserving that room), so every generated city can be paired.
        const expert = skilled.length > 0 ? skilled[Math.floor(random() * skilled.length)]! : -1;
        if (expert >= 0) {
          const skills = cadres[expert]!.skills;
          const two = skills.length >= 2 && random() < 0.2;
          const first = Math.floor(random() * skills.length);
          needs.push(skills[first]!);
          if (two) needs.push(skills[(first + 1) % skills.length]!);
          reserved.set(expert, reserved.get(expert)! - 1);
          if (reserved.get(expert) === 0) skilled.splice(skilled.indexOf(expert), 1);
        }
      }
      let currentCadre: string | undefined;
      if (random() < 0.75) {
        const street = streets.find((s) => s.id === community.street)!;
        const pool = street.cadres.length > 0 ? street.cadres : Array.from({ length: cadres.length - cadreStart }, (_, i) => cadreStart + i);
        for (let attempt = 0; attempt < 6 && pool.length > 0; attempt++) {
          const cadre = cadres[pool[Math.floor(random() * pool.length)]!]!;
          currentCadre = cadre.id;
          if (needs.every((need) => cadre.skills.includes(need))) break;
        }
      }
      households.push(place({ id: id('H', households.length + 1), district, community: community.id, needs, ...(currentCadre ? { currentCadre } : {}) }, cx + gaussian() * spread, cy + gaussian() * spread));
    }
  });
  return { districts, communities, cadres, households };
}

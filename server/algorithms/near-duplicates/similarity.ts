/**
 * How alike two messages are: "says the same thing" is the same problem at the
 * same place, and the score weighs three parts, each in [0, 1]:
 *
 * - text: the estimated Jaccard similarity of their character shingles (MinHash);
 * - place: the same community (or district), pins close together, or the same
 *   named sites in the text; a different community, district or a distant pin
 *   says "elsewhere": the place part is 0 and the whole score is halved;
 * - problem: the same category, and the overlap of their weighted problem terms.
 *
 * Every part says why (`basis`, shared terms), so a coordinator sees the reasons.
 */
import { estimateJaccard } from './minhash.ts';
import { DEFAULT_PARAMETERS, type NearDuplicateParameters } from './parameters.ts';
import type { TextSignature } from './signature.ts';

/** A message as compared: its signature and what intake knows of its place and category. */
export interface MessageFacts {
  readonly signature: TextSignature;
  readonly communityId: number | null;
  readonly districtId: number | null;
  readonly categoryPath: string | null;
  readonly lat: number | null;
  readonly lng: number | null;
  readonly submittedAt: Date;
}

/** Why two messages are (or are not) at the same place. */
export interface PlaceMatch {
  readonly score: number;
  /** What decided: the community ids, the district ids, the pins, the named sites, the district names in the text, or nothing known. */
  readonly basis: 'community' | 'district' | 'pin' | 'text' | 'unknown';
  /** Place terms both texts name. */
  readonly shared: readonly string[];
  /** Kilometres between the pins, when both have one. */
  readonly distanceKm: number | null;
}

/** Why two messages are (or are not) about the same problem. */
export interface ProblemMatch {
  readonly score: number;
  readonly basis: 'category' | 'terms';
  /** Problem terms both use, heaviest first. */
  readonly shared: readonly string[];
}

export interface Similarity {
  /** Weighted sum of the parts, in [0, 1]. */
  readonly score: number;
  readonly text: number;
  readonly place: PlaceMatch;
  readonly problem: ProblemMatch;
  /** Days between the two submissions (absolute). */
  readonly daysApart: number;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Pins within 300 m are one place; beyond 3 km, two. */
const NEAR_KM = 0.3;
const FAR_KM = 3;

/** Place evidence from the texts alone: shared named sites, else shared roads, else the district names. */
function textPlace(a: TextSignature, b: TextSignature): { score: number | null; shared: string[] } {
  const of = (signature: TextSignature, kind: string) => new Set(signature.places.filter((place) => place.kind === kind).map((place) => place.term));
  const shared = (kind: string) => {
    const other = of(b, kind);
    return [...of(a, kind)].filter((term) => other.has(term));
  };
  const sites = shared('site');
  const roads = shared('road');
  const districts = shared('district');
  if (sites.length > 0) return { score: 1, shared: [...sites, ...roads] };
  if (roads.length > 0) return { score: 0.7, shared: roads };
  const aDistricts = of(a, 'district');
  const bDistricts = of(b, 'district');
  if (aDistricts.size > 0 && bDistricts.size > 0) return { score: districts.length > 0 ? 0.4 : 0, shared: districts };
  return { score: null, shared: [] };
}

/** With nothing known about either place, the place part is neutral; the same district is a little more. */
const UNKNOWN_PLACE = 0.4;
const SAME_DISTRICT = 0.5;

/** A message known to be elsewhere (another community or district, a distant pin) keeps half its score. */
const ELSEWHERE_FACTOR = 0.5;

/**
 * The place part. What intake knows decides first: two different communities
 * or districts, or pins more than 3 km apart, are elsewhere (`elsewhere`);
 * the same community is the same place; pins within 300 m too, fading to 0 at
 * 3 km. Otherwise the texts decide (shared sites 1, shared roads 0.7, only the
 * same district 0.4, named districts that differ 0), then the same district id
 * (0.5), else nothing is known (0.4).
 */
function comparePlaces(a: MessageFacts, b: MessageFacts): PlaceMatch & { elsewhere: boolean } {
  const fromText = textPlace(a.signature, b.signature);
  const distance = a.lat !== null && a.lng !== null && b.lat !== null && b.lng !== null ? round(distanceKm(a.lat, a.lng, b.lat, b.lng)) : null;
  const match = (score: number, basis: PlaceMatch['basis'], elsewhere = false) => ({ score, basis, shared: fromText.shared, distanceKm: distance, elsewhere });
  if (a.communityId !== null && b.communityId !== null && a.communityId !== b.communityId) return match(0, 'community', true);
  if (a.districtId !== null && b.districtId !== null && a.districtId !== b.districtId) return match(0, 'district', true);
  if (distance !== null && distance > FAR_KM) return match(0, 'pin', true);
  if (a.communityId !== null && a.communityId === b.communityId) return match(1, 'community');
  if (distance !== null) return match(Math.max(distance <= NEAR_KM ? 1 : round(1 - (distance - NEAR_KM) / (FAR_KM - NEAR_KM)), fromText.score ?? 0), 'pin');
  const sameDistrict = a.districtId !== null && a.districtId === b.districtId;
  if (fromText.score !== null && (fromText.score >= SAME_DISTRICT || !sameDistrict)) return match(fromText.score, 'text');
  if (sameDistrict) return match(SAME_DISTRICT, 'district');
  return match(UNKNOWN_PLACE, 'unknown');
}

/** Cosine similarity of the weighted problem terms. */
function termOverlap(a: TextSignature, b: TextSignature): { score: number; shared: string[] } {
  const weights = new Map(b.terms.map((term) => [term.term, term.weight]));
  let dot = 0;
  const shared: { term: string; weight: number }[] = [];
  for (const term of a.terms) {
    const other = weights.get(term.term);
    if (other === undefined) continue;
    dot += term.weight * other;
    shared.push({ term: term.term, weight: term.weight * other });
  }
  const norm = (signature: TextSignature) => Math.sqrt(signature.terms.reduce((sum, term) => sum + term.weight * term.weight, 0));
  const denominator = norm(a) * norm(b);
  return { score: denominator === 0 ? 0 : Math.min(1, dot / denominator), shared: shared.sort((x, y) => y.weight - x.weight).map((entry) => entry.term) };
}

function compareProblems(a: MessageFacts, b: MessageFacts): ProblemMatch {
  const terms = termOverlap(a.signature, b.signature);
  if (a.categoryPath === null || b.categoryPath === null) return { score: round(terms.score), basis: 'terms', shared: terms.shared };
  const levelsA = a.categoryPath.split('/');
  const levelsB = b.categoryPath.split('/');
  let common = 0;
  while (common < Math.min(levelsA.length, levelsB.length) && levelsA[common] === levelsB[common]) common += 1;
  const category = common === 0 ? 0 : common === Math.max(levelsA.length, levelsB.length) ? 1 : 0.6;
  return { score: round((category + terms.score) / 2), basis: 'category', shared: terms.shared };
}

/**
 * Compares two messages. Symmetric; pure; O(terms + places + permutations).
 *
 * @example compareMessages(newMessage, openCaseMessage).score >= threshold // → propose a join
 */
export function compareMessages(a: MessageFacts, b: MessageFacts, parameters: NearDuplicateParameters = DEFAULT_PARAMETERS): Similarity {
  const text = round(estimateJaccard(a.signature.minhash, b.signature.minhash));
  const { elsewhere, ...place } = comparePlaces(a, b);
  const problem = compareProblems(a, b);
  const { weights } = parameters;
  const sum = weights.text * text + weights.place * place.score + weights.problem * problem.score;
  return {
    score: round(elsewhere ? sum * ELSEWHERE_FACTOR : sum),
    text,
    place,
    problem,
    daysApart: round(Math.abs(a.submittedAt.getTime() - b.submittedAt.getTime()) / 86_400_000),
  };
}

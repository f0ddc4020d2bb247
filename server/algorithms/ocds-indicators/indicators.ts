/**
 * The red-flag indicators of the `indicators` command (spec §8–9), computed in
 * one streaming pass over compiled releases: per-release indicators decide at
 * once; aggregate ones keep only the state they need (one ratio per process,
 * one counter pair per party) and decide in `finish()`.
 *
 * Every flag also gets an explanation (`FlagExplanation`) so the product can
 * say in plain words what was measured, against which threshold, and how the
 * peers were distributed.
 */
import { formatNumber, lowerFence, quantile, roundMeta, stringifyWithRustNumbers, upperFence } from './statistics.ts';
import type { OcdsSettings } from './settings.ts';

/** The indicators implemented (R055 is a draft upstream and left out). */
export const INDICATOR_CODES = ['R003', 'R018', 'R024', 'R025', 'R028', 'R030', 'R035', 'R036', 'R038', 'R044', 'R048', 'R058'] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];
/** Who a flag is about: the process (`OCID`) or an organisation in one role. */
export type IndicatorGroup = 'OCID' | 'Tenderer' | 'Buyer' | 'ProcuringEntity';
/** Output order of the groups. */
export const INDICATOR_GROUPS: readonly IndicatorGroup[] = ['OCID', 'Tenderer', 'Buyer', 'ProcuringEntity'];

/** Plain-language titles, for explanations and docs. */
export const INDICATOR_TITLES: Readonly<Record<IndicatorCode, string>> = {
  R003: 'Short submission period',
  R018: 'Single bid received',
  R024: 'Price close to winning bid',
  R025: 'Excessive unsuccessful bids',
  R028: 'Identical bid prices',
  R030: 'Late bid won',
  R035: 'All except winning bid disqualified',
  R036: 'Lowest bid disqualified',
  R038: 'Excessive disqualified bids',
  R044: 'Business similarities between suppliers',
  R048: 'Heterogeneous supplier',
  R058: 'Heavily discounted bid',
};

/**
 * Why one identifier was flagged by one indicator, in data the product can put
 * into words: "the submission period was 9 days (`measured`), shorter than
 * (`rule.comparison`) 15 days (`rule.threshold`, from the settings)", or "the
 * second-lowest bid was 2 % above the winning bid, at or below the lower fence
 * 16.7 % of 12 processes whose quartiles are 66.7 % and 100 %".
 */
export interface FlagExplanation {
  readonly group: IndicatorGroup;
  readonly id: string;
  readonly code: IndicatorCode;
  /** The value written in the output (a measured quantity, `1.0`, or `0.0` for "also flagged"). */
  readonly value: number;
  /** What `measured` is, in words (e.g. `submission period in days`). */
  readonly measure: string;
  readonly measured: number;
  /** The test that flagged: `measured <comparison> threshold`. */
  readonly rule?: {
    readonly comparison: '<' | '<=' | '>=' | '=';
    readonly threshold: number;
    /** `setting`: configured or default value; `fence`: computed from the peers' quartiles. */
    readonly source: 'setting' | 'fence';
  };
  /** The peer distribution an aggregate indicator compared against (unrounded). */
  readonly peers?: { readonly count: number; readonly q1?: number; readonly median?: number; readonly q3?: number };
  /** Indicator-specific facts: amounts, dates, the other tenderer, the process behind a party flag. */
  readonly details?: Readonly<Record<string, string | number | readonly string[]>>;
}

/** The `--map` extras: per ocid, the organisations behind flags (spec §8.6). */
export interface IndicatorMaps {
  readonly ocid_buyer_r038: Map<string, string>;
  readonly ocid_procuringentity_r038: Map<string, string>;
  readonly ocid_tenderer: Map<string, Set<string>>;
  readonly ocid_tenderer_r024: Map<string, Set<string>>;
  readonly ocid_tenderer_r028: Map<string, Set<string>>;
  readonly ocid_tenderer_r030: Map<string, Set<string>>;
  readonly ocid_tenderer_r035: Map<string, Set<string>>;
  readonly ocid_tenderer_r058: Map<string, Set<string>>;
}

/** What a run produces. */
export interface IndicatorResult {
  /** group → identifier → code → value, in first-flag order. */
  readonly results: Map<IndicatorGroup, Map<string, Map<IndicatorCode, number>>>;
  /** code → name → value rounded to 4 decimals (null when not finite). */
  readonly meta: Map<IndicatorCode, Map<string, number | null>>;
  readonly maps: IndicatorMaps;
  /** One explanation per (group, id, code) in the results (empty with `explain: false`). */
  readonly explanations: FlagExplanation[];
}

/** Options of a run. */
export interface IndicatorRunOptions {
  /** Receives the reference's log messages (currency mismatches; the price-comparison warning). */
  readonly log?: (level: 'warn' | 'info', message: string) => void;
  /** Collect explanations (default true; the CLI turns it off). */
  readonly explain?: boolean;
}

/** A streaming indicator run: `add` each parsed release (any JSON value) in file order, then `finish` once. */
export interface IndicatorRun {
  add(release: unknown): void;
  finish(): IndicatorResult;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A bid counts as submitted unless invited or withdrawn; it needs a string status. */
function isSubmitted(bid: unknown): bid is Json {
  return isObject(bid) && isString(bid.status) && bid.status !== 'invited' && bid.status !== 'withdrawn';
}

/** The string ids of the object elements of `list` (an array), in order. */
function stringIds(list: unknown): string[] {
  const ids: string[] = [];
  if (Array.isArray(list)) for (const element of list) if (isObject(element) && isString(element.id)) ids.push(element.id);
  return ids;
}

/** "Awards final" (spec §8.5): the active awards and the bids, or undefined if an award is still open. */
function completeAwards(release: Json): { active: Json[]; bids: unknown[] } | undefined {
  const awards = release.awards;
  const bids = isObject(release.bids) ? release.bids.details : undefined;
  if (!Array.isArray(awards) || !Array.isArray(bids)) return undefined;
  const active: Json[] = [];
  for (const award of awards) {
    if (!isObject(award) || !isString(award.status)) continue;
    if (award.status === 'active') active.push(award);
    else if (award.status !== 'cancelled' && award.status !== 'unsuccessful') return undefined;
  }
  return { active, bids };
}

/** The only supplier of the only active award, if it has a string id. */
function singleWinner(active: Json[]): string | undefined {
  if (active.length !== 1) return undefined;
  const suppliers = active[0]!.suppliers;
  if (!Array.isArray(suppliers) || suppliers.length !== 1) return undefined;
  const supplier = suppliers[0];
  return isObject(supplier) && isString(supplier.id) ? supplier.id : undefined;
}

/** The tenderer of a bid with exactly one tenderer that has a string id. */
function singleTenderer(bid: Json): string | undefined {
  const tenderers = bid.tenderers;
  if (!Array.isArray(tenderers) || tenderers.length !== 1) return undefined;
  const tenderer = tenderers[0];
  return isObject(tenderer) && isString(tenderer.id) ? tenderer.id : undefined;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+\-\u2212])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A strict RFC 3339 date-time as whole seconds since the epoch plus nanoseconds; undefined otherwise. */
export function parseRfc3339(text: string): { seconds: number; nanos: number } | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let offset = 0;
  if (sign !== undefined) {
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    offset = (Number(oh) * 3600 + Number(om) * 60) * (sign === '+' ? 1 : -1);
  }
  const nanos = fraction === undefined ? 0 : Number(fraction.slice(0, 9).padEnd(9, '0'));
  const seconds = daysFromCivil(year, month, day) * 86_400 + Number(h) * 3600 + Number(mi) * 60 + Number(s) - offset;
  return { seconds, nanos };
}

/** Whole days from `start` to `end`, truncated toward zero (exact, sub-second precision). */
function daysBetween(start: { seconds: number; nanos: number }, end: { seconds: number; nanos: number }): number {
  const seconds = end.seconds - start.seconds;
  const nanos = end.nanos - start.nanos;
  if (nanos === 0) return Math.trunc(seconds / 86_400);
  return Number((BigInt(seconds) * 1_000_000_000n + BigInt(nanos)) / 86_400_000_000_000n);
}

/** A tenderer party's address key for R044, or undefined without `streetAddress`. */
function addressKey(party: Json): string | undefined {
  const address = party.address;
  if (!isObject(address) || !('streetAddress' in address)) return undefined;
  let key = '';
  for (const field of ['streetAddress', 'locality', 'region', 'postalCode', 'countryName']) {
    const value = address[field];
    if (isString(value)) key += `${value.trim().toLowerCase()} `;
  }
  return key;
}

function sameContact(a: Json, b: Json): boolean {
  if (!isObject(a.contactPoint) || !isObject(b.contactPoint)) return false;
  for (const field of ['name', 'email', 'telephone', 'faxNumber', 'url']) {
    const x = a.contactPoint[field];
    const y = b.contactPoint[field];
    if (isString(x) && isString(y)) return x === y;
  }
  return false;
}

const medians = new WeakMap<readonly number[], number>();

/** The median of a peer distribution, computed once per distribution however many flags explain with it. */
function medianOf(values: readonly number[]): number {
  let median = medians.get(values);
  if (median === undefined) medians.set(values, (median = quantile(values, 0.5)));
  return median;
}

interface SecondLowest {
  readonly ratio: number;
  readonly winner: string;
  readonly runnerUp: string;
  readonly winningAmount: number;
  readonly runnerUpAmount: number;
}

interface RatioCounter {
  numerator: number;
  denominator: number;
}

/**
 * Starts a run of the indicators that `settings` enables (an indicator runs
 * iff its section is present). O(1) work per bid/award; memory is bounded by
 * the number of distinct parties (R025, R038, R048) and of processes feeding
 * R024/R058, plus the flags themselves.
 *
 * @example
 * const run = createIndicatorRun(readSettings('[R018]'));
 * for (const release of releases) run.add(release);
 * indicatorOutput(run.finish(), { meta: true }) // '{"OCID":{"F":{"R018":1.0}},"Meta":{}}'
 */
export function createIndicatorRun(settings: OcdsSettings, options: IndicatorRunOptions = {}): IndicatorRun {
  const explain = options.explain ?? true;
  const log = options.log ?? (() => {});
  const results = new Map<IndicatorGroup, Map<string, Map<IndicatorCode, number>>>();
  const explanations = new Map<string, FlagExplanation>();
  const meta = new Map<IndicatorCode, Map<string, number | null>>();
  const maps: IndicatorMaps = {
    ocid_buyer_r038: new Map(),
    ocid_procuringentity_r038: new Map(),
    ocid_tenderer: new Map(),
    ocid_tenderer_r024: new Map(),
    ocid_tenderer_r028: new Map(),
    ocid_tenderer_r030: new Map(),
    ocid_tenderer_r035: new Map(),
    ocid_tenderer_r058: new Map(),
  };
  const exclusions = new Set(settings.exclusions.procurementMethodDetails);
  const priceComparison = new Set(settings.priceComparisonProcurementMethods);
  const noPriceComparison = new Set(settings.noPriceComparisonProcurementMethods);
  const usesPriceFilter = settings.R024 || settings.R058 || settings.R028 || settings.R036;
  if (usesPriceFilter && priceComparison.size > 0 && noPriceComparison.size > 0) {
    log('warn', 'no_price_comparison_procurement_methods has no effect if price_comparison_procurement_methods is set.');
  }
  let mainCurrency = settings.currency;
  const mismatchLevel = settings.output.infoCurrencyMismatches ? 'info' : 'warn';

  const flag = (group: IndicatorGroup, id: string, code: IndicatorCode, value: number, why?: () => Omit<FlagExplanation, 'group' | 'id' | 'code' | 'value'>): void => {
    let ids = results.get(group);
    if (!ids) results.set(group, (ids = new Map()));
    let codes = ids.get(id);
    if (!codes) ids.set(id, (codes = new Map()));
    codes.set(code, value);
    if (explain && why) explanations.set(`${group}\u0000${id}\u0000${code}`, { group, id, code, value, ...why() });
  };
  const addToMap = (map: Map<string, Set<string>>, ocid: string, ids: Iterable<string>): void => {
    let set = map.get(ocid);
    if (!set) map.set(ocid, (set = new Set()));
    for (const id of ids) set.add(id);
  };
  const inMainCurrency = (currency: string): boolean => {
    if (mainCurrency === undefined) mainCurrency = currency;
    if (currency === mainCurrency) return true;
    log(mismatchLevel, `${currency} is not Some("${mainCurrency}"), skipping.`);
    return false;
  };
  const passesPriceFilter = (tender: unknown): boolean => {
    const details = isObject(tender) && isString(tender.procurementMethodDetails) ? tender.procurementMethodDetails : undefined;
    if (priceComparison.size > 0) return details !== undefined && priceComparison.has(details);
    return details === undefined || !noPriceComparison.has(details);
  };

  // State of the aggregate indicators.
  const secondLowest = new Map<string, SecondLowest>();
  const r025 = new Map<string, RatioCounter>();
  const r038 = { Buyer: new Map<string, RatioCounter>(), ProcuringEntity: new Map<string, RatioCounter>(), Tenderer: new Map<string, RatioCounter>() };
  const r048 = new Map<string, { processes: number; codes: Set<string> }>();
  const mapsTenderers = settings.R025 || settings.R038 || settings.R048;

  const count = (map: Map<string, RatioCounter>, id: string, numerator: number, denominator: number): void => {
    const counter = map.get(id);
    if (counter) {
      counter.numerator += numerator;
      counter.denominator += denominator;
    } else map.set(id, { numerator, denominator });
  };

  function add(release: unknown): void {
    if (!isObject(release) || !isString(release.ocid)) return;
    const ocid = release.ocid;
    const tender = isObject(release.tender) ? release.tender : undefined;
    if (tender?.status === 'cancelled') return;
    if (exclusions.size > 0 && tender && isString(tender.procurementMethodDetails) && exclusions.has(tender.procurementMethodDetails)) return;
    const bidsObject = isObject(release.bids) ? release.bids : undefined;
    const bids = bidsObject && Array.isArray(bidsObject.details) ? (bidsObject.details as unknown[]) : undefined;

    if (mapsTenderers && bids) {
      const ids: string[] = [];
      for (const bid of bids) if (isSubmitted(bid)) ids.push(...stringIds(bid.tenderers));
      if (ids.length > 0) addToMap(maps.ocid_tenderer, ocid, ids);
    }

    // Second-lowest-bid helper (R024, R058).
    if ((settings.R024 || settings.R058) && passesPriceFilter(tender)) {
      const complete = completeAwards(release);
      const winner = complete && singleWinner(complete.active);
      if (complete && winner !== undefined) {
        let winning: number | undefined;
        let runnerUp: { amount: number; tenderer: string } | undefined;
        for (const bid of complete.bids) {
          if (!isObject(bid) || bid.status !== 'valid') continue;
          const tenderer = singleTenderer(bid);
          const value = bid.value;
          if (tenderer === undefined || !isObject(value) || !isNumber(value.amount) || !isString(value.currency)) continue;
          if (!inMainCurrency(value.currency)) continue;
          if (tenderer === winner) {
            if (winning === undefined || value.amount < winning) winning = value.amount;
          } else if (runnerUp === undefined || value.amount < runnerUp.amount) runnerUp = { amount: value.amount, tenderer };
        }
        if (winning !== undefined && runnerUp !== undefined && runnerUp.amount >= winning) {
          secondLowest.set(ocid, { ratio: (runnerUp.amount - winning) / winning, winner, runnerUp: runnerUp.tenderer, winningAmount: winning, runnerUpAmount: runnerUp.amount });
        }
      }
    }

    if (settings.R003 && tender) {
      const methods = settings.R003.procurementMethods;
      const period = isObject(tender.tenderPeriod) ? tender.tenderPeriod : undefined;
      if ((methods.length === 0 || (isString(tender.procurementMethod) && methods.includes(tender.procurementMethod))) && period && isString(period.startDate) && isString(period.endDate)) {
        const start = parseRfc3339(period.startDate);
        const end = parseRfc3339(period.endDate);
        if (start && end) {
          const days = daysBetween(start, end);
          const details = isString(tender.procurementMethodDetails) ? tender.procurementMethodDetails : undefined;
          const threshold = (details !== undefined ? settings.R003.procurementMethodDetails.get(details) : undefined) ?? settings.R003.threshold;
          if (days < threshold) {
            flag('OCID', ocid, 'R003', 1, () => ({
              measure: 'submission period in whole days',
              measured: days,
              rule: { comparison: '<', threshold, source: 'setting' },
              details: { startDate: period.startDate as string, endDate: period.endDate as string },
            }));
          }
        }
      }
    }

    if (settings.R018 && tender) {
      const methods = settings.R018.procurementMethods;
      if ((methods.length === 0 || (isString(tender.procurementMethod) && methods.includes(tender.procurementMethod))) && tender.numberOfTenderers === 1) {
        flag('OCID', ocid, 'R018', 1, () => ({ measure: 'number of tenderers published', measured: 1, rule: { comparison: '=', threshold: 1, source: 'setting' } }));
      }
    }

    if (settings.R025) {
      const complete = completeAwards(release);
      const winner = complete && singleWinner(complete.active);
      if (complete && winner !== undefined) {
        const valid = new Set<string>();
        for (const bid of complete.bids) {
          if (!isObject(bid) || bid.status !== 'valid') continue;
          const tenderer = singleTenderer(bid);
          if (tenderer !== undefined) valid.add(tenderer);
        }
        for (const tenderer of valid) count(r025, tenderer, tenderer === winner ? 1 : 0, 1);
      }
    }

    if (settings.R028 && bids && passesPriceFilter(tender)) {
      const parties = new Map<string, Set<string>>();
      for (const bid of bids) {
        if (!isSubmitted(bid) || !Array.isArray(bid.tenderers)) continue;
        const value = bid.value;
        if (!isObject(value) || !isNumber(value.amount) || !isString(value.currency)) continue;
        const party = new Set(stringIds(bid.tenderers));
        if (party.size === 0) continue;
        const price = `${value.amount}\u0000${value.currency}`;
        const earlier = parties.get(price);
        if (earlier && (earlier.size !== party.size || [...party].some((id) => !earlier.has(id)))) {
          const involved = [...earlier, ...party];
          const why = () => ({ measure: 'bids at the same price from different tenderers', measured: 1, details: { amount: value.amount as number, currency: value.currency as string, tenderers: involved } });
          flag('OCID', ocid, 'R028', 1, why);
          for (const id of involved) flag('Tenderer', id, 'R028', 1, () => ({ ...why(), details: { ...why().details, ocid } }));
          addToMap(maps.ocid_tenderer_r028, ocid, involved);
        }
        parties.set(price, party);
      }
    }

    if (settings.R030 && tender && isObject(tender.tenderPeriod) && isString(tender.tenderPeriod.endDate) && Array.isArray(release.awards) && bids) {
      const endDate = tender.tenderPeriod.endDate;
      const winners = new Set<string>();
      for (const award of release.awards) if (isObject(award) && award.status === 'active') for (const id of stringIds(award.suppliers)) winners.add(id);
      for (const bid of bids) {
        if (!isObject(bid) || bid.status !== 'valid' || !isString(bid.date) || !Array.isArray(bid.tenderers)) continue;
        if (!(bid.date > endDate)) continue;
        const bidDate = bid.date;
        for (const id of stringIds(bid.tenderers)) {
          if (!winners.has(id)) continue;
          const why = () => ({ measure: 'winning bid submitted after the tender period ended', measured: 1, details: { bidDate, endDate, tenderer: id, ocid } });
          flag('OCID', ocid, 'R030', 1, why);
          flag('Tenderer', id, 'R030', 1, why);
          addToMap(maps.ocid_tenderer_r030, ocid, [id]);
        }
      }
    }

    if (settings.R035) {
      const complete = completeAwards(release);
      if (complete) {
        const suppliers = new Set<string>();
        for (const award of complete.active) for (const id of stringIds(award.suppliers)) suppliers.add(id);
        const valid = new Set<string>();
        const disqualified = new Set<string>();
        for (const bid of complete.bids) {
          if (!isObject(bid)) continue;
          if (bid.status === 'valid') for (const id of stringIds(bid.tenderers)) valid.add(id);
          else if (bid.status === 'disqualified') for (const id of stringIds(bid.tenderers)) disqualified.add(id);
        }
        const [winner] = valid;
        if (valid.size === 1 && suppliers.size === 1 && suppliers.has(winner!)) {
          let others = 0;
          for (const id of disqualified) if (!valid.has(id)) others++;
          const threshold = Math.max(settings.R035.threshold, 1);
          if (others >= threshold) {
            const why = () => ({ measure: 'tenderers disqualified other than the winner', measured: others, rule: { comparison: '>=' as const, threshold, source: 'setting' as const }, details: { winner: winner!, ocid } });
            flag('OCID', ocid, 'R035', others, why);
            flag('Tenderer', winner!, 'R035', 0, why);
            addToMap(maps.ocid_tenderer_r035, ocid, [winner!]);
          }
        }
      }
    }

    if (settings.R036 && bids && passesPriceFilter(tender) && Array.isArray(release.awards) && release.awards.some((award) => isObject(award) && award.status === 'active')) {
      let lowest: number | undefined;
      let lowestDisqualified = false;
      let anyValid = false;
      for (const bid of bids) {
        if (!isSubmitted(bid)) continue;
        const value = bid.value;
        if (!isObject(value) || !isNumber(value.amount) || !isString(value.currency)) continue;
        if (!inMainCurrency(value.currency)) continue;
        if (bid.status === 'valid') anyValid = true;
        if (lowest === undefined || value.amount < lowest) {
          lowest = value.amount;
          lowestDisqualified = bid.status === 'disqualified';
        }
      }
      if (anyValid && lowestDisqualified) {
        flag('OCID', ocid, 'R036', 1, () => ({ measure: 'the lowest bid was disqualified', measured: 1, details: { lowestAmount: lowest!, currency: mainCurrency ?? '' } }));
      }
    }

    if (settings.R038 && bids) {
      const submitted = bids.filter(isSubmitted);
      if (submitted.length > 0) {
        let disqualified = 0;
        for (const bid of submitted) {
          const isDisqualified = bid.status === 'disqualified';
          if (isDisqualified) disqualified++;
          for (const id of stringIds(bid.tenderers)) count(r038.Tenderer, id, isDisqualified ? 1 : 0, 1);
        }
        const buyer = isObject(release.buyer) && isString(release.buyer.id) ? release.buyer.id : undefined;
        const procuringEntity = tender && isObject(tender.procuringEntity) && isString(tender.procuringEntity.id) ? tender.procuringEntity.id : undefined;
        if (buyer !== undefined) {
          count(r038.Buyer, buyer, disqualified, submitted.length);
          if (disqualified > 0) maps.ocid_buyer_r038.set(ocid, buyer);
        }
        if (procuringEntity !== undefined) {
          count(r038.ProcuringEntity, procuringEntity, disqualified, submitted.length);
          if (disqualified > 0) maps.ocid_procuringentity_r038.set(ocid, procuringEntity);
        }
      }
    }

    if (settings.R044 && Array.isArray(release.parties)) {
      const tenderers = new Map<string, Json>();
      for (const party of release.parties) {
        if (isObject(party) && isString(party.id) && Array.isArray(party.roles) && party.roles.includes('tenderer')) tenderers.set(party.id, party);
      }
      const list = [...tenderers];
      const keys = list.map(([, party]) => addressKey(party));
      list.forEach(([a, partyA], i) => {
        list.forEach(([b, partyB], j) => {
          if (i === j) return;
          const sameAddress = keys[i] !== undefined && keys[i] === keys[j];
          if (!sameAddress && !sameContact(partyA, partyB)) return;
          const why = () => ({ measure: 'tenderers sharing an address or contact point', measured: 1, details: { similarTo: b, on: sameAddress ? 'address' : 'contact point', ocid } });
          flag('OCID', ocid, 'R044', 1, why);
          flag('Tenderer', a, 'R044', 1, why);
        });
      });
    }

    if (settings.R048 && Array.isArray(release.awards)) {
      const digits = settings.R048.digits;
      const seen = new Set<string>();
      for (const award of release.awards) {
        if (!isObject(award) || award.status !== 'active' || !Array.isArray(award.items) || !Array.isArray(award.suppliers) || award.suppliers.length !== 1) continue;
        const supplier = award.suppliers[0];
        if (!isObject(supplier) || !isString(supplier.id)) continue;
        for (const item of award.items) {
          if (!isObject(item) || !isObject(item.classification) || !isString(item.classification.id)) continue;
          let entry = r048.get(supplier.id);
          if (!entry) r048.set(supplier.id, (entry = { processes: 0, codes: new Set() }));
          entry.codes.add(Array.from(item.classification.id).slice(0, digits).join(''));
          if (!seen.has(supplier.id)) {
            seen.add(supplier.id);
            entry.processes++;
          }
        }
      }
    }
  }

  function finish(): IndicatorResult {
    const ratios = [...secondLowest.values()].map((entry) => entry.ratio);
    if (settings.R024) {
      const configured = settings.R024.threshold;
      const q1 = configured === undefined ? quantile(ratios, 0.25) : 1;
      const q3 = configured === undefined ? quantile(ratios, 0.75) : NaN;
      const fence = configured ?? lowerFence(q1, q3);
      meta.set('R024', new Map(configured === undefined ? [['q1', roundMeta(q1)], ['q3', roundMeta(q3)], ['lower_fence', roundMeta(fence)]] : [['lower_fence', roundMeta(fence)]]));
      if (q1 > 0 && fence > 0) {
        for (const [ocid, entry] of secondLowest) {
          if (!(entry.ratio <= fence)) continue;
          const why = () => ({
            measure: 'how much higher the second-lowest bid is than the winning bid (share of the winning amount)',
            measured: entry.ratio,
            rule: { comparison: '<=' as const, threshold: fence, source: configured === undefined ? ('fence' as const) : ('setting' as const) },
            peers: configured === undefined ? { count: ratios.length, q1, median: medianOf(ratios), q3 } : { count: ratios.length },
            details: { ocid, winner: entry.winner, runnerUp: entry.runnerUp, winningAmount: entry.winningAmount, runnerUpAmount: entry.runnerUpAmount },
          });
          flag('OCID', ocid, 'R024', entry.ratio, why);
          flag('Tenderer', entry.winner, 'R024', 0, why);
          flag('Tenderer', entry.runnerUp, 'R024', 0, why);
          addToMap(maps.ocid_tenderer_r024, ocid, [entry.winner, entry.runnerUp]);
        }
      }
    }
    if (settings.R025) {
      const denominators = [...r025.values()].map((counter) => counter.denominator);
      const top = quantile(denominators, settings.R025.percentile / 100);
      const shares = [...r025.values()].map((counter) => counter.numerator / counter.denominator);
      const configured = settings.R025.threshold;
      const q1 = configured === undefined ? quantile(shares, 0.25) : 1;
      const q3 = configured === undefined ? quantile(shares, 0.75) : NaN;
      const fence = configured ?? lowerFence(q1, q3);
      meta.set('R025', new Map(configured === undefined ? [['upper_fence', roundMeta(top)], ['q1', roundMeta(q1)], ['q3', roundMeta(q3)], ['lower_fence', roundMeta(fence)]] : [['upper_fence', roundMeta(top)], ['lower_fence', roundMeta(fence)]]));
      if (q1 > 0 && fence > 0) {
        for (const [id, counter] of r025) {
          const share = counter.numerator / counter.denominator;
          if (!(counter.denominator >= top && share <= fence)) continue;
          flag('Tenderer', id, 'R025', share, () => ({
            measure: 'share of processes with a valid bid that the tenderer won',
            measured: share,
            rule: { comparison: '<=', threshold: fence, source: configured === undefined ? 'fence' : 'setting' },
            peers: configured === undefined ? { count: shares.length, q1, median: medianOf(shares), q3 } : { count: shares.length },
            details: { wins: counter.numerator, processes: counter.denominator, minimumProcesses: top },
          }));
        }
      }
    }
    if (settings.R038) {
      const entry = new Map<string, number | null>();
      const minimums = { Buyer: settings.R038.minimumContractingProcesses, ProcuringEntity: settings.R038.minimumContractingProcesses, Tenderer: settings.R038.minimumSubmittedBids };
      for (const group of ['Buyer', 'ProcuringEntity', 'Tenderer'] as const) {
        const kept = [...r038[group]].filter(([, counter]) => counter.denominator >= minimums[group]);
        if (kept.length === 0) continue;
        const shares = kept.map(([, counter]) => counter.numerator / counter.denominator);
        const configured = settings.R038.threshold;
        let q1 = NaN;
        let q3 = NaN;
        if (configured === undefined) {
          q1 = quantile(shares, 0.25);
          q3 = quantile(shares, 0.75);
          entry.set(`${group}_q1`, roundMeta(q1));
          entry.set(`${group}_q3`, roundMeta(q3));
        }
        const fence = configured ?? upperFence(q1, q3);
        entry.set(`${group}_upper_fence`, roundMeta(fence));
        if (!(fence > 0)) continue;
        kept.forEach(([id, counter], k) => {
          const share = shares[k]!;
          if (!(share >= fence)) return;
          flag(group, id, 'R038', share, () => ({
            measure: 'share of submitted bids that were disqualified',
            measured: share,
            rule: { comparison: '>=', threshold: fence, source: configured === undefined ? 'fence' : 'setting' },
            peers: configured === undefined ? { count: shares.length, q1, median: medianOf(shares), q3 } : { count: shares.length },
            details: { disqualified: counter.numerator, submitted: counter.denominator },
          }));
        });
      }
      if (entry.size > 0) meta.set('R038', entry);
    }
    if (settings.R048) {
      const kept = [...r048].filter(([, entry]) => entry.processes >= settings.R048!.minimumContractingProcesses);
      const varieties = kept.map(([, entry]) => entry.codes.size);
      const configured = settings.R048.threshold;
      const q1 = configured === undefined ? quantile(varieties, 0.25) : NaN;
      const q3 = configured === undefined ? quantile(varieties, 0.75) : NaN;
      const fence = configured ?? upperFence(q1, q3);
      meta.set('R048', new Map(configured === undefined ? [['q1', roundMeta(q1)], ['q3', roundMeta(q3)], ['upper_fence', roundMeta(fence)]] : [['upper_fence', roundMeta(fence)]]));
      for (const [id, entry] of kept) {
        const variety = entry.codes.size;
        if (!(variety >= fence)) continue;
        flag('Tenderer', id, 'R048', variety, () => ({
          measure: `distinct item classifications (first ${settings.R048!.digits} characters) among the supplier's awards`,
          measured: variety,
          rule: { comparison: '>=', threshold: fence, source: configured === undefined ? 'fence' : 'setting' },
          peers: configured === undefined ? { count: varieties.length, q1, median: medianOf(varieties), q3 } : { count: varieties.length },
          details: { processes: entry.processes, classifications: [...entry.codes] },
        }));
      }
    }
    if (settings.R058) {
      const configured = settings.R058.threshold;
      const q1 = configured === undefined ? quantile(ratios, 0.25) : NaN;
      const q3 = configured === undefined ? quantile(ratios, 0.75) : NaN;
      const fence = configured ?? upperFence(q1, q3);
      meta.set('R058', new Map(configured === undefined ? [['q1', roundMeta(q1)], ['q3', roundMeta(q3)], ['upper_fence', roundMeta(fence)]] : [['upper_fence', roundMeta(fence)]]));
      if (fence > 0) {
        for (const [ocid, entry] of secondLowest) {
          if (!(entry.ratio >= fence)) continue;
          const why = () => ({
            measure: 'how much higher the second-lowest bid is than the winning bid (share of the winning amount)',
            measured: entry.ratio,
            rule: { comparison: '>=' as const, threshold: fence, source: configured === undefined ? ('fence' as const) : ('setting' as const) },
            peers: configured === undefined ? { count: ratios.length, q1, median: medianOf(ratios), q3 } : { count: ratios.length },
            details: { ocid, winner: entry.winner, runnerUp: entry.runnerUp, winningAmount: entry.winningAmount, runnerUpAmount: entry.runnerUpAmount },
          });
          flag('OCID', ocid, 'R058', entry.ratio, why);
          flag('Tenderer', entry.winner, 'R058', 0, why);
          addToMap(maps.ocid_tenderer_r058, ocid, [entry.winner]);
        }
      }
    }
    return { results, meta, maps, explanations: [...explanations.values()] };
  }

  return { add, finish };
}

/**
 * The one output line of `indicators`: groups in the order OCID, Tenderer,
 * Buyer, ProcuringEntity (only non-empty ones), then `Meta` unless `meta` is
 * false, then `Maps` with `map`. Numbers as the reference writes them.
 */
export function indicatorOutput(result: IndicatorResult, options: { meta?: boolean; map?: boolean } = {}): string {
  const output = new Map<string, unknown>();
  for (const group of INDICATOR_GROUPS) {
    const ids = result.results.get(group);
    if (ids && ids.size > 0) output.set(group, ids);
  }
  if (options.meta ?? true) output.set('Meta', result.meta);
  if (options.map) {
    const maps = new Map<string, unknown>();
    for (const [key, value] of Object.entries(result.maps) as [string, Map<string, string | Set<string>>][]) {
      maps.set(key, new Map([...value].map(([ocid, ids]) => [ocid, typeof ids === 'string' ? ids : [...ids]])));
    }
    output.set('Maps', maps);
  }
  return stringifyWithRustNumbers(output);
}

/** The `--count` lines: `<Group>: <number of identifiers>` for each present group. */
export function indicatorCounts(result: IndicatorResult): string[] {
  return INDICATOR_GROUPS.filter((group) => (result.results.get(group)?.size ?? 0) > 0).map((group) => `${group}: ${result.results.get(group)!.size}`);
}

/** Convenience for tests and small inputs: runs the indicators over an iterable of releases. */
export function runIndicators(releases: Iterable<unknown>, settings: OcdsSettings, options: IndicatorRunOptions = {}): IndicatorResult {
  const run = createIndicatorRun(settings, options);
  for (const release of releases) run.add(release);
  return run.finish();
}

/** `formatNumber` re-exported for callers that print single values the way the output does. */
export { formatNumber };

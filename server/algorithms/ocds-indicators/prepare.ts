/**
 * `prepare` (spec §7): corrects known data-quality problems in one compiled
 * release that would distort the indicators — defaults for missing codes,
 * codelist mappings, redactions, identifier prefixes, auctions moved to bids —
 * and lists the problems it cannot fix as CSV rows. Works on the ordered
 * model so every untouched field is written back exactly as it was read.
 */
import { JsonNumber, isJsonObject, removeKey, type JsonObject, type JsonValue } from './json-value.ts';
import type { OcdsSettings } from './settings.ts';

/** Bid statuses of the OCDS bid extension. */
export const BID_STATUS_CODES: ReadonlySet<string> = new Set(['invited', 'pending', 'valid', 'disqualified', 'withdrawn']);
/** Award statuses of OCDS 1.1. */
export const AWARD_STATUS_CODES: ReadonlySet<string> = new Set(['pending', 'active', 'cancelled', 'unsuccessful']);

/** One problem found in a release: a row of the errors CSV. */
export interface ProblemRow {
  /** 1-based line number of the release in the input. */
  readonly line: number;
  /** The release's ocid as text; empty when missing or null. */
  readonly ocid: string;
  /** The fixed path named in spec §7.3, e.g. `/bids/details[]/status`. */
  readonly path: string;
  /** `j` for a bid/award, `j.k` for an item inside it. */
  readonly indexes: string;
  /** The value found, for `invalid` rows only. */
  readonly value: string;
  readonly description: 'not set' | 'invalid' | 'is zero';
}

type RoleLookup = Map<string, Set<string>> | undefined;

/** Code-point order (JS's default string order is by UTF-16 unit). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function textOf(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'boolean') return String(value);
  return '';
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A problem row as a CSV line (no header; quoted only when needed; no line end). */
export function formatProblemRow(row: ProblemRow): string {
  return [String(row.line), row.ocid, row.path, row.indexes, row.value, row.description].map(csvField).join(',');
}

/**
 * Corrects `release` in place according to `settings` and returns its
 * problem rows in the order they are found. `warn` receives the reference's
 * warnings (`Can't move /auctions, because /bids is occupied.`).
 */
export function prepareRelease(release: JsonObject, line: number, settings: OcdsSettings, warn: (message: string) => void): ProblemRow[] {
  const rows: ProblemRow[] = [];
  const ocid = textOf(release.get('ocid'));
  const problem = (path: string, indexes: string, description: ProblemRow['description'], value = ''): void => {
    rows.push({ line, ocid, path, indexes, value, description });
  };
  const { defaults, redactions, modifications, codelists, corrections } = settings;
  const buyerPrefix = modifications.prefixBuyerOrProcuringEntityId ?? '';
  const supplierPrefix = modifications.prefixTendererOrSupplierId ?? '';
  let lookup: RoleLookup;

  const normaliseId = (organisation: JsonObject, prefix: string, role: string | undefined): void => {
    let id = organisation.get('id');
    if (id instanceof JsonNumber) {
      id = id.text;
      organisation.set('id', id);
    }
    if (typeof id !== 'string') return;
    if (redactions.organizationId.includes(id)) {
      removeKey(organisation, 'id');
      return;
    }
    if (!id.startsWith(prefix)) {
      id = prefix + id;
      organisation.set('id', id);
    }
    if (role !== undefined) lookup?.get(id)?.add(role);
  };
  const wrapObject = (holder: JsonObject, key: string): JsonValue | undefined => {
    const value = holder.get(key);
    if (isJsonObject(value)) {
      holder.set(key, [value]);
      return holder.get(key);
    }
    return value;
  };
  const normaliseEach = (holder: JsonObject, key: string, prefix: string, role: string): void => {
    const list = wrapObject(holder, key);
    if (Array.isArray(list)) for (const element of list) if (isJsonObject(element)) normaliseId(element, prefix, role);
  };
  const fillScheme = (items: JsonValue | undefined, j: number, path: string, stringifyId: boolean): void => {
    if (!Array.isArray(items)) return;
    items.forEach((item, k) => {
      if (!isJsonObject(item)) return;
      const classification = item.get('classification');
      if (!isJsonObject(classification)) return;
      const id = classification.get('id');
      if (stringifyId && id instanceof JsonNumber) classification.set('id', id.text);
      if (classification.has('scheme')) return;
      if (defaults.itemClassificationScheme !== undefined) classification.set('scheme', defaults.itemClassificationScheme);
      else problem(path, `${j}.${k}`, 'not set');
    });
  };
  const checkStatus = (element: JsonValue, j: number, path: string, fallback: string | undefined, mapping: ReadonlyMap<string, string>, codes: ReadonlySet<string>): void => {
    if (!isJsonObject(element) || !element.has('status')) {
      if (fallback !== undefined && isJsonObject(element)) element.set('status', fallback);
      else problem(path, String(j), 'not set');
    }
    if (!isJsonObject(element)) return;
    const status = element.get('status');
    if (typeof status !== 'string') return;
    const mapped = mapping.get(status) ?? status;
    if (mapped !== status) element.set('status', mapped);
    if (!codes.has(mapped)) problem(path, String(j), 'invalid', mapped);
  };

  // 1. Parties, 2. role lookup.
  const parties = wrapObject(release, 'parties');
  if (Array.isArray(parties)) for (const party of parties) if (isJsonObject(party)) normaliseId(party, '', undefined);
  if (defaults.partyRoles && Array.isArray(parties)) {
    lookup = new Map();
    for (const party of parties) {
      if (!isJsonObject(party)) continue;
      const id = party.get('id');
      if (typeof id !== 'string') continue;
      const roles = party.get('roles');
      lookup.set(id, new Set(Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : []));
    }
  }
  // 3. Buyer, 4. tender.
  const buyer = release.get('buyer');
  if (isJsonObject(buyer)) normaliseId(buyer, buyerPrefix, 'buyer');
  const tender = release.get('tender');
  if (isJsonObject(tender)) {
    const procuringEntity = tender.get('procuringEntity');
    if (isJsonObject(procuringEntity)) normaliseId(procuringEntity, buyerPrefix, 'procuringEntity');
    const separator = modifications.splitProcurementMethodDetails;
    const details = tender.get('procurementMethodDetails');
    if (separator !== undefined && typeof details === 'string') {
      const at = details.indexOf(separator);
      tender.set('procurementMethodDetails', (at >= 0 ? details.slice(0, at) : details).trimEnd());
    }
  }
  // 5. Auctions.
  if (modifications.moveAuctions && release.has('auctions')) {
    if (release.has('bids')) warn("Can't move /auctions, because /bids is occupied.");
    else {
      const auctions = release.get('auctions');
      if (Array.isArray(auctions)) {
        const collected: JsonValue[] = [];
        for (const auction of auctions) {
          if (!isJsonObject(auction)) continue;
          const stages = auction.get('stages');
          if (!Array.isArray(stages)) continue;
          for (const stage of stages) {
            if (!isJsonObject(stage)) continue;
            const bids = stage.get('bids');
            if (Array.isArray(bids)) collected.push(...bids);
            removeKey(stage, 'bids');
          }
        }
        release.set('bids', new Map([['details', collected]]));
      }
    }
  }
  // 6. Bids.
  const bids = release.get('bids');
  const details = isJsonObject(bids) ? bids.get('details') : undefined;
  if (Array.isArray(details)) {
    details.forEach((bid, j) => {
      if (isJsonObject(bid)) {
        const value = bid.get('value');
        if (isJsonObject(value)) {
          const amount = value.get('amount');
          if (amount instanceof JsonNumber) {
            if (redactions.amount.includes(amount.value)) removeKey(value, 'amount');
            else if (amount.value === 0) problem('/bids/details[]/value/amount', String(j), 'is zero');
          }
          if (!value.has('currency')) {
            if (defaults.currency !== undefined) value.set('currency', defaults.currency);
            else problem('/bids/details[]/value/currency', String(j), 'not set');
          }
        }
        fillScheme(bid.get('items'), j, '/bids/details[]/items[]/classification/scheme', false);
      }
      checkStatus(bid, j, '/bids/details[]/status', defaults.bidStatus, codelists.bidStatus, BID_STATUS_CODES);
      if (isJsonObject(bid)) normaliseEach(bid, 'tenderers', supplierPrefix, 'tenderer');
    });
  }
  // 7. Contracts.
  const allCancelled = new Map<string, boolean>();
  const contracts = release.get('contracts');
  if (corrections.awardStatusByContractStatus && Array.isArray(contracts)) {
    for (const contract of contracts) {
      if (!isJsonObject(contract)) continue;
      let awardId = contract.get('awardID');
      if (awardId instanceof JsonNumber) {
        awardId = awardId.text;
        contract.set('awardID', awardId);
      }
      if (typeof awardId === 'string') allCancelled.set(awardId, (allCancelled.get(awardId) ?? true) && contract.get('status') === 'cancelled');
    }
  }
  // 8. Awards.
  const awards = release.get('awards');
  if (Array.isArray(awards)) {
    awards.forEach((award, j) => {
      if (isJsonObject(award)) {
        const id = award.get('id');
        if (id instanceof JsonNumber) award.set('id', id.text);
        fillScheme(award.get('items'), j, '/awards[]/items[]/classification/scheme', true);
      }
      checkStatus(award, j, '/awards[]/status', defaults.awardStatus, codelists.awardStatus, AWARD_STATUS_CODES);
      if (!isJsonObject(award)) return;
      const awardId = award.get('id');
      if (corrections.awardStatusByContractStatus && typeof awardId === 'string' && allCancelled.get(awardId) === true) award.set('status', 'cancelled');
      normaliseEach(award, 'suppliers', supplierPrefix, 'supplier');
    });
  }
  // 9. Party roles.
  if (lookup && Array.isArray(parties)) {
    for (const party of parties) {
      if (!isJsonObject(party)) continue;
      const id = party.get('id');
      const roles = typeof id === 'string' ? lookup.get(id) : undefined;
      if (roles && roles.size > 0) party.set('roles', [...roles].sort(compareCodePoints));
    }
  }
  return rows;
}

/**
 * The settings file of `prepare` and `indicators` (spec §4): an INI text read
 * as the reference reads it, then checked against the schema. Unknown sections
 * or keys and values that do not convert are errors naming the dotted path
 * (`R003.threshold: …`), so a typo never silently falls back to a default.
 */

/** A settings file that cannot be used; `message` names the dotted path and the problem. */
export class SettingsError extends Error {}

/** Settings of one indicator with a computed or configured fence. */
export interface FenceSettings {
  /** A fixed fence instead of the one computed from the quartiles. */
  readonly threshold?: number;
}

/** Everything the settings file can say, with defaults filled in. An indicator is enabled iff its key is present. */
export interface OcdsSettings {
  readonly currency?: string;
  readonly noPriceComparisonProcurementMethods: readonly string[];
  readonly priceComparisonProcurementMethods: readonly string[];
  readonly output: { readonly infoCurrencyMismatches: boolean };
  readonly defaults: {
    readonly currency?: string;
    readonly itemClassificationScheme?: string;
    readonly bidStatus?: string;
    readonly awardStatus?: string;
    readonly partyRoles: boolean;
  };
  readonly redactions: { readonly amount: readonly number[]; readonly organizationId: readonly string[] };
  readonly corrections: { readonly awardStatusByContractStatus: boolean };
  readonly modifications: {
    readonly moveAuctions: boolean;
    readonly prefixBuyerOrProcuringEntityId?: string;
    readonly prefixTendererOrSupplierId?: string;
    readonly splitProcurementMethodDetails?: string;
  };
  readonly codelists: { readonly bidStatus: ReadonlyMap<string, string>; readonly awardStatus: ReadonlyMap<string, string> };
  readonly exclusions: { readonly procurementMethodDetails: readonly string[] };
  readonly R003?: { readonly threshold: number; readonly procurementMethods: readonly string[]; readonly procurementMethodDetails: ReadonlyMap<string, number> };
  readonly R018?: { readonly procurementMethods: readonly string[] };
  readonly R024?: FenceSettings;
  readonly R025?: FenceSettings & { readonly percentile: number };
  readonly R028?: Record<string, never>;
  readonly R030?: Record<string, never>;
  readonly R035?: { readonly threshold: number };
  readonly R036?: Record<string, never>;
  readonly R038?: FenceSettings & { readonly minimumSubmittedBids: number; readonly minimumContractingProcesses: number };
  readonly R044?: Record<string, never>;
  readonly R048?: FenceSettings & { readonly digits: number; readonly minimumContractingProcesses: number };
  readonly R058?: FenceSettings;
}

interface IniTable {
  readonly properties: Map<string, string>;
  readonly tables: Map<string, IniTable>;
}

const newTable = (): IniTable => ({ properties: new Map(), tables: new Map() });

/** Interprets backslash escapes (spec §4.1): `\0 \a \b \t \r \n \xHHHH`, and `\c` → `c` otherwise. */
function unescape(text: string, where: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e === undefined) break;
    if (e === '0') out += '\0';
    else if (e === 'a') out += '\x07';
    else if (e === 'b') out += '\b';
    else if (e === 't') out += '\t';
    else if (e === 'r') out += '\r';
    else if (e === 'n') out += '\n';
    else if (e === 'x') {
      const digits = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw new SettingsError(`${where}: \\x must be followed by four hexadecimal digits`);
      out += String.fromCodePoint(parseInt(digits, 16));
      i += 4;
    } else out += e;
  }
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** Reads the INI syntax into nested tables (dotted section names nest; a repeated section replaces the earlier block). */
function parseIni(text: string): IniTable {
  const root = newTable();
  const physical = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const lines: { text: string; number: number }[] = [];
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i]!;
    const number = i + 1;
    // A backslash ending a line (an odd run of them) continues it on the next.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < physical.length) line = line.slice(0, -1) + physical[++i]!;
    lines.push({ text: line, number });
  }
  let current = root;
  for (const { text: line, number } of lines) {
    if (line.trim() === '' || line[0] === ';' || line[0] === '#') continue;
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) {
      if (!trimmed.endsWith(']')) throw new SettingsError(`line ${number}: a section header must end with "]" (comments cannot follow it)`);
      const name = unescape(trimmed.slice(1, -1).trim(), `line ${number}`);
      let table = root;
      const parts = name.split('.');
      parts.forEach((part, k) => {
        const existing = table.tables.get(part);
        if (k === parts.length - 1) {
          const replaced: IniTable = { properties: new Map(), tables: existing?.tables ?? new Map() };
          table.tables.set(part, replaced);
          table = replaced;
        } else if (existing) table = existing;
        else {
          const created = newTable();
          table.tables.set(part, created);
          table = created;
        }
      });
      current = table;
      continue;
    }
    const separator = line.search(/[=:]/);
    if (separator < 0) throw new SettingsError(`line ${number}: expected "key = value", found "${trimmed}"`);
    const key = unescape(line.slice(0, separator).trim(), `line ${number}`);
    const value = unescape(unquote(line.slice(separator + 1).trim()), `line ${number}`);
    current.properties.set(key, value);
  }
  return root;
}

/** Splits a pipe-separated list (spec §4.4): one trailing empty piece is dropped, others kept; no trimming. */
export function splitPipeList(text: string): string[] {
  if (text === '') return [];
  const pieces = text.split('|');
  if (pieces[pieces.length - 1] === '') pieces.pop();
  return pieces;
}

const TRUE_WORDS = new Set(['true', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', 'off', 'no']);
const DECIMAL = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

function toInteger(value: string, where: string, natural: boolean): number {
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return 1;
  if (FALSE_WORDS.has(word)) return 0;
  if (!/^[+-]?\d+$/.test(value)) throw new SettingsError(`${where}: "${value}" is not ${natural ? 'a non-negative integer' : 'an integer'}`);
  const number = Number(value);
  if (natural && number < 0) throw new SettingsError(`${where}: "${value}" is not a non-negative integer`);
  return number === 0 ? 0 : number;
}

function toDecimal(value: string, where: string): number {
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return 1;
  if (FALSE_WORDS.has(word)) return 0;
  if (!DECIMAL.test(value)) throw new SettingsError(`${where}: "${value}" is not a number`);
  const unsigned = word.replace(/^[+-]/, '');
  if (unsigned.startsWith('inf')) return word.startsWith('-') ? -Infinity : Infinity;
  if (unsigned === 'nan') return NaN;
  return Number(value);
}

function toBoolean(value: string, where: string): boolean {
  const word = value.toLowerCase();
  if (word === '1' || TRUE_WORDS.has(word)) return true;
  if (word === '0' || FALSE_WORDS.has(word)) return false;
  throw new SettingsError(`${where}: "${value}" is not a boolean (true/false, yes/no, on/off, 1/0)`);
}

type Kind = 'string' | 'list' | 'integer' | 'natural' | 'decimal' | 'boolean';

/** Reads one table against its allowed keys; returns converted values by key. */
function readTable(table: IniTable, path: string, keys: Record<string, Kind>, subtables: readonly string[] = []): Map<string, string | number | boolean | string[]> {
  const where = (key: string) => (path === '' ? key : `${path}.${key}`);
  const expected = [...Object.keys(keys), ...subtables];
  const known = expected.length === 0 ? 'this section takes no keys' : `expected one of ${expected.map((k) => `\`${k}\``).join(', ')}`;
  for (const name of table.tables.keys()) {
    if (keys[name] !== undefined) throw new SettingsError(`${where(name)}: expected a value, found a section`);
    if (!subtables.includes(name)) throw new SettingsError(`${where(name)}: unknown ${path === '' ? 'section' : 'field'} \`${name}\`, ${path === '' ? `expected one of ${subtables.map((k) => `\`${k}\``).join(', ')}` : known}`);
  }
  const values = new Map<string, string | number | boolean | string[]>();
  for (const [key, raw] of table.properties) {
    const kind = keys[key];
    if (kind === undefined) {
      if (subtables.includes(key)) throw new SettingsError(`${where(key)}: expected a section, found a value`);
      throw new SettingsError(`${where(key)}: unknown field \`${key}\`, ${known}`);
    }
    if (kind === 'string') values.set(key, raw);
    else if (kind === 'list') values.set(key, splitPipeList(raw));
    else if (kind === 'integer' || kind === 'natural') values.set(key, toInteger(raw, where(key), kind === 'natural'));
    else if (kind === 'decimal') values.set(key, toDecimal(raw, where(key)));
    else values.set(key, toBoolean(raw, where(key)));
  }
  return values;
}

function readMap<T>(table: IniTable | undefined, path: string, convert: (value: string, where: string) => T): Map<string, T> {
  const map = new Map<string, T>();
  if (!table) return map;
  const [nested] = table.tables.keys();
  if (nested !== undefined) throw new SettingsError(`${path}.${nested}: unknown section`);
  for (const [key, value] of table.properties) map.set(key, convert(value, `${path}.${key}`));
  return map;
}

const SECTIONS = ['output', 'defaults', 'redactions', 'corrections', 'modifications', 'codelists', 'exclusions', 'R003', 'R018', 'R024', 'R025', 'R028', 'R030', 'R035', 'R036', 'R038', 'R044', 'R048', 'R058'] as const;

/**
 * Reads a settings file's text into `OcdsSettings`.
 *
 * @throws SettingsError naming the dotted path, for a syntax error, an unknown
 *   section or key, or a value that does not convert.
 * @example readSettings('[R003]\nthreshold = 10\n').R003?.threshold // 10
 */
export function readSettings(text: string): OcdsSettings {
  const root = parseIni(text);
  const top = readTable(root, '', { currency: 'string', no_price_comparison_procurement_methods: 'list', price_comparison_procurement_methods: 'list' }, SECTIONS);
  const section = (name: (typeof SECTIONS)[number], keys: Record<string, Kind>, subtables: readonly string[] = []) => {
    const table = root.tables.get(name);
    return table ? { values: readTable(table, name, keys, subtables), table } : undefined;
  };
  const output = section('output', { info_currency_mismatches: 'boolean' });
  const defaults = section('defaults', { currency: 'string', item_classification_scheme: 'string', bid_status: 'string', award_status: 'string', party_roles: 'boolean' });
  const redactions = section('redactions', { amount: 'list', organization_id: 'list' });
  const corrections = section('corrections', { award_status_by_contract_status: 'boolean' });
  const modifications = section('modifications', { move_auctions: 'boolean', prefix_buyer_or_procuring_entity_id: 'string', prefix_tenderer_or_supplier_id: 'string', split_procurement_method_details: 'string' });
  const codelists = section('codelists', {}, ['bid_status', 'award_status']);
  const exclusions = section('exclusions', { procurement_method_details: 'list' });
  const r003 = section('R003', { threshold: 'integer', procurement_methods: 'list' }, ['procurement_method_details']);
  const r018 = section('R018', { procurement_methods: 'list' });
  const r024 = section('R024', { threshold: 'decimal' });
  const r025 = section('R025', { percentile: 'natural', threshold: 'decimal' });
  const r028 = section('R028', {});
  const r030 = section('R030', {});
  const r035 = section('R035', { threshold: 'natural' });
  const r036 = section('R036', {});
  const r038 = section('R038', { threshold: 'decimal', minimum_submitted_bids: 'natural', minimum_contracting_processes: 'natural' });
  const r044 = section('R044', {});
  const r048 = section('R048', { digits: 'natural', threshold: 'natural', minimum_contracting_processes: 'natural' });
  const r058 = section('R058', { threshold: 'decimal' });

  const get = <T>(part: { values: Map<string, unknown> } | undefined, key: string): T | undefined => part?.values.get(key) as T | undefined;
  const fence = (part: { values: Map<string, unknown> } | undefined): FenceSettings => {
    const threshold = get<number>(part, 'threshold');
    return threshold === undefined ? {} : { threshold };
  };
  const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: string }));

  return {
    ...optional('currency', get<string>({ values: top }, 'currency')),
    noPriceComparisonProcurementMethods: get<string[]>({ values: top }, 'no_price_comparison_procurement_methods') ?? [],
    priceComparisonProcurementMethods: get<string[]>({ values: top }, 'price_comparison_procurement_methods') ?? [],
    output: { infoCurrencyMismatches: get<boolean>(output, 'info_currency_mismatches') ?? false },
    defaults: {
      ...optional('currency', get<string>(defaults, 'currency')),
      ...optional('itemClassificationScheme', get<string>(defaults, 'item_classification_scheme')),
      ...optional('bidStatus', get<string>(defaults, 'bid_status')),
      ...optional('awardStatus', get<string>(defaults, 'award_status')),
      partyRoles: get<boolean>(defaults, 'party_roles') ?? false,
    },
    redactions: {
      amount: (get<string[]>(redactions, 'amount') ?? []).filter((piece) => DECIMAL.test(piece)).map((piece) => toDecimal(piece, 'redactions.amount')),
      organizationId: get<string[]>(redactions, 'organization_id') ?? [],
    },
    corrections: { awardStatusByContractStatus: get<boolean>(corrections, 'award_status_by_contract_status') ?? false },
    modifications: {
      moveAuctions: get<boolean>(modifications, 'move_auctions') ?? false,
      ...optional('prefixBuyerOrProcuringEntityId', get<string>(modifications, 'prefix_buyer_or_procuring_entity_id')),
      ...optional('prefixTendererOrSupplierId', get<string>(modifications, 'prefix_tenderer_or_supplier_id')),
      ...optional('splitProcurementMethodDetails', get<string>(modifications, 'split_procurement_method_details')),
    },
    codelists: {
      bidStatus: readMap(codelists?.table.tables.get('bid_status'), 'codelists.bid_status', (value) => value),
      awardStatus: readMap(codelists?.table.tables.get('award_status'), 'codelists.award_status', (value) => value),
    },
    exclusions: { procurementMethodDetails: get<string[]>(exclusions, 'procurement_method_details') ?? [] },
    ...(r003 && {
      R003: {
        threshold: get<number>(r003, 'threshold') ?? 15,
        procurementMethods: get<string[]>(r003, 'procurement_methods') ?? [],
        procurementMethodDetails: readMap(r003.table.tables.get('procurement_method_details'), 'R003.procurement_method_details', (value, where) => toInteger(value, where, false)),
      },
    }),
    ...(r018 && { R018: { procurementMethods: get<string[]>(r018, 'procurement_methods') ?? ['open', 'selective'] } }),
    ...(r024 && { R024: fence(r024) }),
    ...(r025 && { R025: { ...fence(r025), percentile: get<number>(r025, 'percentile') ?? 75 } }),
    ...(r028 && { R028: {} }),
    ...(r030 && { R030: {} }),
    ...(r035 && { R035: { threshold: get<number>(r035, 'threshold') ?? 1 } }),
    ...(r036 && { R036: {} }),
    ...(r038 && {
      R038: {
        ...fence(r038),
        minimumSubmittedBids: get<number>(r038, 'minimum_submitted_bids') ?? 2,
        minimumContractingProcesses: get<number>(r038, 'minimum_contracting_processes') ?? 2,
      },
    }),
    ...(r044 && { R044: {} }),
    ...(r048 && {
      R048: { ...fence(r048), digits: get<number>(r048, 'digits') ?? 2, minimumContractingProcesses: get<number>(r048, 'minimum_contracting_processes') ?? 20 },
    }),
    ...(r058 && { R058: fence(r058) }),
  };
}

/** The settings when no file is given: every default, no indicator enabled. */
export const DEFAULT_SETTINGS: OcdsSettings = Object.freeze(readSettings(''));

// Builds server/demo/demo-procurement.json.gz, the demo city's procurement: the releases of the
// OCDS sample data's real examples (../shared/data/ocds/sample-data/real-examples), re-keyed to the
// demo city so the product never reads ../shared at run time. What changes and why:
//   - ocids become ocds-mxdemo-NNNN and release ids <ocid>-NN (one namespace, stable order);
//   - organisations get demo ids (QD-ORG-NNN) and Chinese names: buyers and procuring entities a
//     bureau name, everyone else a company name; contact points, addresses, identifiers and
//     documents are dropped (no real person's or firm's details travel into the demo);
//   - amounts are converted to yuan at a rough rate per source currency and currencies set to CNY;
//   - free texts (titles, descriptions, localized fields) are dropped; the demo loader titles each
//     process after its project;
//   - each source's dates are shifted by whole days so its newest release falls in 2026-09.
// Structure (tender, bids, awards, contracts, implementation transactions, statuses, numbers of
// tenderers, periods) is kept, so the red-flag indicators see real patterns.
//
//   node scripts/build-demo-procurement.ts [path/to/real-examples]
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { identityOf, readReleases } from '../server/modules/projects/procurement/release-source.ts';

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../../shared/data/ocds/sample-data/real-examples'));
const output = path.join(import.meta.dirname, '../server/demo/demo-procurement.json.gz');

/** Yuan per unit, roughly (2018 rates are good enough for a demo). */
const TO_CNY: Record<string, number> = { AMD: 0.014, UAH: 0.25, MDL: 0.39, PYG: 0.0012, UGX: 0.0018, TWD: 0.22, GBP: 8.8, COP: 0.0022, USD: 6.6, CAD: 5.1, MXN: 0.34, NGN: 0.018, AUD: 4.9, EUR: 7.7 };
const BUREAUS = ['住房和城乡建设局', '教育局', '卫生健康委员会', '民政局', '交通运输局', '水务管理局', '生态环境局', '城市管理局', '人力资源和社会保障局', '文化和旅游局', '园林和林业局', '体育局'];
const BUREAU_PREFIXES = ['青岛市', '市南区', '市北区', '李沧区', '崂山区', '黄岛区', '城阳区', '即墨区', '胶州市', '平度市', '莱西市'];
const FIRM_WORDS = ['海川', '瑞丰', '德信', '恒泰', '华青', '鲁安', '崂泉', '金沙', '东方', '宏远', '汇通', '远航', '同创', '安居', '中鼎', '润和', '博远', '嘉禾', '明德', '新港'];
const FIRM_TRADES = ['建设工程', '市政工程', '电梯工程', '环保科技', '建筑装饰', '医疗器械', '信息技术', '园林绿化', '交通设施', '供水设备', '教学设备', '物业服务'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (name.endsWith('.json') && full.includes(`${path.sep}releases${path.sep}`)) yield full;
  }
}

const sources = new Map<string, Json[]>();
for (const file of files(root)) {
  const source = path.relative(root, file).split(path.sep).slice(0, 2).join('/');
  const list = sources.get(source) ?? [];
  for (const sourced of readReleases(readFileSync(file, 'utf8'))) {
    try {
      identityOf(sourced);
    } catch {
      continue;
    }
    list.push(sourced.release);
  }
  sources.set(source, list);
}

const ocids = new Map<string, string>();
const organisations = new Map<string, { id: string; name: string }>();
const DROP = new Set(['contactPoint', 'address', 'identifier', 'additionalIdentifiers', 'documents', 'description', 'title', 'details', 'rationale', 'amendment', 'amendments', 'milestones', 'relatedProcesses', 'uri', 'url', 'legalName', 'packageInfo', 'validationErrors', 'language', 'eligibilityCriteria', 'awardCriteriaDetails', 'submissionMethodDetails', 'procurementMethodRationale', 'additionalClassifications', 'deliveryAddress', 'deliveryLocation', 'unit', 'signatories']);

function organisation(key: string, buyerSide: boolean): { id: string; name: string } {
  let found = organisations.get(key);
  if (!found) {
    const n = organisations.size + 1;
    const name = buyerSide ? `${BUREAU_PREFIXES[n % BUREAU_PREFIXES.length]}${BUREAUS[n % BUREAUS.length]}` : `青岛${FIRM_WORDS[n % FIRM_WORDS.length]}${FIRM_TRADES[(n * 7) % FIRM_TRADES.length]}有限公司`;
    found = { id: `QD-ORG-${String(n).padStart(4, '0')}`, name };
    organisations.set(key, found);
  }
  return found;
}

/** Letters of the sources' own scripts (Cyrillic, Armenian): their free texts do not travel. */
const FOREIGN_SCRIPT = /[\u0400-\u04ff\u0530-\u058f]/;

const ORGANISATION_FIELDS = new Set(['buyer', 'procuringEntity', 'tenderers', 'suppliers', 'payer', 'payee', 'parties']);

/** Re-keys one release of a source (dates shifted by `shiftDays`, amounts by `rate`). */
function rekey(value: unknown, source: string, shiftDays: number, key = '', buyerSide = false): unknown {
  if (Array.isArray(value)) return value.map((element) => rekey(element, source, shiftDays, key, buyerSide));
  if (!isObject(value)) {
    if (typeof value === 'string' && /date$/i.test(key) || (typeof value === 'string' && (key === 'startDate' || key === 'endDate'))) {
      const time = Date.parse(value as string);
      return Number.isNaN(time) ? value : new Date(time + shiftDays * 86_400_000).toISOString();
    }
    return value;
  }
  const out: Json = {};
  const isOrganisation = ORGANISATION_FIELDS.has(key);
  const roles = Array.isArray(value.roles) ? value.roles.map(String) : [];
  const buyerish = isOrganisation && (key === 'buyer' || key === 'procuringEntity' || key === 'payer' || roles.includes('buyer') || roles.includes('procuringEntity') || roles.includes('payer'));
  for (const [field, inner] of Object.entries(value)) {
    if (DROP.has(field) || /_[a-z]{2}$/.test(field) || /^name[A-Z]/.test(field) || /(Ru|Hy|Uk|En)$/.test(field) || field === 'tenderId') continue;
    if (typeof inner === 'string' && FOREIGN_SCRIPT.test(inner)) continue;
    if (isOrganisation && (field === 'id' || field === 'name')) continue;
    out[field] = rekey(inner, source, shiftDays, field, buyerish);
  }
  if (isOrganisation) {
    const original = `${source}|${String(value.id ?? value.name ?? JSON.stringify(value.identifier ?? ''))}`;
    const mapped = organisation(original, buyerish || buyerSide);
    return { id: mapped.id, name: mapped.name, ...out };
  }
  if (typeof value.amount === 'number' && typeof value.currency === 'string') {
    const rate = TO_CNY[value.currency] ?? 1;
    out.amount = Math.round(value.amount * rate * 100) / 100;
    out.currency = 'CNY';
  }
  return out;
}

const releases: Json[] = [];
for (const [source, list] of [...sources].sort(([a], [b]) => a.localeCompare(b))) {
  const newest = Math.max(...list.map((release) => Date.parse(String(release.date))).filter(Number.isFinite));
  const shiftDays = Math.round((Date.parse('2026-09-15T00:00:00Z') - newest) / 86_400_000);
  const sequence = new Map<string, number>();
  for (const release of list) {
    const key = `${source}|${String(release.ocid)}`;
    if (!ocids.has(key)) ocids.set(key, `ocds-mxdemo-${String(ocids.size + 1).padStart(4, '0')}`);
    const ocid = ocids.get(key)!;
    const n = (sequence.get(ocid) ?? 0) + 1;
    sequence.set(ocid, n);
    const rekeyed = rekey(release, source, shiftDays) as Json;
    releases.push({ ...rekeyed, ocid, id: `${ocid}-${String(n).padStart(2, '0')}` });
  }
}

writeFileSync(output, gzipSync(JSON.stringify({ source: 'open-contracting/sample-data real-examples @546c06a, re-keyed (scripts/build-demo-procurement.ts)', releases }), { level: 9 }));
console.log(`${releases.length} releases of ${new Set(releases.map((release) => release.ocid)).size} processes from ${sources.size} sources, ${organisations.size} organisations -> ${path.relative(process.cwd(), output)} (${statSync(output).size} bytes)`);

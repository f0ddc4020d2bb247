// Builds server/demo/demo-corpus.json.gz, the real citizen messages and
// government replies the demo city's history is drawn from, out of the
// teddy2020 data in ../shared (see server/demo/README.md). Run once by a
// developer; the output is committed and the product never reads ../shared.
//
//   node scripts/build-demo-corpus.ts [path/to/teddy2020]
//
// Deterministic: the same input gives byte-identical output.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { maskText } from '../server/platform/index.ts';
import type { DemoCorpus, DemoCorpusMessage } from '../server/demo/demo-corpus.ts';

const root = path.resolve(import.meta.dirname, '..');
const source = path.resolve(process.argv[2] ?? path.join(root, '../shared/data/civic/teddy2020'));
const output = path.join(root, 'server/demo/demo-corpus.json.gz');

const MAX_TEXT = 600;
const MAX_TITLE = 100;
/** Reply-file messages kept (with their own reply), and extra replies kept per category pool. */
const MAX_PAIRED = 2_816;

interface Row {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  readonly time: string;
  readonly label?: string;
  readonly reply?: string;
}

const readJsonl = (file: string): Row[] =>
  readFileSync(path.join(source, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);

// ── place names: the organisers' 西地省 / A市 / A3区 become Shandong / Qingdao ──

/** A1…A9 and the bare A区, each to one Qingdao district (code, name), always the same. */
const A_PLACES: Record<string, readonly [code: string, name: string]> = {
  A1区: ['370202', '市南区'],
  A2区: ['370203', '市北区'],
  A3区: ['370211', '黄岛区'],
  A4区: ['370212', '崂山区'],
  A5区: ['370213', '李沧区'],
  A6区: ['370214', '城阳区'],
  A7县: ['370215', '即墨区'],
  A8县: ['370283', '平度市'],
  A9市: ['370281', '胶州市'],
  A区: ['370285', '莱西市'],
};
const QINGDAO = Object.values(A_PLACES);

/**
 * Every other anonymised place (B市, K7县, C4市 …) is read as the demo city too:
 * a letter city becomes 青岛市 and a numbered county or district one of its ten
 * districts, chosen by the token so that it is the same everywhere.
 */
function placeOf(token: string): readonly [code: string, name: string] | null {
  if (/^[A-Z]市$/.test(token)) return null;
  const known = A_PLACES[token];
  if (known) return known;
  let hash = 0;
  for (const char of token) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_003;
  return QINGDAO[hash % QINGDAO.length]!;
}

function rewritePlaces(text: string, districts: Set<string>): string {
  return text
    .replaceAll('西地省', '山东省')
    .replace(/(?<![A-Za-z])[A-Z]\d*[区县市]/g, (token) => {
      const place = placeOf(token);
      if (!place) return '青岛市';
      districts.add(place[0]);
      return place[1];
    });
}

// ── personal data: masked with the platform's own masker, to a fixed point ──

function masked(text: string): string | null {
  let current = text;
  for (let round = 0; round < 3; round += 1) {
    const next = maskText(current);
    if (next === current) return current;
    current = next;
  }
  return null;
}

function tidy(text: string, max: number): string {
  const flat = text.replace(/\n{2,}/g, '\n').trim();
  if (flat.length <= max) return flat;
  // Cut at the last sentence end before the limit when there is one in the last third.
  const cut = flat.slice(0, max - 1);
  const end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('！'), cut.lastIndexOf('？'));
  return end > max * 0.66 ? cut.slice(0, end + 1) : `${cut}…`;
}

// ── categories: level 1 from the labels (or a small classifier), levels 2–3 by keyword ──

const taxonomy = readJsonl('taxonomy.jsonl') as unknown as { level1: string; level2: string; level3: string }[];

function refine(level1: string, text: string): string {
  let best: { path: string; score: number } | null = null;
  for (const row of taxonomy) {
    if (row.level1 !== level1) continue;
    const score3 = row.level3 !== '其他' && text.includes(row.level3) ? row.level3.length * 2 : 0;
    const score2 = text.includes(row.level2) ? row.level2.length : 0;
    const score = score3 + score2;
    if (score >= 4 && (!best || score > best.score)) {
      best = { path: score3 > 0 ? `${row.level1}/${row.level2}/${row.level3}` : `${row.level1}/${row.level2}`, score };
    }
  }
  return best?.path ?? level1;
}

/** Multinomial naive Bayes on character bigrams: labels the reply file's messages, which have none. */
function trainClassifier(rows: readonly Row[]): (text: string) => string {
  const bigrams = (text: string): string[] => {
    const chars = [...text.replace(/\s/g, '')];
    return chars.slice(1).map((char, index) => chars[index]! + char);
  };
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const docs = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const row of rows) {
    const label = row.label!;
    const table = counts.get(label) ?? new Map<string, number>();
    counts.set(label, table);
    docs.set(label, (docs.get(label) ?? 0) + 1);
    for (const gram of bigrams(`${row.title}${row.body}`)) {
      table.set(gram, (table.get(gram) ?? 0) + 1);
      totals.set(label, (totals.get(label) ?? 0) + 1);
      vocabulary.add(gram);
    }
  }
  const labels = [...counts.keys()].sort();
  return (text) => {
    const grams = bigrams(text);
    let best = labels[0]!;
    let bestScore = -Infinity;
    for (const label of labels) {
      const table = counts.get(label)!;
      const denominator = Math.log(totals.get(label)! + vocabulary.size);
      let score = Math.log(docs.get(label)! / rows.length);
      for (const gram of grams) score += Math.log((table.get(gram) ?? 0) + 1) - denominator;
      if (score > bestScore) [best, bestScore] = [label, score];
    }
    return best;
  };
}

// ── build ──

const labelled = [...readJsonl('messages-train.jsonl'), ...readJsonl('messages-dev.jsonl')].sort((a, b) => a.id - b.id);
const classify = trainClassifier(labelled);
const paired = readJsonl('replies.jsonl').sort((a, b) => a.id - b.id);

const messages: DemoCorpusMessage[] = [];
const seen = new Set<string>();
const dropped = { personal: 0, duplicate: 0 };

function add(row: Row, level1: string, reply: string | null): boolean {
  const districts = new Set<string>();
  const title = masked(tidy(rewritePlaces(row.title, districts), MAX_TITLE));
  const body = masked(tidy(rewritePlaces(row.body, districts), MAX_TEXT));
  const answer = reply === null ? null : masked(tidy(rewritePlaces(reply, new Set()), MAX_TEXT));
  if (title === null || body === null || (reply !== null && answer === null) || title === '' || body === '') {
    return void dropped.personal++, false;
  }
  const key = `${title}\n${body}`.replace(/\s/g, '');
  if (seen.has(key)) return void dropped.duplicate++, false;
  seen.add(key);
  messages.push({
    title,
    body,
    category: refine(level1, `${row.title}${row.body}`),
    district: districts.size === 1 ? [...districts][0]! : null,
    reply: answer,
  });
  return true;
}

for (const row of labelled) add(row, row.label!, null);
let kept = 0;
for (const row of paired) {
  if (kept >= MAX_PAIRED) break;
  if (add(row, classify(`${row.title}${row.body}`), row.reply!)) kept += 1;
}

const corpus: DemoCorpus = {
  source: 'teddy2020 (2020 Teddy Cup problem C): messages-train/dev.jsonl and replies.jsonl, see server/demo/README.md',
  messages,
};
const json = JSON.stringify(corpus);
const gz = gzipSync(json, { level: 9 });
writeFileSync(output, gz);
const byCategory = new Map<string, number>();
for (const message of messages) byCategory.set(message.category.split('/')[0]!, (byCategory.get(message.category.split('/')[0]!) ?? 0) + 1);
console.log(
  `${messages.length} messages (${messages.filter((m) => m.reply).length} with their own reply, ` +
    `${messages.filter((m) => m.category.includes('/')).length} with level 2/3), dropped ${JSON.stringify(dropped)}; ` +
    `${(json.length / 1e6).toFixed(2)} M chars, ${(gz.length / 1e6).toFixed(2)} MB gzipped → ${path.relative(root, output)}`,
);
console.log([...byCategory].map(([name, count]) => `${name} ${count}`).join(', '));

/**
 * A synthetic city for the hot-issue benchmark: `hot-messages.jsonl`
 * (4,326 real messages) replicated to any size. Copy 0 is the original;
 * copy c is "another district of a bigger city": its district codes change
 * letter (A3区 → C3区), every place and unknown name the reader finds gets
 * other characters but its last (丽发新城 → 琨瑶璟城, characters the source never uses), its writers are other
 * people, and its times move by one offset for the copy (±180 days, so the
 * copy's bursts stay bursts) plus up to ±12 hours per message. Copies thus
 * keep the real data's wording, lengths, cluster sizes and burstiness
 * without merging into one another. Seeded and deterministic.
 */
import { createReader } from '../server/algorithms/hot-issues/message-terms.ts';
import { seededRandom } from '../server/algorithms/seeded-random.ts';

/** One line of hot-messages.jsonl. */
export interface HotMessageRow {
  readonly id: number;
  readonly user: string;
  readonly title: string;
  readonly time: string;
  readonly body: string;
  readonly likes: number;
  readonly dislikes: number;
}

/** Characters for renamed places: every common CJK character the source never uses (thousands; jieba leaves them alone, as a real name's). */
function unusedCharacters(source: readonly HotMessageRow[]): string[] {
  const used = new Set<string>();
  for (const row of source) for (const char of `${row.title}${row.body}`) used.add(char);
  const unused: string[] = [];
  for (let code = 0x4e00; code <= 0x9fa5; code++)
    if (!used.has(String.fromCharCode(code))) unused.push(String.fromCharCode(code));
  return unused;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** The data's wall-clock format (China Standard Time, no offset). */
function formatTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * `count` messages: the source rows, then renamed copies of them (see the
 * module comment), in order. The names are found once per source row.
 *
 * @example for (const row of synthesiseMessages(rows, 100_000, 20200417)) write(row);
 */
export function* synthesiseMessages(
  source: readonly HotMessageRow[],
  count: number,
  seed: number,
): Generator<HotMessageRow> {
  const random = seededRandom(seed);
  const namesOf = namesInRows(source);
  const pool = unusedCharacters(source);
  for (let i = 0; i < count; i++) {
    const row = source[i % source.length]!;
    const copy = Math.floor(i / source.length);
    if (copy === 0) {
      yield row;
      continue;
    }
    const names = namesOf[i % source.length]!;
    const copyOffset = ((hash(`offset:${copy}:${seed}`) % 361) - 180) * 86_400_000;
    const rename = (text: string): string => {
      let out = text.replace(
        /([A-Z])(\d{0,2})([市区县])/gu,
        (_, letter: string, digits: string, suffix: string) =>
          `${String.fromCharCode(65 + ((letter.charCodeAt(0) - 65 + copy) % 26))}${digits}${suffix}`,
      );
      for (const name of names) out = out.split(name).join(renamed(name, copy, pool));
      return out;
    };
    const time = Date.parse(`${row.time}+08:00`) + copyOffset + Math.round((random() - 0.5) * 86_400_000);
    yield {
      id: row.id + copy * 1_000_000,
      user: `${row.user}-${copy}`,
      title: rename(row.title),
      time: formatTime(time),
      body: rename(row.body),
      likes: row.likes,
      dislikes: row.dislikes,
    };
  }
}

/** A name in copy `copy`: every character but the last (the suffix: 城, 路, 苑) replaced by an unused one; a number (58车贷) moved up. */
function renamed(name: string, copy: number, pool: readonly string[]): string {
  const number = /^\d+/u.exec(name)?.[0];
  if (number) return `${((Number(number) + copy * 7) % 90) + 10}${name.slice(number.length)}`;
  let out = '';
  for (let k = 0; k < name.length - 1; k++) out += pool[hash(`${name}:${copy}:${k}`) % pool.length]!;
  return out + name.slice(-1);
}

/**
 * For each row, every place and name the reader finds anywhere in the
 * source that occurs in it (longest first): a name is renamed wherever it
 * occurs, also where this row's own reading missed it.
 */
function namesInRows(source: readonly HotMessageRow[]): string[][] {
  const reader = createReader();
  const all = new Set<string>();
  for (const row of source) {
    const read = reader.read(row.title, row.body);
    for (const name of [...read.places.map((place) => place.text), ...read.names])
      if (/^([\u3400-\u9fff]{2}|\d+[\u3400-\u9fff])/u.test(name)) all.add(name);
  }
  const byStart = new Map<string, string[]>();
  for (const name of all) {
    const list = byStart.get(name.slice(0, 2));
    if (list) list.push(name);
    else byStart.set(name.slice(0, 2), [name]);
  }
  return source.map((row) => {
    const text = `${row.title}\n${row.body}`;
    const found = new Set<string>();
    for (let p = 0; p + 1 < text.length; p++)
      for (const name of byStart.get(text.slice(p, p + 2)) ?? []) if (text.startsWith(name, p)) found.add(name);
    return [...found].sort((a, b) => b.length - a.length);
  });
}

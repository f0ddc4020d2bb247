import { pipeline } from 'node:stream';
import iconv from 'iconv-lite';
import { normaliseColumnName } from './tabular-columns.ts';
import { TabularError } from './tabular-error.ts';
import { openByteStream, type TabularSource } from './tabular-source.ts';
import type { TextEncoding } from './text-encoding.ts';

/** One JSONL object: its top-level fields as normalised name → string. */
export interface FieldRecord {
  line: number;
  fields: [string, string][];
}

/**
 * Streams a JSON Lines file in batches (one per chunk read). Blank lines are
 * skipped but counted; every other line must be a JSON object. A bad line
 * fails after the records before it have been handed over.
 */
export async function* readJsonlRecords(
  source: TabularSource,
  encoding: TextEncoding,
): AsyncGenerator<FieldRecord[], void, undefined> {
  const text = iconv.decodeStream(encoding);
  pipeline(openByteStream(source), text, () => {
    // Errors surface through the iteration below.
  });
  let line = 0;
  for await (const lines of splitLines(text as AsyncIterable<string>)) {
    const records: FieldRecord[] = [];
    for (const raw of lines) {
      line++;
      if (raw.trim() === '') continue;
      let record: FieldRecord;
      try {
        record = { line, fields: toFields(parseObject(raw, source.name, line), source.name, line) };
      } catch (error) {
        if (records.length > 0) yield records;
        throw error;
      }
      records.push(record);
    }
    yield records;
  }
}

/** Lines in batches, one per chunk; a CRLF cut between two chunks counts once. */
async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string[], void, undefined> {
  let carry = '';
  for await (const chunk of chunks) {
    // A CR at the very end may be half of a CRLF, so it waits for the next chunk.
    const lines = (carry + chunk).split(/\r\n|\n|\r(?!$)/);
    carry = lines.pop()!;
    yield lines;
  }
  if (carry !== '') yield [carry.replace(/\r$/, '')];
}

/** The parser's own message quotes the input, which may be personal data, so it is left out. */
function parseObject(raw: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new TabularError('invalid_json', file, 'the line is not valid JSON', line);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TabularError('invalid_json', file, 'the line is not a JSON object', line);
  }
  return value as Record<string, unknown>;
}

function toFields(object: Record<string, unknown>, file: string, line: number): [string, string][] {
  const seen = new Set<string>();
  return Object.entries(object).map(([key, value]) => {
    const name = normaliseColumnName(key);
    if (seen.has(name)) {
      throw new TabularError('duplicate_column', file, `two fields both normalise to "${name}"`, line);
    }
    seen.add(name);
    return [name, toText(value)];
  });
}

/** Strings are trimmed like CSV cells; nested values keep their JSON form. */
function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

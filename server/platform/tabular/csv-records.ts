import { pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { TabularError } from './tabular-error.ts';
import { openByteStream, readInBatches, type TabularSource } from './tabular-source.ts';
import type { TextEncoding } from './text-encoding.ts';

/** One record of a CSV or XLSX file: its cells, trimmed, and where it starts. Readers yield them in batches. */
export interface CellRecord {
  line: number;
  cells: string[];
}

/** Delimiters worth guessing: Excel writes `,`, or `;` where `,` is the decimal mark; TSV uses tabs. */
const DELIMITERS = [',', '\t', ';'];

/**
 * A field longer than this is almost surely an unclosed quote swallowing the
 * rest of the file; stopping there keeps memory bounded on a 1 GB file.
 */
const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Picks the delimiter that occurs most often, outside quotes, on the first
 * non-empty line (the header); ties go to `,`, then tab, then `;`.
 */
export function detectDelimiter(text: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  let started = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) {
      if (started) break;
      continue;
    } else {
      const count = counts.get(char);
      if (count !== undefined && !quoted) counts.set(char, count + 1);
    }
    if (char !== '\uFEFF') started = true;
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/**
 * Streams a CSV file's records, in batches: bytes → decoder → csv-parse, so memory stays
 * bounded whatever the file size. UTF-8 skips the decoder: csv-parse reads bytes.
 *
 * Lines are counted here rather than taken from csv-parse, which reports where
 * a record ends and counts a CRLF inside a quoted field twice: each record
 * starts on the line after the previous one's last. Blank lines therefore stay
 * records (a single empty cell) for the caller to skip.
 */
export async function* readCsvRecords(
  source: TabularSource,
  encoding: TextEncoding,
  delimiter: string,
): AsyncGenerator<CellRecord[], void, undefined> {
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    // Hand-made files often have a bare quote inside an unquoted field (他说"好").
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
    // A failing stream drops the records it had buffered, so the consumer would
    // never see the rows before the failure; the error is queued behind them instead.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) parser.push({ error });
      return undefined;
    },
  });
  const bytes = openByteStream(source);
  const done = () => {
    // Errors surface through the parser's iterator below.
  };
  if (encoding === 'utf-8') pipeline(bytes, parser, done);
  else pipeline(bytes, iconv.decodeStream(encoding), parser, done);

  let line = 1;
  for await (const items of readInBatches<string[] | { error: CsvError }>(parser)) {
    const records: CellRecord[] = [];
    for (const item of items) {
      if (!Array.isArray(item)) {
        if (records.length > 0) yield records;
        throw toTabularError(item.error, source.name, line);
      }
      records.push({ line, cells: item.map((cell) => cell.trim()) });
      line += 1 + item.reduce((sum, cell) => sum + countLineBreaks(cell), 0);
    }
    yield records;
  }
}

/** No `cause`: csv-parse messages quote field contents, which may be personal data. */
function toTabularError(error: CsvError, file: string, line: number): TabularError {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new TabularError('unterminated_quote', file, 'a quoted field is never closed (missing ")', line);
    case 'CSV_MAX_RECORD_SIZE':
      return new TabularError(
        'unterminated_quote',
        file,
        'the record is longer than 1 MiB; a quoted field is probably never closed (missing ")',
        line,
      );
    default:
      return new TabularError('invalid_csv', file, `the CSV is malformed (${error.code})`, line);
  }
}

function countLineBreaks(text: string): number {
  if (!text.includes('\n') && !text.includes('\r')) return 0;
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

import { extname } from 'node:path';
import iconv from 'iconv-lite';
import { detectDelimiter, readCsvRecords, type CellRecord } from './csv-records.ts';
import { readJsonlRecords, type FieldRecord } from './jsonl-records.ts';
import { layOutHeader, toValues, type HeaderLayout } from './tabular-columns.ts';
import { TabularError } from './tabular-error.ts';
import { readSample, SAMPLE_SIZE, type TabularSource } from './tabular-source.ts';
import { detectEncoding, hasUtf16Bom } from './text-encoding.ts';
import { hasZipSignature, notAWorkbook, readXlsxRecords } from './xlsx-records.ts';

export { validateColumns, normaliseColumnName, type ColumnSpec } from './tabular-columns.ts';
export { TabularError, type TabularErrorCode } from './tabular-error.ts';
export { detectEncoding, type TextEncoding } from './text-encoding.ts';

export type TabularFormat = 'csv' | 'xlsx' | 'jsonl';

/**
 * One data row. `line` is where a person opening the file finds it: the 1-based
 * line in a text editor (for a CSV record spanning lines, its first line) or the
 * row number Excel shows. `values` has one trimmed string per header column
 * ('' when empty), keyed by the normalised column name (see `normaliseColumnName`).
 */
export interface TabularRow {
  line: number;
  values: Record<string, string>;
}

/** The normalised column names, in file order. */
export interface TabularHeader {
  columns: string[];
}

/**
 * An open table: the header is known, the rows are still on disk. Check
 * `columns` (e.g. with `validateColumns`) before iterating `rows`, once.
 * Iterating to the end, or stopping with `break`, releases the file; a table
 * whose rows are never iterated must be closed (or opened with `await using`).
 */
export interface TabularTable extends TabularHeader, AsyncDisposable {
  format: TabularFormat;
  /** Line (or Excel row) of the header; for JSONL, of the first object, whose keys are the columns. */
  headerLine: number;
  rows: AsyncGenerator<TabularRow, void, undefined>;
  close(): Promise<void>;
}

/**
 * What to read: bytes already in memory (an upload) or a path, streamed. `filename`
 * picks the format by extension and names the file in errors (for a path it
 * defaults to the path). `delimiter` overrides CSV delimiter detection.
 */
export type TabularInput =
  { bytes: Uint8Array; filename: string; delimiter?: string } | { path: string; filename?: string; delimiter?: string };

const FORMAT_BY_EXTENSION = new Map<string, TabularFormat>([
  ['.csv', 'csv'],
  ['.txt', 'csv'],
  ['.tsv', 'csv'],
  ['.xlsx', 'xlsx'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
]);

/**
 * The format of a file from its name and first bytes. Unmistakable signatures
 * win over the extension, because people rename files: a ZIP is XLSX, an OLE2
 * compound file (legacy .xls) is refused. Then the extension decides; failing
 * that, text starting with `{` is JSONL and anything else CSV.
 *
 * @throws TabularError `unsupported_file` for a legacy .xls workbook.
 * @example detectFormat('export.csv', bytes) // 'csv'
 */
export function detectFormat(filename: string, firstBytes: Uint8Array): TabularFormat {
  if (hasZipSignature(firstBytes)) return 'xlsx';
  if (hasOle2Signature(firstBytes)) {
    throw new TabularError(
      'unsupported_file',
      filename,
      'legacy .xls workbooks are not supported; save the file as .xlsx or CSV',
    );
  }
  const byExtension = FORMAT_BY_EXTENSION.get(extname(filename).toLowerCase());
  if (byExtension) return byExtension;
  return firstTextByte(firstBytes) === 0x7b /* { */ ? 'jsonl' : 'csv';
}

/**
 * Opens a CSV, XLSX or JSONL table and reads its header, leaving the rows to be
 * streamed. CSV is decoded from UTF-8 (with or without BOM) or GB18030/GBK,
 * with `,`, tab or `;` as delimiter; XLSX is read from its first worksheet.
 * Blank rows are skipped (their lines still count). Memory stays bounded by the
 * longest row, whatever the file size.
 *
 * @throws TabularError for an empty file, a header that is missing or names a
 *   column twice, and an unreadable workbook; while iterating rows, for a row
 *   with a value under no header, an unclosed quote or a line that is not a JSON object.
 * @example
 *   await using table = await openTabular({ path: '/tmp/upload-1', filename: '人员.xlsx' });
 *   const problems = validateColumns(table.columns, { required: ['姓名'], optional: ['电话'] });
 *   if (problems.length === 0) for await (const row of table.rows) save(row.values['姓名'], row.line);
 */
export async function openTabular(input: TabularInput): Promise<TabularTable> {
  const table = await openBatches(input);
  const rows = flatten(async () => table);
  const close = async (): Promise<void> => {
    await rows.return();
    await table.close();
  };
  const { format, columns, headerLine } = table;
  return { format, columns, headerLine, rows, close, [Symbol.asyncDispose]: close };
}

/**
 * The rows of a table held in memory (an upload), header skipped; for when the
 * columns need no checking first. Errors surface on the first iteration.
 *
 * @example for await (const { line, values } of readTabular({ bytes, filename: 'regions.csv' })) ...
 */
export function readTabular(input: {
  bytes: Uint8Array;
  filename: string;
  delimiter?: string;
}): AsyncGenerator<TabularRow, void, undefined> {
  return flatten(() => openBatches(input));
}

/**
 * The rows of a table on disk, streamed, so a 1 GB hotline export is fine.
 * `filename` (default: `path`) picks the format and names the file in errors.
 *
 * @example let n = 0; for await (const _ of readTabularFile('/data/12345.csv')) n++;
 */
export function readTabularFile(
  path: string,
  options: { filename?: string; delimiter?: string } = {},
): AsyncGenerator<TabularRow, void, undefined> {
  return flatten(() => openBatches({ path, ...options }));
}

/**
 * A table whose header has been read. Inside this module rows travel in
 * batches, so the only per-row await is the caller's: each await is costly
 * when async hooks are on (a tracer, `node --test`), and files run to millions of rows.
 */
interface BatchedTable extends TabularHeader {
  format: TabularFormat;
  headerLine: number;
  batches: AsyncGenerator<TabularRow[], void, undefined>;
  close(): Promise<void>;
}

async function* flatten(open: () => Promise<BatchedTable>): AsyncGenerator<TabularRow, void, undefined> {
  const table = await open();
  try {
    for await (const rows of table.batches) for (const row of rows) yield row;
  } finally {
    await table.close();
  }
}

async function openBatches(input: TabularInput): Promise<BatchedTable> {
  const source: TabularSource =
    'bytes' in input
      ? { name: input.filename, bytes: input.bytes }
      : { name: input.filename ?? input.path, path: input.path };
  const sample = await readSample(source);
  if (sample.length === 0 || (sample.length < SAMPLE_SIZE && firstTextByte(sample) === undefined)) {
    throw new TabularError('empty_file', source.name, 'the file is empty');
  }
  const format = detectFormat(source.name, sample);
  if (format === 'xlsx') {
    if (!hasZipSignature(sample)) throw notAWorkbook(source.name);
    return openCellTable(format, source, readXlsxRecords(source));
  }
  if (hasUtf16Bom(sample)) {
    throw new TabularError(
      'unsupported_file',
      source.name,
      'UTF-16 text is not supported; save the file as "CSV UTF-8" or "CSV"',
    );
  }
  const encoding = detectEncoding(sample);
  if (format === 'jsonl') return openJsonlTable(source, readJsonlRecords(source, encoding));
  const delimiter = input.delimiter ?? detectDelimiter(iconv.decode(sample.subarray(0, 64 * 1024), encoding));
  return openCellTable(format, source, readCsvRecords(source, encoding, delimiter));
}

/** The first non-blank record is the header; the others are rows. */
async function openCellTable(
  format: TabularFormat,
  source: TabularSource,
  records: AsyncGenerator<CellRecord[], void, undefined>,
): Promise<BatchedTable> {
  let header: CellRecord | undefined;
  let rest: CellRecord[] = [];
  let layout: HeaderLayout;
  try {
    while (!header) {
      const next = await records.next();
      if (next.done) break;
      const at = next.value.findIndex((record) => !isBlank(record.cells));
      if (at >= 0) [header, rest] = [next.value[at], next.value.slice(at + 1)];
    }
    if (!header) throw new TabularError('no_header', source.name, 'there is no header row: every row is blank');
    layout = layOutHeader(header.cells, source.name, header.line);
  } catch (error) {
    await records.return();
    throw error;
  }
  const toRow = ({ line, cells }: CellRecord): TabularRow | undefined =>
    isBlank(cells) ? undefined : { line, values: toValues(cells, layout, source.name, line) };
  return batched(format, layout.columns, header.line, records, rowBatches(rest, records, toRow));
}

/** JSONL has no header: the first object's keys stand in for one, and later objects may add keys. */
async function openJsonlTable(
  source: TabularSource,
  records: AsyncGenerator<FieldRecord[], void, undefined>,
): Promise<BatchedTable> {
  let first: FieldRecord[] = [];
  try {
    while (first.length === 0) {
      const next = await records.next();
      if (next.done) throw new TabularError('empty_file', source.name, 'the file is empty');
      first = next.value;
    }
  } catch (error) {
    await records.return();
    throw error;
  }
  const columns = first[0]!.fields.map(([name]) => name);
  const blank = columns.map((name): [string, string] => [name, '']);
  const toRow = ({ line, fields }: FieldRecord): TabularRow => ({
    line,
    values: Object.fromEntries([...blank, ...fields]),
  });
  return batched('jsonl', columns, first[0]!.line, records, rowBatches(first, records, toRow));
}

function batched(
  format: TabularFormat,
  columns: string[],
  headerLine: number,
  records: AsyncGenerator<unknown, void, undefined>,
  batches: AsyncGenerator<TabularRow[], void, undefined>,
): BatchedTable {
  const close = async (): Promise<void> => {
    await batches.return();
    // `batches` may never have started, in which case the records are still open.
    await records.return();
  };
  return { format, columns, headerLine, batches, close };
}

/** Turns batches of records (the first one already read) into batches of rows. */
async function* rowBatches<T>(
  first: T[],
  rest: AsyncIterable<T[]>,
  toRow: (record: T) => TabularRow | undefined,
): AsyncGenerator<TabularRow[], void, undefined> {
  yield* mapBatch(first, toRow);
  for await (const records of rest) yield* mapBatch(records, toRow);
}

/** A record that fails is thrown after the rows before it are handed over, as it would be one by one. */
function* mapBatch<T>(records: T[], toRow: (record: T) => TabularRow | undefined): Generator<TabularRow[]> {
  const rows: TabularRow[] = [];
  for (const record of records) {
    let row: TabularRow | undefined;
    try {
      row = toRow(record);
    } catch (error) {
      if (rows.length > 0) yield rows;
      throw error;
    }
    if (row) rows.push(row);
  }
  if (rows.length > 0) yield rows;
}

function isBlank(cells: string[]): boolean {
  return cells.every((cell) => cell === '');
}

function hasOle2Signature(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/** The first byte that is not white space or part of a UTF-8 BOM, if any. */
function firstTextByte(bytes: Uint8Array): number | undefined {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return byte;
  }
  return undefined;
}

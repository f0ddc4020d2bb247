import type ExcelJS from 'exceljs';
import type { CellValue, Row } from 'exceljs';
import type { CellRecord } from './csv-records.ts';
import { TabularError } from './tabular-error.ts';
import { openByteStream, type TabularSource } from './tabular-source.ts';

/** XLSX files are ZIP archives. */
export function hasZipSignature(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Streams the rows of a workbook's first worksheet (in tab order) with exceljs'
 * streaming reader, so even a path to a large workbook is never held whole.
 * `line` is the row number Excel shows; rows Excel leaves out (empty ones) are
 * simply absent. Cells are rendered as text the way a person reads them.
 *
 * exceljs parks worksheets in temporary files when the shared strings come
 * later in the archive (Excel's usual order); it removes them as each sheet is
 * done, so the remaining sheets are drained rather than abandoned. A consumer
 * that stops early leaves them to be removed at process exit.
 */
export async function* readXlsxRecords(source: TabularSource): AsyncGenerator<CellRecord[], void, undefined> {
  // exceljs (some 400 files) loads on the first workbook read, not with every command that could read one.
  const { default: excel } = await import('exceljs');
  const bytes = openByteStream(source);
  const workbook = new excel.stream.xlsx.WorkbookReader(bytes, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles carry the number formats that tell a date from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let found = false;
  try {
    for await (const sheet of workbook) {
      if (found || !isFirstSheet(workbook, sheet)) {
        for await (const _events of sheetEvents(sheet)) {
          // Drained so exceljs can delete its temporary file.
        }
        continue;
      }
      found = true;
      for await (const events of sheetEvents(sheet)) {
        const rows = events.filter((event) => event.eventType === 'row').map((event) => event.value as Row);
        yield rows.map((row) => ({ line: row.number, cells: rowCells(row) }));
      }
    }
  } catch (error) {
    throw notAWorkbook(source.name, error);
  } finally {
    bytes.destroy();
  }
  if (!found) throw notAWorkbook(source.name);
}

export function notAWorkbook(file: string, cause?: unknown): TabularError {
  const options = cause === undefined ? undefined : { cause };
  return new TabularError(
    'invalid_workbook',
    file,
    'the file is not a valid XLSX workbook',
    undefined,
    undefined,
    options,
  );
}

/**
 * Sheets arrive in archive order, which need not be tab order; the workbook
 * part lists the tabs. When it comes later in the archive, the first sheet found is used.
 */
function isFirstSheet(workbook: ExcelJS.stream.xlsx.WorkbookReader, sheet: unknown): boolean {
  const firstTab = (workbook.model as Partial<ExcelJS.WorkbookModel> | undefined)?.sheets?.[0];
  return firstTab === undefined || (sheet as { id?: unknown }).id === firstTab.id;
}

/** The sheet's parse events a parsed chunk at a time, rather than row by row as its iterator gives them. */
function sheetEvents(
  sheet: ExcelJS.stream.xlsx.WorksheetReader,
): AsyncIterable<{ eventType: string; value: unknown }[]> {
  return { [Symbol.asyncIterator]: () => sheet.parse() };
}

function rowCells(row: Row): string[] {
  const cells: string[] = [];
  row.eachCell((cell, column) => {
    cells[column - 1] = cellText(cell.value, cell.numFmt);
  });
  return Array.from(cells, (cell) => cell ?? '');
}

/** A cell as the person reading the sheet sees it, trimmed; '' when empty. */
function cellText(value: CellValue, numberFormat: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return isDateFormat(numberFormat) ? formatDate(excelDate(value)) : formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if ('richText' in value)
    return value.richText
      .map((run) => run.text)
      .join('')
      .trim();
  if ('error' in value) return value.error;
  if ('hyperlink' in value) return cellText(value.text as CellValue, undefined);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result as CellValue, numberFormat);
  return '';
}

/**
 * Excel shows at most 15 significant digits, and so does this; integers such as
 * phone numbers (13800138000) never get an exponent.
 */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const shown = Number(value.toPrecision(15));
  const text = String(shown);
  return text.includes('e') ? shown.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 100 }) : text;
}

/**
 * Excel stores no time zone, so the date is rendered as the wall-clock time it
 * shows: `2024-03-05`, `2024-03-05T14:30:00`, or `14:30:00` for a bare time.
 */
function formatDate(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  // Serial numbers are fractions of a day; round away the floating-point dust.
  const iso = new Date(Math.round(time / 1000) * 1000).toISOString();
  const [day, clock] = [iso.slice(0, 10), iso.slice(11, 19)];
  if (clock === '00:00:00') return day;
  return day === '1899-12-30' || day === '1899-12-31' ? clock : `${day}T${clock}`;
}

/** A serial day number (1900 system) to the UTC date with the same wall-clock reading. */
function excelDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/**
 * exceljs already turns date-formatted cells into Dates, but not formula
 * results, so their number format is checked here: any day, month, year,
 * hour or second token outside quoted text, escapes and [colour] sections.
 */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const tokens = format.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(tokens);
}

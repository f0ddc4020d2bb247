/** What went wrong, stable for callers that map it onto their own error codes. */
export type TabularErrorCode =
  | 'empty_file'
  | 'no_header'
  | 'duplicate_column'
  | 'extra_cell'
  | 'unterminated_quote'
  | 'invalid_csv'
  | 'invalid_json'
  | 'invalid_workbook'
  | 'unsupported_file';

/**
 * A problem in the file's content, located as a person would find it: `line` is
 * the line (CSV, JSONL) or Excel row number (XLSX), `column` the 1-based column.
 * `line` is undefined when the problem concerns the whole file. The message
 * never quotes cell contents, so it is safe to log and to show.
 *
 * @example
 *   new TabularError('extra_cell', 'people.csv', 'the row has 5 cells but the header has 4 columns', 7, 5)
 *   // message: "people.csv, line 7, column 5: the row has 5 cells but the header has 4 columns"
 */
export class TabularError extends Error {
  readonly code: TabularErrorCode;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    code: TabularErrorCode,
    file: string,
    reason: string,
    line?: number,
    column?: number,
    options?: ErrorOptions,
  ) {
    super(`${locate(file, line, column)}: ${reason}`, options);
    this.name = 'TabularError';
    this.code = code;
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

function locate(file: string, line: number | undefined, column: number | undefined): string {
  let where = file;
  if (line !== undefined) where += `, line ${line}`;
  if (column !== undefined) where += `, column ${column}`;
  return where;
}

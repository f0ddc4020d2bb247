import { TabularError } from './tabular-error.ts';

/**
 * The key a header cell becomes: BOM stripped, trimmed, lower-cased, runs of
 * white space (including the full-width space) turned into `_`, so
 * " Phone Number" and "phone  number" both give "phone_number"; "联系 电话" gives "联系_电话".
 */
export function normaliseColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_');
}

/**
 * The header row of a CSV or XLSX file. `slots[i]` is the index in `columns` of
 * cell i, or -1 for a cell with no header text: such a column is tolerated (Excel
 * leaves trailing separators and spacer columns) as long as no row puts a value in it.
 */
export interface HeaderLayout {
  columns: string[];
  slots: number[];
  /** Every column set to ''; rows start as a copy of it. */
  blank: Record<string, string>;
}

export function layOutHeader(cells: string[], file: string, line: number): HeaderLayout {
  const columns: string[] = [];
  const slots: number[] = [];
  const seen = new Map<string, number>();
  cells.forEach((cell, index) => {
    const name = normaliseColumnName(cell);
    if (name === '') {
      slots.push(-1);
      return;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new TabularError(
        'duplicate_column',
        file,
        `the header names column "${name}" twice (columns ${earlier} and ${index + 1})`,
        line,
        index + 1,
      );
    }
    seen.set(name, index + 1);
    slots.push(columns.length);
    columns.push(name);
  });
  // fromEntries and spreading define own properties, so even a column named
  // "__proto__" is a plain own key, which later assignments then update.
  return { columns, slots, blank: Object.fromEntries(columns.map((name) => [name, ''])) };
}

/**
 * Maps a row's cells onto the header. Missing trailing cells become ''; a
 * non-empty cell under no header is an error, because silently dropping data is worse.
 */
export function toValues(cells: string[], layout: HeaderLayout, file: string, line: number): Record<string, string> {
  const { columns, slots } = layout;
  const values = { ...layout.blank };
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i]!;
    const slot = slots[i] ?? -1;
    if (slot >= 0) values[columns[slot]!] = value;
    else if (value !== '') {
      const reason =
        i >= slots.length
          ? `the row has ${lastFilled(cells)} cells but the header has ${slots.length} columns`
          : `the row has a value in column ${i + 1}, which has no header`;
      throw new TabularError('extra_cell', file, reason, line, i + 1);
    }
  }
  return values;
}

function lastFilled(cells: string[]): number {
  let n = cells.length;
  while (n > 0 && cells[n - 1] === '') n--;
  return n;
}

/** The column names an importer accepts; compared after {@link normaliseColumnName}. */
export interface ColumnSpec {
  required: string[];
  optional: string[];
}

/**
 * Checks a file's header against what an importer accepts, before any row is
 * read, and returns every problem at once (empty when the header is fine), so
 * the person fixing the file sees them all in one round.
 *
 * @example
 *   validateColumns(['name', 'phone', 'fax'], { required: ['name', 'code'], optional: ['phone'] })
 *   // ['Missing required column "code".', 'Unknown column "fax"; expected: name, code, phone.']
 */
export function validateColumns(columns: string[], spec: ColumnSpec): string[] {
  const present = new Set(columns.map(normaliseColumnName));
  const required = spec.required.map(normaliseColumnName);
  const known = new Set([...required, ...spec.optional.map(normaliseColumnName)]);
  const problems: string[] = [];
  for (const name of required) {
    if (!present.has(name)) problems.push(`Missing required column "${name}".`);
  }
  const expected = [...known].join(', ');
  for (const name of present) {
    if (!known.has(name)) problems.push(`Unknown column "${name}"; expected: ${expected}.`);
  }
  return problems;
}

/**
 * Reading tabular files (CSV in UTF-8 or GBK/GB18030, XLSX, JSONL) into rows
 * that remember where they came from, for bulk imports. Standalone: callers
 * wrap `TabularError` into their own errors.
 */
export {
  detectEncoding,
  detectFormat,
  normaliseColumnName,
  openTabular,
  readTabular,
  readTabularFile,
  TabularError,
  validateColumns,
  type ColumnSpec,
  type TabularErrorCode,
  type TabularFormat,
  type TabularHeader,
  type TabularInput,
  type TabularRow,
  type TabularTable,
  type TextEncoding,
} from './tabular-file.ts';

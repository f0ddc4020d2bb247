import type { ColumnType, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One reply's quality score (migration 2026-12-01T1931-reply-scores). */
export interface ReplyScoreTable {
  region_id: number;
  case_id: number;
  event_version: number;
  round: number;
  department_id: number | null;
  replied_at: Timestamp;
  method: string;
  relevance: number;
  completeness: number;
  explainability: number;
  timeliness: number | null;
  overall: number;
  delay_elapsed: number | null;
  delay_limit: number | null;
  delay_unit: 'working_days' | 'hours' | null;
  /** The cues of each dimension: `{ relevance: [...], completeness: [...], explainability: [...], timeliness: [...] }`. */
  cues: JSONColumnType<Record<string, unknown[]>, string, string>;
  scored_at: Timestamp;
}

export type ReplyQualityTables = { reply_scores: ReplyScoreTable };

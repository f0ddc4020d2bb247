import type { Generated } from 'kysely';

type Timestamp = Date | string;

/** An early-warning alert sent to the coordinators (migration 2026-12-01T2230-hot-issues). */
export interface HotIssueAlertTable {
  region_id: number;
  id: Generated<number>;
  /** The cluster's oldest member message id when it alerted. */
  cluster_key: string;
  /** Monday 00:00 China Standard Time of the week the alert belongs to: one alert per cluster per week. */
  period_start: Timestamp;
  /** The cluster's members then (bigint[]): a later scan finding any of them again is the same cluster. */
  message_ids: string[];
  /** The region path most members sit in (the city's when none has a district): whose coordinators are told. */
  region_path: string;
  place: string | null;
  /** The representative title, masked. */
  title: string;
  recent: number;
  recent_people: number;
  baseline: number;
  expected: number;
  ratio: number;
  probability: number;
  created_at: Timestamp;
}

export type HotIssueTables = {
  hot_issue_alerts: HotIssueAlertTable;
};

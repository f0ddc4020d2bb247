import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Day = ColumnType<string, string, string>;

export const FINDING_TYPES = ['comprehensive', 'special', 'law_enforcement', 'audit'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];
export const FINDING_STATUSES = ['open', 'rectifying', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const RECTIFICATION_STATUSES = ['open', 'submitted', 'signed_off'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

export interface AuditFindingTable {
  region_id: number;
  id: Generated<number>;
  project_id: number | null;
  ocid: string | null;
  flag_id: number | null;
  type: FindingType;
  title: string;
  description: Generated<string>;
  found_on: Day;
  status: Generated<FindingStatus>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface RectificationItemTable {
  region_id: number;
  id: Generated<number>;
  finding_id: number;
  description: string;
  owner_department_id: number;
  due_date: Day;
  evidence: Generated<string>;
  status: Generated<RectificationStatus>;
  signed_off_by: number | null;
  signed_off_at: Timestamp | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Inspections and audit findings (migration `2026-12-01T2310-projects`). */
export type FindingTables = {
  audit_findings: AuditFindingTable;
  rectification_items: RectificationItemTable;
};

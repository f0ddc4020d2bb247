import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Money = ColumnType<string | null, string | number | null, string | number | null>;

export interface OcdsImportTable {
  region_id: number;
  id: Generated<number>;
  source_name: string;
  source_sha256: string;
  project_id: number | null;
  status: 'running' | 'done' | 'failed';
  releases_read: Generated<number>;
  releases_added: Generated<number>;
  error: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  started_by: number | null;
}

export interface OcdsReleaseTable {
  region_id: number;
  id: Generated<number>;
  ocid: string;
  release_id: string;
  release_date: string;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  import_id: number | null;
  /** The OCDS version the release came in; null until its import settles it. */
  schema_version: ColumnType<'1.0' | '1.1' | null, '1.0' | '1.1' | null | undefined, '1.0' | '1.1'>;
}

export interface OcdsProcessTable {
  region_id: number;
  id: Generated<number>;
  ocid: string;
  compiled: JSONColumnType<Record<string, unknown>, string, string>;
  release_count: number;
  title: string | null;
  buyer_id: string | null;
  buyer_name: string | null;
  tender_amount: Money;
  contract_amount: Money;
  paid_amount: Money;
  currency: string | null;
  updated_at: Timestamp;
}

export interface ProjectProcurementTable {
  region_id: number;
  ocid: string;
  project_id: number;
  linked_at: Timestamp;
}

export interface OcdsIndicatorSettingsTable {
  region_id: number;
  version: number;
  settings: string;
  note: Generated<string>;
  created_by: number | null;
  created_at: Timestamp;
}

export type FlagSubjectKind = 'process' | 'buyer' | 'procuring_entity' | 'tenderer';

export interface OcdsFlagTable {
  region_id: number;
  id: Generated<number>;
  ocid: string;
  indicator: string;
  subject_kind: FlagSubjectKind;
  subject_id: string;
  subject_name: string | null;
  value: number | null;
  threshold: number | null;
  peers: JSONColumnType<Record<string, unknown>, string, string>;
  settings_version: number | null;
  computed_at: Timestamp;
}

/** Procurement's tables (migration `2026-12-01T2310-projects`). */
export type ProcurementTables = {
  ocds_imports: OcdsImportTable;
  ocds_releases: OcdsReleaseTable;
  ocds_processes: OcdsProcessTable;
  project_procurements: ProjectProcurementTable;
  ocds_indicator_settings: OcdsIndicatorSettingsTable;
  ocds_flags: OcdsFlagTable;
};

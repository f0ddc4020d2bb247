import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar day; read as a string (`YYYY-MM-DD`) to dodge time zones. */
type Day = ColumnType<string, string, string>;

export interface PlanTable {
  region_id: number;
  id: Generated<number>;
  department_id: number;
  title: string;
  year: number;
  period: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PlanItemTable {
  region_id: number;
  id: Generated<number>;
  plan_id: number;
  title: string;
  description: Generated<string>;
  owner_user_id: number | null;
  due_date: Day | null;
  budget_note: string | null;
  progress: Generated<number>;
  status: Generated<'planned' | 'in_progress' | 'done' | 'dropped'>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanItemSourceTable {
  region_id: number;
  plan_item_id: number;
  case_id: number;
  adopted_at: Timestamp;
  adopted_by: number | null;
}

/** Work plans' tables (migration `2026-12-01T1640-plans`). */
export type PlanTables = {
  plans: PlanTable;
  plan_items: PlanItemTable;
  plan_item_sources: PlanItemSourceTable;
};

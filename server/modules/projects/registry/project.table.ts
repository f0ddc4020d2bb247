import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar day; read as a string (`YYYY-MM-DD`) to dodge time zones. */
type Day = ColumnType<string, string, string>;
/** numeric(16,2): pg returns it as a string, so money never passes through a float. */
type Money = ColumnType<string, string | number, string | number>;

export const PROJECT_CATEGORIES = ['education', 'health', 'elderly_care', 'housing', 'transport', 'water', 'environment', 'employment', 'culture_sports', 'social_assistance', 'other'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];
export const PROJECT_STATUSES = ['planned', 'in_progress', 'completed', 'suspended', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const FUNDING_SOURCES = ['central', 'provincial', 'municipal', 'district', 'special_bond', 'social_capital', 'other'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
export type MilestoneStatus = 'pending' | 'done' | 'delayed';

export interface ProjectTable {
  region_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  category: ProjectCategory;
  description: Generated<string>;
  lead_department_id: number;
  district_id: number | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  beneficiaries: number | null;
  status: Generated<ProjectStatus>;
  progress: Generated<number>;
  planned_start: Day | null;
  planned_end: Day | null;
  year: number;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ProjectCoUnitTable {
  region_id: number;
  project_id: number;
  department_id: number;
}

export interface ProjectAreaTable {
  region_id: number;
  project_id: number;
  area_id: number;
}

export interface ProjectBudgetLineTable {
  region_id: number;
  id: Generated<number>;
  project_id: number;
  funding_source: FundingSource;
  description: string;
  year: number;
  amount: Money;
  created_at: Timestamp;
}

export interface ProjectPaymentTable {
  region_id: number;
  id: Generated<number>;
  project_id: number;
  paid_on: Day;
  amount: Money;
  payee: string;
  purpose: Generated<string>;
  ocid: string | null;
  recorded_by: number | null;
  created_at: Timestamp;
}

export interface ProjectMilestoneTable {
  region_id: number;
  id: Generated<number>;
  project_id: number;
  title: string;
  planned_date: Day;
  completed_on: Day | null;
  status: Generated<MilestoneStatus>;
  evidence: Generated<string>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProjectUpdateTable {
  region_id: number;
  id: Generated<number>;
  project_id: number;
  milestone_id: number | null;
  progress: number;
  note: string;
  author_user_id: number | null;
  created_at: Timestamp;
}

export interface ProjectCaseLinkTable {
  region_id: number;
  project_id: number;
  case_id: number;
  linked_at: Timestamp;
}

export interface ProjectPlanItemLinkTable {
  region_id: number;
  project_id: number;
  plan_item_id: number;
  linked_at: Timestamp;
}

/** The registry's tables (migration `2026-12-01T2310-projects`). */
export type ProjectTables = {
  projects: ProjectTable;
  project_co_units: ProjectCoUnitTable;
  project_areas: ProjectAreaTable;
  project_budget_lines: ProjectBudgetLineTable;
  project_payments: ProjectPaymentTable;
  project_milestones: ProjectMilestoneTable;
  project_updates: ProjectUpdateTable;
  project_case_links: ProjectCaseLinkTable;
  project_plan_item_links: ProjectPlanItemLinkTable;
};

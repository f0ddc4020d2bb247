import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T extends object> = JSONColumnType<T, string, string>;

export interface PairingCadreTable {
  region_id: number;
  id: Generated<number>;
  code: string;
  name: string;
  user_id: number | null;
  unit: string | null;
  district_id: number;
  x: number | null;
  y: number | null;
  lat: number | null;
  lon: number | null;
  capacity: number;
  skills: Json<string[]>;
  active: boolean;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PairingHouseholdTable {
  region_id: number;
  id: Generated<number>;
  code: string;
  district_id: number;
  community_id: number;
  x: number | null;
  y: number | null;
  lat: number | null;
  lon: number | null;
  difficulties: Json<string[]>;
  needs: Json<string[]>;
  members: number;
  contact_phone: string | null;
  notes: string | null;
  active: boolean;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PairingPairTable {
  region_id: number;
  id: Generated<number>;
  household_id: number;
  cadre_id: number;
  since: Timestamp;
  run_id: number | null;
}

export interface PairingRunTable {
  region_id: number;
  id: Generated<number>;
  district_id: number | null;
  scenario: string;
  options: Json<Record<string, unknown>>;
  status: string;
  solver_status: ColumnType<string, string | undefined, string>;
  cost: ColumnType<string | number | null, number | null, number | null>;
  lower_bound: ColumnType<string | number | null, number | null, number | null>;
  gap: number | null;
  certified: ColumnType<boolean, boolean | undefined, boolean>;
  solve_ms: ColumnType<number, number | undefined, number>;
  greedy_cost: ColumnType<string | number | null, number | null, number | null>;
  cadres: ColumnType<number, number | undefined, number>;
  households: ColumnType<number, number | undefined, number>;
  assignments: JSONColumnType<[number, number][], string | undefined, string>;
  diff: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  unserved: JSONColumnType<{ householdId: number; reason: string }[], string | undefined, string>;
  pairs_digest: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Timestamp;
  decided_by: number | null;
  decided_at: Timestamp | null;
  /** Background runs (migration `2026-12-02T0150-pairing-background-runs`): how far, which step, why it failed, when it was last alive. */
  progress: ColumnType<number, number | undefined, number>;
  phase: string | null;
  error: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  heartbeat_at: Timestamp | null;
}

export interface PairingVisitTable {
  region_id: number;
  id: Generated<number>;
  household_id: number;
  cadre_id: number;
  visited_on: ColumnType<string | Date, string, string>;
  duration_minutes: number;
  met: string;
  situation: string;
  created_by: number | null;
  created_at: Timestamp;
}

export interface PairingNeedTable {
  region_id: number;
  id: Generated<number>;
  household_id: number;
  visit_id: number | null;
  need_type: string;
  description: string;
  case_id: number | null;
  created_at: Timestamp;
}

/** A cadre reminded in a week (migration `2026-12-01T2335-pairing-reminders`): what they were told, once per week. */
export interface PairingReminderTable {
  region_id: number;
  id: Generated<number>;
  cadre_id: number;
  period_start: Timestamp;
  overdue_households: number;
  open_needs: number;
  created_at: Timestamp;
}

/** Pairing's tables (migrations `2026-12-01T2300-pairing`, `2026-12-01T2335-pairing-reminders`). */
export type PairingTables = {
  pairing_cadres: PairingCadreTable;
  pairing_households: PairingHouseholdTable;
  pairing_pairs: PairingPairTable;
  pairing_runs: PairingRunTable;
  pairing_visits: PairingVisitTable;
  pairing_needs: PairingNeedTable;
  pairing_reminders: PairingReminderTable;
};

import type { JSONColumnType } from 'kysely';

export interface AuditHeadTable {
  region_id: number;
  chain: number;
  seq: number;
  hash: string;
}

export interface AuditLogTable {
  region_id: number;
  chain: number;
  seq: number;
  at: Date;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  ip: string | null;
  request_id: string | null;
  before_digest: string | null;
  after_digest: string | null;
  details: JSONColumnType<Record<string, unknown>, string, string>;
  prev_hash: string;
  hash: string;
}

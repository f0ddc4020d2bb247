import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SessionTable {
  region_id: number;
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  csrf_token: string;
  ip: string | null;
  created_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface ApiTokenTable {
  region_id: number;
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

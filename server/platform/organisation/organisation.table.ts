import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface RegionTable {
  region_id: number;
  id: Generated<number>;
  parent_id: number | null;
  level: 'city' | 'district' | 'street' | 'community';
  /** Ids from the city down to this region, as '/1/5/17/': "within" is a prefix test. */
  path: string;
  code: string;
  name: string;
  name_en: string | null;
  boundary: JSONColumnType<object | null, string | null, string | null>;
  centroid: JSONColumnType<[number, number] | null, string | null, string | null>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DepartmentTable {
  region_id: number;
  id: Generated<number>;
  parent_id: number | null;
  code: string;
  name: string;
  name_en: string | null;
  district_id: number | null;
  areas: JSONColumnType<string[], string, string>;
  contact_phone: string | null;
  contact_email: string | null;
  address: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserTable {
  region_id: number;
  id: Generated<number>;
  username: string;
  display_name: string;
  phone: string | null;
  email: string | null;
  role: 'citizen' | 'handler' | 'coordinator' | 'cadre' | 'auditor' | 'admin';
  department_id: number | null;
  scope_region_id: number | null;
  password_hash: string;
  must_change_password: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  active: Generated<boolean>;
  last_login_at: Date | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

import type { AuditHeadTable, AuditLogTable } from '../audit/audit.table.ts';
import type { ApiTokenTable, SessionTable } from '../identity/identity.table.ts';
import type { DepartmentTable, RegionTable, UserTable } from '../organisation/organisation.table.ts';

/**
 * The platform's tables. Modules add their own with `db.withTables<T>()`, so
 * the platform never needs to know them.
 */
export interface Database {
  regions: RegionTable;
  departments: DepartmentTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  audit_heads: AuditHeadTable;
  audit_log: AuditLogTable;
}

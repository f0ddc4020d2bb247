/**
 * The platform's public face: what the loops, the CLI and the demo may use.
 * Everything else under platform/ is private to it.
 */
export { loadConfig, type Config, type SmtpSettings } from './config.ts';
export { sendMail, SmtpError, encodeHeader, type MailMessage } from './mail/smtp.ts';
export { AppError, isAppError, type ErrorCode } from './errors.ts';
export { createLogger, type Logger } from './logger.ts';
export type { Clock, PlatformDeps, RequestContext, Trx } from './context.ts';
export { openDatabase, isDatabaseReachable, type Db, type DatabaseHandle } from './database/database.ts';
export { migrateToLatest } from './database/migrate.ts';
export { inTransaction } from './database/transaction.ts';
export { prepared } from './database/prepared.ts';
export type { Database } from './database/schema.ts';
export { ROLES, STAFF_ROLES, accountIdOf, assertAllowed, isAllowed, roleMay, type Action, type Actor, type Resource, type Role } from './authorization.ts';
export { recordAudit, recordAudits, verifyAudit, type AuditEvent, type AuditVerification, prepareAudits, ensureAuditHeads, type PreparedAudit } from './audit/audit.service.ts';
export { appendAuditSql } from './audit/audit.repository.ts';
export { AUDIT_CHAINS } from './audit/audit-chain.ts';
export { requireActor, resolveCity } from './identity/identity.service.ts';
export { issueTrackingCode, normaliseTrackingCode } from './identity/tracking-code.ts';
export { provisionCity, type CityPlan } from './organisation/city-provisioning.service.ts';
export { createUser, updateUser, resetPassword, listUsers } from './organisation/user.service.ts';
export { importOrganisation } from './imports/import.service.ts';
export { STATUS_OF, problemOf } from './http/http-errors.ts';
export { normaliseColumnName, openTabular, readTabularFile, TabularError, type TabularRow } from './tabular/tabular-file.ts';
export type { Department, Region, User } from './organisation/organisation.ts';
export { findDepartmentByCode, findRegionByCode } from './organisation/organisation.repository.ts';
export { UsageError, cliContext, openDeps, withDeps, type CliArgs, type CliCommand, type CliIo } from './cli/cli-command.ts';
export { platformCommands } from './platform.cli.ts';
export { maskPersonalData, maskText, PERSONAL_DATA_KINDS, type MaskOptions, type MaskResult, type PersonalDataKind, type PersonalDataMatch } from './privacy/index.ts';
export { startIntervalJob, type IntervalJob } from './jobs/interval-job.ts';

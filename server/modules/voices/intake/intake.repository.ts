import { sql, type Kysely } from 'kysely';
import {
  appendAuditSql,
  type Database,
  type PlatformDeps,
  type PreparedAudit,
  type Trx,
  prepared,
} from '../../../platform/index.ts';
import { caseEventRow, caseRow, messageRow, nextCaseNumberSql, type NewCase, type NewMessage } from '../cases/case.repository.ts';
import type { CaseEventRecord } from '../cases/voices.ts';
import type { IntakeIds } from './id-pool.ts';
import type { VoicesTables } from '../cases/voices.table.ts';

type Executor = PlatformDeps['db'] | Trx;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

/**
 * A block of case and message ids from their identity sequences (never
 * rolled back, so ids have gaps). Knowing its ids up front lets an intake be
 * written, audit entries and their chain included, in one statement.
 */
export async function reserveIntakeIds(db: Executor, count: number): Promise<IntakeIds[]> {
  const { rows } = await sql<{ case_id: string; message_id: string }>`${prepared}
    select nextval(pg_get_serial_sequence('cases', 'id')) as case_id, nextval(pg_get_serial_sequence('messages', 'id')) as message_id
    from generate_series(1, ${count}::int) as i order by i`.execute(db);
  return rows.map((row) => ({ caseId: Number(row.case_id), messageId: Number(row.message_id) }));
}

/** Everything one intake writes, with ids from `reserveIntakeIds`; the case number is taken as it writes. */
export interface IntakeWrite {
  readonly caseId: number;
  readonly messageId: number;
  /** The year the case is numbered in (`caseYearOf`). */
  readonly year: number;
  readonly case: Omit<NewCase, 'number'>;
  readonly message: NewMessage;
  readonly events: readonly CaseEventRecord[];
  readonly audit: PreparedAudit;
}

/**
 * Writes an intake in one statement of data-modifying common table
 * expressions: the case, with the next number of the city's sequence for
 * the year (a sequence, not a counter row: no row lock is held until
 * commit), its message, its timeline rows, and its audit entries (head lock,
 * hashes, entries and head move, `appendAuditSql`). One statement is atomic
 * on its own, so outside a transaction it needs no `begin`/`commit`, and a
 * failure (a unique key, a missing head) writes nothing but leaves a gap in
 * the numbers; the foreign keys between the rows are checked at its end.
 * Prepared once per connection on the server. Throws a 42P01 error
 * (`isMissingSequence`) on the city's first case of a year, before
 * `ensureCaseNumberSequence`. Returns the case number.
 */
export async function insertIntake(db: Executor, regionId: number, write: IntakeWrite): Promise<string> {
  const newCase = tables(db)
    .insertInto('cases')
    .values({ ...caseRow(regionId, { ...write.case, number: '' }), id: write.caseId, number: nextCaseNumberSql(regionId, write.year) })
    .returning('number');
  const newMessage = tables(db)
    .insertInto('messages')
    .values({ ...messageRow(regionId, write.message), id: write.messageId, case_id: write.caseId });
  const newEvents = tables(db)
    .insertInto('case_events')
    .values(write.events.map((event) => caseEventRow(regionId, write.caseId, event)));
  const { rows } = await sql<{ number: string }>`${prepared}with new_case as (${newCase}), new_message as (${newMessage}), new_events as (${newEvents}), ${appendAuditSql(write.audit)}
    select number from new_case`.execute(db);
  return rows[0]!.number;
}

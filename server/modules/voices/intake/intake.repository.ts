import { sql, type Kysely } from 'kysely';
import {
  AUDIT_CHAINS,
  appendAuditSql,
  type Database,
  type PlatformDeps,
  type PreparedAudit,
  type Trx,
} from '../../../platform/index.ts';
import { caseEventRow, caseRow, messageRow, type NewCase, type NewMessage } from '../cases/case.repository.ts';
import { formatCaseNumber, type CaseEventRecord } from '../cases/voices.ts';
import type { VoicesTables } from '../cases/voices.table.ts';

type Executor = PlatformDeps['db'] | Trx;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

/** What an intake takes before it writes: the ids of its case and message, the case number, and whether the city's audit heads exist. */
export interface IntakeReservation {
  readonly caseId: number;
  readonly messageId: number;
  readonly number: string;
  readonly auditHeadsReady: boolean;
}

/**
 * One autocommit statement: the next case number of the city and year from
 * `case_counters` (a failed intake leaves a gap), and the case and message
 * ids from their identity sequences (never rolled back, so ids may have gaps
 * too). Knowing the ids up front lets the whole intake be written, audit
 * entries and their chain included, in one statement (`insertIntake`).
 *
 * The counter row is city-wide, so this statement commits asynchronously
 * (`synchronous_commit` off for it alone): its row lock is released without
 * waiting for the WAL flush, so a city's intakes do not queue on one flush
 * after another. Nothing is lost: the intake that uses the number commits
 * synchronously afterwards, and that flush covers all WAL written before it,
 * this increment included; after a crash before that, the number was never
 * used and is taken again.
 */
export async function reserveIntake(db: Executor, regionId: number, year: number): Promise<IntakeReservation> {
  const { rows } = await sql<{ case_id: string; message_id: string; last_number: string; heads: string }>`
    with counter as (
      insert into case_counters (region_id, year, last_number) values (${regionId}, ${year}, 1)
      on conflict (region_id, year) do update set last_number = case_counters.last_number + 1
      returning last_number)
    select nextval(pg_get_serial_sequence('cases', 'id')) as case_id, nextval(pg_get_serial_sequence('messages', 'id')) as message_id,
      counter.last_number, (select count(*) from audit_heads where region_id = ${regionId}) as heads,
      set_config('synchronous_commit', 'off', true) as commit_mode
    from counter`.execute(db);
  const row = rows[0]!;
  return {
    caseId: Number(row.case_id),
    messageId: Number(row.message_id),
    number: formatCaseNumber(year, Number(row.last_number)),
    auditHeadsReady: Number(row.heads) >= AUDIT_CHAINS,
  };
}

/** Everything one intake writes, with the ids from `reserveIntake`. */
export interface IntakeWrite {
  readonly caseId: number;
  readonly messageId: number;
  readonly case: NewCase;
  readonly message: NewMessage;
  readonly events: readonly CaseEventRecord[];
  readonly audit: PreparedAudit;
}

/**
 * Writes an intake in one statement of data-modifying common table
 * expressions: the case, its message, its timeline rows, and its audit
 * entries (head lock, hashes, entries and head move, `appendAuditSql`). One
 * statement is atomic on its own, so outside a transaction it needs no
 * `begin`/`commit`, and a failure (a unique key, a missing head) writes
 * nothing; the foreign keys between the rows are checked at its end.
 */
export async function insertIntake(db: Executor, regionId: number, write: IntakeWrite): Promise<void> {
  const newCase = tables(db)
    .insertInto('cases')
    .values({ ...caseRow(regionId, write.case), id: write.caseId });
  const newMessage = tables(db)
    .insertInto('messages')
    .values({ ...messageRow(regionId, write.message), id: write.messageId, case_id: write.caseId });
  const newEvents = tables(db)
    .insertInto('case_events')
    .values(write.events.map((event) => caseEventRow(regionId, write.caseId, event)));
  await sql`
    with new_case as (${newCase}), new_message as (${newMessage}), new_events as (${newEvents}), ${appendAuditSql(write.audit)}
    select count(*) from audit_rows`.execute(db);
}

/**
 * The SLA engine's running part: the scan that reminds departments before a
 * deadline and escalates (督办) when it has passed, and the job that runs it
 * every `SLA_SCAN_INTERVAL_SECONDS` while the server runs.
 *
 * Each case is chased at most once per due date and kind: the scan marks the
 * case (`sla_reminded_for`, `sla_escalated_for`) in the same transaction as it
 * logs the alert (`case_reminders`) and, for an overdue case, fires the state
 * machine's `urge` as `system` (timeline entry, `escalate` + `notify_department`
 * in `details.notifications`: the department head and the coordinators).
 * A new due date (extension, resumption, rework) re-arms both. The same scan
 * closes (办结) replied and rated cases whose citizens' rating window has
 * ended, as `system`, so no case waits forever for a rating that never
 * comes (a requester who did not rate has not complained). Two scanners
 * at once never chase a case twice: each case is handled in its own
 * transaction under `for update skip locked`, and the marks are re-checked
 * under the lock.
 */
import {
  inTransaction,
  startIntervalJob,
  type IntervalJob,
  type PlatformDeps,
  type RequestContext,
} from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import { SYSTEM_ACTOR, fireCaseEvent } from '../cases/case.service.ts';
import { DEFAULT_REMIND_BEFORE, type RemindBefore } from './deadline.ts';
import * as repository from './sla-scan.repository.ts';
import { DEADLINES } from './sla.ts';

export { DEFAULT_REMIND_BEFORE };

/** What one scan did. */
export interface SlaScanReport {
  /** Due-soon cases the departments were reminded of. */
  readonly reminded: number;
  /** Overdue cases escalated (督办). */
  readonly escalated: number;
  /** Replied or rated cases closed because their rating window ended. */
  readonly closed: number;
  /** Candidates another scanner held or someone changed meanwhile; the next scan looks again. */
  readonly skipped: number;
}

export interface SlaScanOptions {
  /** One city; every city when absent. */
  readonly regionId?: number;
  readonly now: Date;
  /** Cases selected per query (each is then handled in its own transaction). Default 200. */
  readonly batchSize?: number;
  readonly remindBefore?: RemindBefore;
}

/** The instants a scan at `now` compares due dates with. */
export function slaHorizon(now: Date, remindBefore: RemindBefore = DEFAULT_REMIND_BEFORE): repository.SlaHorizon {
  return {
    now,
    // The end of the N-th working day after today: `status()` calls a clock due on it "due soon".
    workingDaysUntil: DEADLINES.calendar.addWorkingDays(now, Math.ceil(remindBefore.workingDays)),
    hoursUntil: new Date(now.getTime() + remindBefore.hours * 3_600_000),
  };
}

const systemContext = (regionId: number): RequestContext => ({
  actor: undefined,
  regionId,
  ip: null,
  requestId: null,
  label: 'system',
});

/**
 * Reminds and escalates every case that is due: see the module comment.
 * Idempotent; safe to run from several servers at once.
 *
 * @example await scanDeadlines(deps, { now: deps.clock() }) // → { reminded: 3, escalated: 1, skipped: 0 }
 */
export async function scanDeadlines(deps: PlatformDeps, options: SlaScanOptions): Promise<SlaScanReport> {
  const batchSize = options.batchSize ?? 200;
  const horizon = slaHorizon(options.now, options.remindBefore);
  const cities = options.regionId === undefined ? await repository.listCityIds(deps.db) : [options.regionId];
  const total = { reminded: 0, escalated: 0, closed: 0, skipped: 0 };
  for (const regionId of cities) {
    const seen = new Set<string>();
    for (;;) {
      const batch = (await repository.findSlaCandidates(deps.db, regionId, horizon, batchSize)).filter(
        (candidate) => !seen.has(`${candidate.id}:${candidate.kind}`),
      );
      if (batch.length === 0) break;
      for (const candidate of batch) {
        seen.add(`${candidate.id}:${candidate.kind}`);
        const outcome = await chase(deps, regionId, candidate, options.now);
        total[outcome] += 1;
      }
    }
    for (let afterId = 0; ;) {
      const batch = await repository.findCasesToClose(deps.db, regionId, options.now, batchSize, afterId);
      if (batch.length === 0) break;
      for (const caseId of batch) total[await closeAfterRatingWindow(deps, regionId, caseId, options.now)] += 1;
      afterId = batch[batch.length - 1]!;
    }
  }
  return total;
}

async function closeAfterRatingWindow(
  deps: PlatformDeps,
  regionId: number,
  caseId: number,
  now: Date,
): Promise<'closed' | 'skipped'> {
  return inTransaction(deps.db, async (trx) => {
    if (!(await repository.lockCaseToClose(trx, regionId, caseId))) return 'skipped';
    const record = (await cases.findCase(trx, regionId, caseId))!;
    await fireCaseEvent(
      trx,
      deps,
      systemContext(regionId),
      record,
      { type: 'close', note: '评价期已满，自动办结 / The rating window has ended: closed' },
      SYSTEM_ACTOR,
      { userId: null, label: 'system' },
      now,
    );
    return 'closed';
  });
}

async function chase(
  deps: PlatformDeps,
  regionId: number,
  candidate: repository.SlaCandidate,
  now: Date,
): Promise<keyof SlaScanReport> {
  return inTransaction(deps.db, async (trx) => {
    if (!(await repository.lockSlaCandidate(trx, regionId, candidate))) return 'skipped';
    const record = (await cases.findCase(trx, regionId, candidate.id))!;
    const departmentId = record.snapshot.departmentId;
    if (!(await repository.recordSlaAlert(trx, regionId, candidate, departmentId, now))) return 'skipped';
    if (candidate.kind === 'remind') return 'reminded';
    const due = candidate.dueAt.toISOString();
    await fireCaseEvent(
      trx,
      deps,
      systemContext(regionId),
      record,
      { type: 'urge', note: `超期督办：办理期限 ${due} 已过 / Overdue: the deadline ${due} has passed` },
      SYSTEM_ACTOR,
      { userId: null, label: 'system' },
      now,
    );
    return 'escalated';
  });
}

/** A running scan job; `stop()` waits for a scan in progress to finish. */
export type SlaScanJob = IntervalJob;

/** The advisory lock key of the scan: one scanner at a time across servers sharing a database. */
export const SLA_SCAN_LOCK_KEY = 0x4d58_5341; // 'MXSA'

/**
 * Runs `scanDeadlines` for every city every `intervalSeconds` (the first
 * scan right away) while the server runs. On a PostgreSQL server a scan runs
 * only under `pg_try_advisory_lock`, so of several servers one scans at a
 * time; the embedded database has one process by construction. Errors are
 * logged and the next tick tries again.
 */
export function startSlaScanJob(deps: PlatformDeps, intervalSeconds: number): SlaScanJob {
  return startIntervalJob(deps.logger, 'SLA scan', intervalSeconds, () => scanOnce(deps));
}

/** One scan of every city, under the advisory lock on a server. Null when another server holds the lock. */
export async function scanOnce(deps: PlatformDeps): Promise<SlaScanReport | null> {
  const scan = async (): Promise<SlaScanReport> => {
    const report = await scanDeadlines(deps, { now: deps.clock() });
    if (report.reminded + report.escalated + report.closed > 0)
      deps.logger.info(report, 'SLA scan: reminded, escalated and closed cases');
    return report;
  };
  if (deps.config.databaseUrl === undefined) return scan();
  return deps.db.connection().execute(async (connection) => {
    if (!(await repository.tryScanLock(connection, SLA_SCAN_LOCK_KEY))) return null;
    try {
      return await scan();
    } finally {
      await repository.releaseScanLock(connection, SLA_SCAN_LOCK_KEY);
    }
  });
}

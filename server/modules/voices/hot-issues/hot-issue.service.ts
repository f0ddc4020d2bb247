/**
 * Hot issues of a city (docs/hot-issues.md): its recent messages, read from
 * the database newest first by keyset pages (at most `MAX_MESSAGES`), are
 * clustered and ranked by heat; on demand for a coordinator's scope (the API,
 * cached a minute), and every `HOT_ISSUES_INTERVAL_SECONDS` city-wide by the
 * job, which turns early-warning surges into coordinators' notifications,
 * once per cluster and week.
 */
import { Worker } from 'node:worker_threads';
import { dailyCounts, type HotIssue, type HotMessage } from '../../../algorithms/hot-issues/index.ts';
import {
  assertAllowed,
  inTransaction,
  maskText,
  requireActor,
  startIntervalJob,
  type IntervalJob,
  type PlatformDeps,
  type RequestContext,
} from '../../../platform/index.ts';
import { releaseScanLock, tryScanLock } from '../deadlines/sla-scan.repository.ts';
import { notifyCoordinatorsOfAlert } from '../notifications/notification.service.ts';
import * as repository from './hot-issue.repository.ts';

/** Messages clustered at most per run: the newest of the window (100,000 cluster in about 10 s). */
export const MAX_MESSAGES = 100_000;
/** Days the job reads: the early-warning rule's recent week and its four-week baseline. */
export const SCAN_DAYS = 35;
const PAGE = 1_000;
const DAY_MS = 86_400_000;
/** Members listed per issue in the API (the count is always complete). */
const MEMBERS_SHOWN = 200;
/** How long a computed report is served again (per city, scope and window). */
const CACHE_MS = 60_000;

/** One member message as coordinators see it: no writer, the title masked. */
export interface HotIssueMember {
  readonly messageId: number;
  readonly caseId: number;
  readonly caseNumber: string | null;
  readonly title: string;
  readonly submittedAt: Date;
}

/** A hot issue for the API: the algorithm's facts, texts masked, the trend by day, members with their cases. */
export interface HotIssueReportItem {
  readonly rank: number;
  readonly heat: number;
  readonly place: string | null;
  readonly title: string;
  readonly keyTerms: readonly string[];
  readonly size: number;
  readonly people: number;
  readonly firstAt: Date;
  readonly lastAt: Date;
  readonly growth: HotIssue['growth'];
  readonly trend: readonly { day: string; count: number }[];
  readonly members: readonly HotIssueMember[];
}

export interface HotIssueReport {
  readonly generatedAt: Date;
  readonly from: Date;
  readonly to: Date;
  readonly days: number;
  /** Messages clustered, and whether the window held more than `MAX_MESSAGES`. */
  readonly messages: number;
  readonly truncated: boolean;
  readonly issues: readonly HotIssueReportItem[];
  readonly alerts: readonly repository.AlertRow[];
}

interface Clustered {
  readonly issues: HotIssue[];
  readonly messages: number;
  readonly truncated: boolean;
  /** Case and region path of every message clustered. */
  readonly facts: ReadonlyMap<number, { caseId: number; regionPath: string }>;
}

/**
 * A clusterer in a worker thread (`hot-issue.worker.ts`): pages are posted as
 * they are read, and `rank` answers once the worker has clustered them all.
 * The worker ends with the run.
 */
function clusterInWorker(): { add(messages: readonly HotMessage[]): void; rank(now: Date): Promise<HotIssue[]>; close(): Promise<void> } {
  const worker = new Worker(new URL('./hot-issue.worker.ts', import.meta.url));
  let failed: Error | undefined;
  const failure = new Promise<never>((_, reject) => {
    worker.once('error', (error) => reject((failed = error)));
    worker.once('exit', (code) => reject((failed ??= new Error(`the hot-issue worker stopped (exit ${code})`))));
  });
  failure.catch(() => {});
  return {
    add: (messages) => {
      if (!failed) worker.postMessage({ type: 'add', messages });
    },
    rank: (now) => {
      const answer = new Promise<HotIssue[]>((resolve, reject) => {
        worker.once('message', (reply: { issues?: HotIssue[]; error?: string }) =>
          reply.issues ? resolve(reply.issues) : reject(new Error(`hot-issue clustering failed: ${reply.error}`)),
        );
      });
      worker.postMessage({ type: 'rank', now });
      return Promise.race([answer, failure]);
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

/** Reads a window of a city's messages page by page into a clusterer (off the event loop) and ranks the clusters at `to`. */
async function clusterWindow(deps: PlatformDeps, regionId: number, scopePath: string, from: Date, to: Date): Promise<Clustered> {
  const clusterer = clusterInWorker();
  try {
    return await readAndCluster(deps, clusterer, regionId, scopePath, from, to);
  } finally {
    await clusterer.close();
  }
}

async function readAndCluster(
  deps: PlatformDeps,
  clusterer: ReturnType<typeof clusterInWorker>,
  regionId: number,
  scopePath: string,
  from: Date,
  to: Date,
): Promise<Clustered> {
  const facts = new Map<number, { caseId: number; regionPath: string }>();
  let after: repository.PageEnd | undefined;
  let truncated = false;
  for (;;) {
    const page = await repository.readRecentMessages(deps.db, regionId, { from, to }, scopePath, after, Math.min(PAGE, MAX_MESSAGES - facts.size));
    if (page.length === 0) break;
    clusterer.add(page.map((message) => ({ id: message.id, user: message.requesterKey, title: message.title, body: message.body, time: message.submittedAt, likes: 0, dislikes: 0 })));
    for (const message of page) facts.set(message.id, { caseId: message.caseId, regionPath: message.regionPath });
    const last = page[page.length - 1]!;
    after = { submittedAt: last.submittedAt, id: last.id };
    if (facts.size >= MAX_MESSAGES) {
      truncated = (await repository.readRecentMessages(deps.db, regionId, { from, to }, scopePath, after, 1)).length > 0;
      break;
    }
  }
  return { issues: await clusterer.rank(to), messages: facts.size, truncated, facts };
}

const cache = new Map<string, { at: number; report: HotIssueReport }>();

/**
 * The hot issues of the actor's scope over the last `days` days, hottest
 * first, `top` of them; with the alerts sent in the window. Coordinators and
 * admins (`hot_issue.read`); no writer and no unmasked text leaves.
 *
 * @example await listHotIssues(deps, context, { days: 30, top: 20 }) // → { issues: [{ rank: 1, heat: 23.5, place: '丽发新城', … }], … }
 */
export async function listHotIssues(deps: PlatformDeps, context: RequestContext, query: { days: number; top: number }): Promise<HotIssueReport> {
  const actor = requireActor(context);
  assertAllowed(actor, 'hot_issue.read', { kind: 'region', path: actor.scopePath });
  const key = `${deps.config.databaseUrl ?? 'embedded'}|${context.regionId}|${actor.scopePath}|${query.days}`;
  const now = deps.clock();
  const cached = cache.get(key);
  const report = cached && now.getTime() - cached.at < CACHE_MS ? cached.report : await buildReport(deps, context.regionId, actor.scopePath, query.days, now);
  if (report !== cached?.report) cache.set(key, { at: now.getTime(), report });
  return { ...report, issues: report.issues.slice(0, query.top) };
}

/** Ranked issues of a scope, the first 100 described in full. */
async function buildReport(deps: PlatformDeps, regionId: number, scopePath: string, days: number, now: Date): Promise<HotIssueReport> {
  const from = new Date(now.getTime() - days * DAY_MS);
  const clustered = await clusterWindow(deps, regionId, scopePath, from, now);
  const shown = clustered.issues.slice(0, 100);
  const caseIds = shown.flatMap((issue) => issue.members.slice(-MEMBERS_SHOWN).map((member) => clustered.facts.get(member.id as number)!.caseId));
  const numbers = await repository.findCaseNumbers(deps.db, regionId, caseIds);
  const issues = shown.map((issue, k): HotIssueReportItem => ({
    rank: k + 1,
    heat: issue.heat,
    place: issue.place === null ? null : maskText(issue.place),
    title: maskText(issue.title),
    keyTerms: issue.keyTerms.map(maskText),
    size: issue.size,
    people: issue.people,
    firstAt: issue.firstAt,
    lastAt: issue.lastAt,
    growth: issue.growth,
    trend: dailyCounts(issue.members, from, now),
    members: issue.members
      .slice(-MEMBERS_SHOWN)
      .reverse()
      .map((member) => {
        const caseId = clustered.facts.get(member.id as number)!.caseId;
        return { messageId: member.id as number, caseId, caseNumber: numbers.get(caseId) ?? null, title: maskText(member.title), submittedAt: member.time };
      }),
  }));
  const alerts = await repository.listAlerts(deps.db, regionId, scopePath, from, 50);
  return { generatedAt: now, from, to: now, days, messages: clustered.messages, truncated: clustered.truncated, issues, alerts };
}

/** What one scan did. */
export interface HotIssueScanReport {
  readonly cities: number;
  readonly messages: number;
  /** Surging clusters found, and those announced now (the rest were announced earlier this week). */
  readonly surging: number;
  readonly alerted: number;
  readonly notifications: number;
}

/** Monday 00:00 China Standard Time of the week of `now`: an alert's period. */
export function alertPeriodOf(now: Date): Date {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const sinceMonday = (china.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate() - sinceMonday) - 8 * 3_600_000);
}

/**
 * Clusters each city's last `SCAN_DAYS` days and announces every cluster the
 * early-warning rule flags: an alert row and a notification for each active
 * coordinator whose scope covers the cluster's region, at most once per
 * cluster and week (a cluster already announced this week — by key or by any
 * shared member — is passed over). Idempotent.
 */
export async function scanHotIssues(deps: PlatformDeps, options: { regionId?: number; now: Date }): Promise<HotIssueScanReport> {
  const cities = options.regionId === undefined ? await repository.listCityIds(deps.db) : [options.regionId];
  const report = { cities: cities.length, messages: 0, surging: 0, alerted: 0, notifications: 0 };
  const period = alertPeriodOf(options.now);
  for (const regionId of cities) {
    const clustered = await clusterWindow(deps, regionId, `/${regionId}/`, new Date(options.now.getTime() - SCAN_DAYS * DAY_MS), options.now);
    report.messages += clustered.messages;
    for (const issue of clustered.issues.filter((candidate) => candidate.growth.alert)) {
      report.surging += 1;
      const messageIds = issue.members.map((member) => member.id as number);
      const paths = new Map<string, number>();
      for (const id of messageIds) {
        const path = clustered.facts.get(id)!.regionPath;
        paths.set(path, (paths.get(path) ?? 0) + 1);
      }
      const regionPath = [...paths.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      const told = await inTransaction(deps.db, async (trx) => {
        if (await repository.alertedInPeriod(trx, regionId, period, messageIds)) return undefined;
        const alertId = await repository.insertAlert(trx, {
          regionId,
          clusterKey: String(Math.min(...messageIds)),
          periodStart: period,
          messageIds: messageIds.slice(-500),
          regionPath,
          place: issue.place === null ? null : maskText(issue.place).slice(0, 100),
          title: maskText(issue.title).slice(0, 200),
          recent: issue.growth.recent,
          recentPeople: issue.growth.recentPeople,
          baseline: issue.growth.baseline,
          expected: issue.growth.expected,
          ratio: issue.growth.ratio,
          probability: issue.growth.probability,
          createdAt: options.now,
        });
        if (alertId === undefined) return undefined;
        return notifyCoordinatorsOfAlert(trx, regionId, { id: alertId, regionPath, place: issue.place === null ? null : maskText(issue.place), title: maskText(issue.title), recent: issue.growth.recent, ratio: issue.growth.ratio }, options.now);
      });
      if (told !== undefined) {
        report.alerted += 1;
        report.notifications += told;
      }
    }
  }
  return report;
}

/** The advisory lock key of the hot-issue scan: one scanner at a time across servers sharing a database. */
export const HOT_ISSUE_SCAN_LOCK_KEY = 0x4d58_4849; // 'MXHI'

/** One scan of every city, under the advisory lock on a server; null when another server holds it. */
export async function scanHotIssuesOnce(deps: PlatformDeps): Promise<HotIssueScanReport | null> {
  const scan = async (): Promise<HotIssueScanReport> => {
    const report = await scanHotIssues(deps, { now: deps.clock() });
    if (report.alerted > 0) deps.logger.info(report, 'hot-issue scan: surging clusters announced to coordinators');
    return report;
  };
  if (deps.config.databaseUrl === undefined) return scan();
  return deps.db.connection().execute(async (connection) => {
    if (!(await tryScanLock(connection, HOT_ISSUE_SCAN_LOCK_KEY))) return null;
    try {
      return await scan();
    } finally {
      await releaseScanLock(connection, HOT_ISSUE_SCAN_LOCK_KEY);
    }
  });
}

/** Runs `scanHotIssuesOnce` now and every `intervalSeconds` while the server runs; `stop` waits for a scan in progress. */
export function startHotIssueJob(deps: PlatformDeps, intervalSeconds: number): IntervalJob {
  return startIntervalJob(deps.logger, 'hot-issue scan', intervalSeconds, () => scanHotIssuesOnce(deps));
}

/**
 * The near-duplicate join (issue 4, item 5; docs/near-duplicates.md). Intake
 * does nothing for it: a background indexer (`indexNearDuplicates`, run every
 * `NEAR_DUPLICATE_INTERVAL_SECONDS` by `startNearDuplicateJob`) picks up each
 * city's messages above its watermark in batches, stores their signatures,
 * looks up open cases that say the same thing (same city, within the window,
 * not merged) and records a join proposal for the best match at or above the
 * city's threshold. Coordinators confirm (the new case is merged into the
 * matched one with the existing 并案: every requester joins the survivor and
 * is notified) or reject; each decision re-learns the city's threshold.
 *
 * Several servers may index at once: a city's batch runs in one transaction
 * that holds its progress row (`for update skip locked`), so one server
 * indexes a city at a time and the others move on; a signature or proposal
 * written twice is refused by its primary key, so a replay changes nothing.
 */
import {
  DEFAULT_PARAMETERS,
  compareMessages,
  createSigner,
  learnThreshold,
  type MessageFacts,
  type NearDuplicateParameters,
  type Signer,
  type Similarity,
} from '../../../algorithms/near-duplicates/index.ts';
import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  recordAudit,
  requireActor,
  startIntervalJob,
  type IntervalJob,
  type PlatformDeps,
  type RequestContext,
  type Trx,
} from '../../../platform/index.ts';
import { CASE_TRANSITIONS, type CaseState } from '../cases/case.ts';
import * as cases from '../cases/case.repository.ts';
import { authorOf, caseActorOf, caseResource, fireCaseEvent } from '../cases/case.service.ts';
import type { CaseRecord } from '../cases/voices.ts';
import { listCityIds } from '../deadlines/sla-scan.repository.ts';
import * as repository from './near-duplicate.repository.ts';

/** A new message's case can be joined into another in these states (the state machine's 并案). */
export const MERGEABLE_STATES: readonly CaseState[] = [...new Set(CASE_TRANSITIONS.filter((rule) => rule.event === 'merge').map((rule) => rule.from))];
/** A case can take another's requesters in these states. */
export const JOINABLE_STATES: readonly CaseState[] = [...new Set(CASE_TRANSITIONS.filter((rule) => rule.event === 'join').map((rule) => rule.from))];

/** Decisions the threshold is learned from: the city's most recent ones. */
const LEARN_FROM = 200;
/** Most candidates scored per message (newest first); the index keeps the usual number far lower. */
const MAX_CANDIDATES = 500;
/** Per named site, the newest messages looked at: a hot estate's latest are where its repeats are. */
export const PER_SITE = 50;

let defaultSigner: Signer | undefined;
const signerFor = (parameters: NearDuplicateParameters): Signer =>
  parameters === DEFAULT_PARAMETERS ? (defaultSigner ??= createSigner(DEFAULT_PARAMETERS)) : createSigner(parameters);

/** What one indexing run did. */
export interface NearDuplicateIndexReport {
  /** Messages signed. */
  readonly signed: number;
  /** Join proposals recorded. */
  readonly proposed: number;
  /** Cities another indexer was working on: the next run looks again. */
  readonly locked: number;
  /** Signatures removed because their messages fell out of the window. */
  readonly pruned: number;
}

export interface NearDuplicateIndexOptions {
  /** One city; every city when absent. */
  readonly regionId?: number;
  readonly now: Date;
  /** Messages per transaction. Default 200. */
  readonly batchSize?: number;
  /** Batches per city and run, so one busy city does not hold the job. Default 50. */
  readonly maxBatches?: number;
  /**
   * How long a message id must have been the city's highest before the
   * watermark passes it: message ids are taken before the intake commits, so a
   * smaller id can appear after a larger one. Longer than any intake takes.
   * Default 120 s.
   */
  readonly graceSeconds?: number;
  readonly parameters?: NearDuplicateParameters;
}

const DAY_MS = 86_400_000;

/**
 * Signs every new message of every city (or one) and records join proposals;
 * see the module comment. Idempotent; safe to run from several servers at once.
 *
 * @example await indexNearDuplicates(deps, { now: deps.clock() }) // → { signed: 12, proposed: 1, locked: 0, pruned: 0 }
 */
export async function indexNearDuplicates(deps: PlatformDeps, options: NearDuplicateIndexOptions): Promise<NearDuplicateIndexReport> {
  const parameters = options.parameters ?? DEFAULT_PARAMETERS;
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 50;
  const cities = options.regionId === undefined ? await listCityIds(deps.db) : [options.regionId];
  const total = { signed: 0, proposed: 0, locked: 0, pruned: 0 };
  for (const regionId of cities) {
    await repository.ensureCity(deps.db, regionId);
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const outcome = await inTransaction(deps.db, (trx) => indexBatch(trx, regionId, { ...options, parameters, batchSize }));
      if (outcome === 'locked') {
        total.locked += 1;
        break;
      }
      total.signed += outcome.signed;
      total.proposed += outcome.proposed;
      total.pruned += outcome.pruned;
      if (!outcome.more) break;
    }
  }
  return total;
}

async function indexBatch(
  trx: Trx,
  regionId: number,
  options: NearDuplicateIndexOptions & { parameters: NearDuplicateParameters; batchSize: number },
): Promise<'locked' | { signed: number; proposed: number; pruned: number; more: boolean }> {
  const { parameters, now } = options;
  const city = await repository.lockCity(trx, regionId);
  if (!city) return 'locked';
  await repository.planForLookups(trx);
  const window = parameters.windowDays * DAY_MS;
  const threshold = city.threshold ?? parameters.threshold;
  const signer = signerFor(parameters);
  const batch = await repository.findUnsignedMessages(trx, regionId, city.indexedThrough, new Date(now.getTime() - window), options.batchSize);
  let signed = 0;
  let proposed = 0;
  for (const message of batch) {
    const signature = signer.sign(message);
    const stored: repository.StoredSignature = {
      messageId: message.id,
      caseId: message.caseId,
      submittedAt: message.submittedAt,
      bandKeys: signature.bandKeys,
      siteKeys: signature.siteKeys,
      minhash: signature.minhash,
      places: signature.places,
      terms: signature.terms,
      communityId: message.communityId,
      districtId: message.districtId,
      lat: message.lat,
      lng: message.lng,
    };
    if (!(await repository.insertSignature(trx, regionId, stored))) continue;
    signed += 1;
    if (MERGEABLE_STATES.includes(message.caseState) && (await proposeJoin(trx, regionId, message, stored, threshold, parameters, now))) proposed += 1;
  }
  const more = batch.length === options.batchSize;
  let pruned = 0;
  if (!more) {
    const progress = await advanceWatermark(trx, regionId, city, now, (options.graceSeconds ?? 120) * 1000);
    pruned = await repository.pruneSignatures(trx, regionId, new Date(now.getTime() - window - DAY_MS), progress.indexedThrough, 1000);
  }
  return { signed, proposed, pruned, more };
}

/**
 * Caught up with what is visible: the watermark moves to the highest id seen
 * at least `graceMs` ago (every message below it has committed by now, and
 * this run signed all of them), and the current highest id starts its wait.
 */
async function advanceWatermark(trx: Trx, regionId: number, city: repository.CityProgress, now: Date, graceMs: number): Promise<repository.CityProgress> {
  const highest = await repository.maxMessageId(trx, regionId);
  let progress: Omit<repository.CityProgress, 'threshold'> = city;
  if (city.pendingThrough === null || city.pendingSince === null) progress = { indexedThrough: city.indexedThrough, pendingThrough: highest, pendingSince: now };
  else if (now.getTime() - city.pendingSince.getTime() >= graceMs) {
    progress = { indexedThrough: Math.max(city.indexedThrough, city.pendingThrough), pendingThrough: highest, pendingSince: now };
  }
  if (progress !== city) await repository.saveProgress(trx, regionId, progress);
  return { ...progress, threshold: city.threshold };
}

const factsOf = (signature: repository.StoredSignature, categoryPath: string | null): MessageFacts => ({
  signature: {
    minhash: signature.minhash,
    places: signature.places as MessageFacts['signature']['places'],
    terms: signature.terms,
    bandKeys: signature.bandKeys,
    siteKeys: signature.siteKeys,
  },
  communityId: signature.communityId,
  districtId: signature.districtId,
  categoryPath,
  lat: signature.lat,
  lng: signature.lng,
  submittedAt: signature.submittedAt,
});

/** The reasons a proposal records and a coordinator reads. */
function reasonsOf(similarity: Similarity, candidates: number, runnersUp: { caseId: number; score: number }[]): Record<string, unknown> {
  return {
    text: similarity.text,
    place: similarity.place,
    problem: { ...similarity.problem, shared: similarity.problem.shared.slice(0, 8) },
    daysApart: similarity.daysApart,
    candidates,
    runnersUp,
  };
}

/** Finds the open case the message most likely duplicates and records the proposal; false when none scores high enough. */
async function proposeJoin(
  trx: Trx,
  regionId: number,
  message: repository.UnsignedMessage,
  signature: repository.StoredSignature,
  threshold: number,
  parameters: NearDuplicateParameters,
  now: Date,
): Promise<boolean> {
  const window = parameters.windowDays * DAY_MS;
  const candidates = await repository.findCandidates(trx, regionId, {
    bandKeys: signature.bandKeys,
    siteKeys: signature.siteKeys,
    perSite: PER_SITE,
    from: new Date(message.submittedAt.getTime() - window),
    to: new Date(message.submittedAt.getTime() + window),
    beforeMessageId: message.id,
    excludeCaseId: message.caseId,
    caseStates: JOINABLE_STATES,
    limit: MAX_CANDIDATES,
  });
  if (candidates.length === 0) return false;
  const own = factsOf(signature, message.categoryPath);
  const bestByCase = new Map<number, { candidate: repository.Candidate; similarity: Similarity }>();
  for (const candidate of candidates) {
    const similarity = compareMessages(own, factsOf(candidate, candidate.categoryPath), parameters);
    const best = bestByCase.get(candidate.caseId);
    if (!best || similarity.score > best.similarity.score) bestByCase.set(candidate.caseId, { candidate, similarity });
  }
  const ranked = [...bestByCase.values()].sort((a, b) => b.similarity.score - a.similarity.score || b.candidate.caseId - a.candidate.caseId);
  const [best] = ranked;
  if (!best || best.similarity.score < threshold) return false;
  const runnersUp = ranked.slice(1, 4).filter((entry) => entry.similarity.score >= threshold).map((entry) => ({ caseId: entry.candidate.caseId, score: entry.similarity.score }));
  const id = await repository.insertProposal(trx, regionId, {
    messageId: message.id,
    caseId: message.caseId,
    matchedCaseId: best.candidate.caseId,
    matchedMessageId: best.candidate.messageId,
    score: best.similarity.score,
    threshold,
    reasons: reasonsOf(best.similarity, candidates.length, runnersUp),
    createdAt: now,
  });
  return id !== undefined;
}

/** A running indexer; `stop()` waits for a run in progress to finish. */
export type NearDuplicateJob = IntervalJob;

/**
 * Runs `indexNearDuplicates` for every city every `intervalSeconds` (the
 * first run right away) while the server runs; errors are logged and the next
 * tick tries again. Several servers may run it (see the module comment).
 */
export function startNearDuplicateJob(deps: PlatformDeps, intervalSeconds: number): NearDuplicateJob {
  return startIntervalJob(deps.logger, 'near-duplicate index', intervalSeconds, async () => {
    const report = await indexNearDuplicates(deps, { now: deps.clock() });
    if (report.proposed > 0) deps.logger.info(report, 'near-duplicate index: join proposals recorded');
  });
}

// --- the coordinators' side ----------------------------------------------------------

/** A city's proposal threshold: learned from its decisions, or the default. */
export interface ThresholdState {
  readonly value: number;
  readonly learned: boolean;
  readonly defaultValue: number;
  readonly decisions: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly learnedAt: Date | null;
}

async function thresholdOf(db: Trx | PlatformDeps['db'], regionId: number): Promise<ThresholdState> {
  const stored = await repository.findThreshold(db, regionId);
  return {
    value: stored.threshold ?? DEFAULT_PARAMETERS.threshold,
    learned: stored.threshold !== null,
    defaultValue: DEFAULT_PARAMETERS.threshold,
    decisions: stored.decisions,
    precision: stored.precision,
    recall: stored.recall,
    learnedAt: stored.learnedAt,
  };
}

export interface JoinProposalQuery {
  /** Default `open`: the ones waiting (both cases still mergeable). */
  readonly status?: repository.ProposalStatus | undefined;
  /** Only proposals about this case, as the new or the matched one. */
  readonly caseId?: number | undefined;
}

/**
 * Join proposals inside the reader's region scope (coordinators and admins;
 * 403 otherwise): open ones best score first, decided ones newest first,
 * with the city's current threshold.
 */
export async function listJoinProposals(
  deps: PlatformDeps,
  context: RequestContext,
  query: JoinProposalQuery,
  page: { limit: number; offset: number },
): Promise<{ items: repository.ProposalListing[]; total: number; threshold: ThresholdState }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'join_proposal.read');
  const regionPath = actor.scopePath === `/${context.regionId}/` ? null : actor.scopePath;
  const listed = await repository.listProposals(
    deps.db,
    context.regionId,
    {
      status: query.status ?? 'open',
      regionPath,
      ...(query.caseId !== undefined ? { caseId: query.caseId } : {}),
      mergeableStates: MERGEABLE_STATES,
      joinableStates: JOINABLE_STATES,
    },
    page,
  );
  return { ...listed, threshold: await thresholdOf(deps.db, context.regionId) };
}

/** What a decision returns: the proposal as decided and the city's threshold after learning from it. */
export interface JoinDecision {
  readonly proposal: repository.ProposalRecord;
  readonly threshold: ThresholdState;
}

export interface JoinDecisionInput {
  /** The new case's version the coordinator saw: a case changed since is 409. */
  readonly caseVersion?: number | undefined;
  readonly note?: string | undefined;
}

/**
 * Confirms a proposal: the new message's case is merged (并案) into the
 * matched case as the coordinator, so its requesters join the survivor and
 * everyone is notified (the state machine's `merge` and `join`). 404 for an
 * unknown proposal, 403 outside the coordinator's scope (both cases must be
 * in it), 409 when it was decided already or either case has moved on (the
 * new one can no longer be merged, the matched one can no longer be joined,
 * or the new one changed since `caseVersion`).
 */
export function confirmJoinProposal(deps: PlatformDeps, context: RequestContext, id: number, input: JoinDecisionInput): Promise<JoinDecision> {
  return decide(deps, context, id, 'confirmed', input);
}

/** Rejects a proposal: both cases stay as they are; the decision counts for the threshold. Same refusals as confirming, except a case that moved on. */
export function rejectJoinProposal(deps: PlatformDeps, context: RequestContext, id: number, input: JoinDecisionInput): Promise<JoinDecision> {
  return decide(deps, context, id, 'rejected', input);
}

async function decide(
  deps: PlatformDeps,
  context: RequestContext,
  id: number,
  status: 'confirmed' | 'rejected',
  input: JoinDecisionInput,
): Promise<JoinDecision> {
  const actor = requireActor(context);
  assertAllowed(actor, 'join_proposal.decide');
  return inTransaction(deps.db, async (trx) => {
    const { regionId } = context;
    const proposal = await repository.findProposal(trx, regionId, id, { lock: true });
    if (!proposal) throw new AppError('not_found', `Join proposal ${id} does not exist`);
    const record = (await cases.findCase(trx, regionId, proposal.caseId))!;
    const matched = (await cases.findCase(trx, regionId, proposal.matchedCaseId))!;
    assertAllowed(actor, 'join_proposal.decide', caseResource(record, []));
    assertAllowed(actor, 'join_proposal.decide', caseResource(matched, []));
    if (proposal.status !== 'open') throw new AppError('conflict', `Join proposal ${id} was already ${proposal.status}`, { decision: proposal.status });
    if (status === 'confirmed') checkStillJoinable(record, matched, input.caseVersion);
    const now = deps.clock();
    const note = input.note?.trim() || null;
    await repository.decideProposal(trx, regionId, id, { status, at: now, by: accountIdOf(actor), note });
    const threshold = await relearn(trx, regionId, now);
    if (status === 'confirmed') {
      const reason = `并案建议 #${id}：与 ${matched.number} 说的是同一件事（相似度 ${proposal.score.toFixed(2)}）/ Join proposal #${id}: same matter as ${matched.number} (score ${proposal.score.toFixed(2)})`;
      await fireCaseEvent(trx, deps, context, record, { type: 'merge', intoCaseId: matched.id, reason }, caseActorOf(actor), authorOf(context, 'anonymous'), now);
    }
    await recordAudit(
      trx,
      context,
      {
        action: status === 'confirmed' ? 'join_proposal.confirm' : 'join_proposal.reject',
        resourceType: 'join_proposal',
        resourceId: id,
        details: { caseId: record.id, matchedCaseId: matched.id, score: proposal.score, threshold: threshold.value },
      },
      now,
    );
    return { proposal: { ...proposal, status, decidedAt: now, decidedBy: accountIdOf(actor), decisionNote: note }, threshold };
  });
}

function checkStillJoinable(record: CaseRecord, matched: CaseRecord, caseVersion: number | undefined): void {
  if (caseVersion !== undefined && caseVersion !== record.snapshot.version) {
    throw new AppError('version_conflict', `Case ${record.number} is at version ${record.snapshot.version}, not ${caseVersion}; reload and try again`, {
      currentVersion: record.snapshot.version,
    });
  }
  if (!MERGEABLE_STATES.includes(record.snapshot.state)) {
    throw new AppError('conflict', `Case ${record.number} has moved on (${record.snapshot.state}): it can no longer be joined into another`, { state: record.snapshot.state });
  }
  if (!JOINABLE_STATES.includes(matched.snapshot.state)) {
    throw new AppError('conflict', `Case ${matched.number} has moved on (${matched.snapshot.state}): it can no longer take another case's requesters`, {
      matchedState: matched.snapshot.state,
    });
  }
}

/** Re-learns the city's threshold from its recent decisions (docs/near-duplicates.md, "Learning the threshold"). */
async function relearn(trx: Trx, regionId: number, now: Date): Promise<ThresholdState> {
  const current = await thresholdOf(trx, regionId);
  const learned = learnThreshold(current.value, await repository.recentDecisions(trx, regionId, LEARN_FROM));
  if (!learned.learned) return { ...current, decisions: learned.decisions };
  await repository.saveThreshold(trx, regionId, { threshold: learned.threshold, decisions: learned.decisions, precision: learned.precision, recall: learned.recall }, now);
  return thresholdOf(trx, regionId);
}

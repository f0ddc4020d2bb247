/**
 * The SQL of the near-duplicate join: each city's watermark and learned
 * threshold (`near_duplicate_cities`), the signatures of recent messages
 * (`message_signatures`, looked up through the GIN index on `band_keys`, and
 * `message_sites`, newest first per named site) and the join proposals with
 * the coordinators' decisions (`join_proposals`). Migrations
 * `2026-12-01T2100-near-duplicates` and `2026-12-01T2110-near-duplicate-sites`.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { CaseState } from '../cases/case.ts';

type Executor = Kysely<Database>;

const num = (value: number | string | null): number | null => (value === null ? null : Number(value));
const states = (list: readonly CaseState[]) => sql.join(list.map((state) => sql.lit(state)));
/** An integer[] literal of `keys` (integers only, so nothing can be injected). */
const keyArray = (keys: readonly number[]) => sql`${sql.raw(`'{${keys.map((key) => Math.trunc(key) | 0).join(',')}}'`)}::integer[]`;

// --- the city's progress -------------------------------------------------------

/** Where a city's indexer stands, and its learned threshold (null: the default). */
export interface CityProgress {
  readonly indexedThrough: number;
  readonly pendingThrough: number | null;
  readonly pendingSince: Date | null;
  readonly threshold: number | null;
}

/** Creates the city's progress row if it is missing (idempotent). */
export async function ensureCity(db: Executor, regionId: number): Promise<void> {
  await sql`insert into near_duplicate_cities (region_id) values (${regionId}) on conflict do nothing`.execute(db);
}

/**
 * Locks the city's progress row for this transaction unless another indexer
 * (on this or another server) holds it (`skip locked`): undefined then.
 */
export async function lockCity(db: Executor, regionId: number): Promise<CityProgress | undefined> {
  const { rows } = await sql<{ indexed_through: string | number; pending_through: string | number | null; pending_since: Date | string | null; threshold: number | null }>`
    select indexed_through, pending_through, pending_since, threshold from near_duplicate_cities
     where region_id = ${regionId} for update skip locked`.execute(db);
  const row = rows[0];
  return (
    row && {
      indexedThrough: Number(row.indexed_through),
      pendingThrough: num(row.pending_through),
      pendingSince: row.pending_since === null ? null : new Date(row.pending_since),
      threshold: row.threshold === null ? null : Number(row.threshold),
    }
  );
}

export async function saveProgress(db: Executor, regionId: number, progress: Omit<CityProgress, 'threshold'>): Promise<void> {
  await sql`
    update near_duplicate_cities
       set indexed_through = ${progress.indexedThrough}, pending_through = ${progress.pendingThrough}, pending_since = ${progress.pendingSince}
     where region_id = ${regionId}`.execute(db);
}

/** The city's learned threshold and what it was learned from (nothing learned yet: threshold null). */
export interface StoredThreshold {
  readonly threshold: number | null;
  readonly decisions: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly learnedAt: Date | null;
}

export async function findThreshold(db: Executor, regionId: number): Promise<StoredThreshold> {
  const { rows } = await sql<{ threshold: number | null; threshold_decisions: number; threshold_precision: number | null; threshold_recall: number | null; threshold_learned_at: Date | string | null }>`
    select threshold, threshold_decisions, threshold_precision, threshold_recall, threshold_learned_at
      from near_duplicate_cities where region_id = ${regionId}`.execute(db);
  const row = rows[0];
  if (!row) return { threshold: null, decisions: 0, precision: null, recall: null, learnedAt: null };
  return {
    threshold: row.threshold === null ? null : Number(row.threshold),
    decisions: Number(row.threshold_decisions),
    precision: row.threshold_precision === null ? null : Number(row.threshold_precision),
    recall: row.threshold_recall === null ? null : Number(row.threshold_recall),
    learnedAt: row.threshold_learned_at === null ? null : new Date(row.threshold_learned_at),
  };
}

export async function saveThreshold(db: Executor, regionId: number, learned: Omit<StoredThreshold, 'learnedAt'>, at: Date): Promise<void> {
  await ensureCity(db, regionId);
  await sql`
    update near_duplicate_cities
       set threshold = ${learned.threshold}, threshold_decisions = ${learned.decisions}, threshold_precision = ${learned.precision},
           threshold_recall = ${learned.recall}, threshold_learned_at = ${at}
     where region_id = ${regionId}`.execute(db);
}

// --- messages to sign ----------------------------------------------------------

/** A message the indexer has not signed yet, with what its case says about it. */
export interface UnsignedMessage {
  readonly id: number;
  readonly caseId: number;
  readonly title: string;
  readonly body: string;
  readonly communityId: number | null;
  readonly districtId: number | null;
  readonly lat: number | null;
  readonly lng: number | null;
  readonly submittedAt: Date;
  readonly caseState: CaseState;
  readonly categoryPath: string | null;
}

/**
 * Up to `limit` messages of the city above `afterId`, submitted since
 * `since`, without a signature, oldest id first. Older messages are never
 * signed: nothing new can fall in their window.
 */
export async function findUnsignedMessages(db: Executor, regionId: number, afterId: number, since: Date, limit: number): Promise<UnsignedMessage[]> {
  const { rows } = await sql<{
    id: string | number; case_id: string | number; title: string; body: string; community_id: string | number | null; district_id: string | number | null;
    lat: number | null; lng: number | null; submitted_at: Date | string; state: CaseState; category_path: string | null;
  }>`
    select m.id, m.case_id, m.title, m.body, m.community_id, m.district_id, m.lat, m.lng, m.submitted_at, c.state, cat.path as category_path
      from messages m
      join cases c on c.region_id = m.region_id and c.id = m.case_id
      left join categories cat on cat.region_id = c.region_id and cat.id = c.category_id
     where m.region_id = ${regionId} and m.id > ${afterId} and m.submitted_at >= ${since}
       and not exists (select 1 from message_signatures s where s.region_id = m.region_id and s.message_id = m.id)
     order by m.id
     limit ${limit}`.execute(db);
  return rows.map((row) => ({
    id: Number(row.id),
    caseId: Number(row.case_id),
    title: row.title,
    body: row.body,
    communityId: num(row.community_id),
    districtId: num(row.district_id),
    lat: row.lat === null ? null : Number(row.lat),
    lng: row.lng === null ? null : Number(row.lng),
    submittedAt: new Date(row.submitted_at),
    caseState: row.state,
    categoryPath: row.category_path,
  }));
}

/** The city's highest message id (0 without messages). */
export async function maxMessageId(db: Executor, regionId: number): Promise<number> {
  const { rows } = await sql<{ id: string | number | null }>`select max(id) as id from messages where region_id = ${regionId}`.execute(db);
  return Number(rows[0]?.id ?? 0);
}

// --- signatures ----------------------------------------------------------------

/** A signature as stored: the algorithm's parts plus the facts of place the score weighs. */
export interface StoredSignature {
  readonly messageId: number;
  readonly caseId: number;
  readonly submittedAt: Date;
  readonly bandKeys: readonly number[];
  readonly siteKeys: readonly number[];
  readonly minhash: Uint32Array;
  readonly places: readonly { readonly term: string; readonly kind: string }[];
  readonly terms: readonly { readonly term: string; readonly weight: number }[];
  readonly communityId: number | null;
  readonly districtId: number | null;
  readonly lat: number | null;
  readonly lng: number | null;
}

/** MinHash components as little-endian bytes, whatever the machine's byte order. */
function toBytes(minhash: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(minhash.length * 4);
  const view = new DataView(bytes.buffer);
  minhash.forEach((value, i) => view.setUint32(i * 4, value, true));
  return bytes;
}

function fromBytes(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getUint32(i * 4, true));
}

/** Stores a signature and its sites; false when the message was signed already (another indexer, a replay). */
export async function insertSignature(db: Executor, regionId: number, signature: StoredSignature): Promise<boolean> {
  const { rows } = await sql`
    insert into message_signatures (region_id, message_id, case_id, submitted_at, band_keys, minhash, places, terms, term_weights, community_id, district_id, lat, lng)
    values (${regionId}, ${signature.messageId}, ${signature.caseId}, ${signature.submittedAt}, ${keyArray(signature.bandKeys)},
            ${toBytes(signature.minhash)}, ${JSON.stringify(signature.places)}::jsonb, ${signature.terms.map((term) => term.term)}::text[],
            ${signature.terms.map((term) => term.weight)}::real[], ${signature.communityId}, ${signature.districtId}, ${signature.lat}, ${signature.lng})
    on conflict do nothing
    returning message_id`.execute(db);
  if (rows.length === 0) return false;
  if (signature.siteKeys.length > 0) {
    await sql`
      insert into message_sites (region_id, site_key, message_id)
      select ${regionId}, key, ${signature.messageId} from unnest(${keyArray(signature.siteKeys)}) as key
      on conflict do nothing`.execute(db);
  }
  return true;
}

/** A stored message that shares a key with the one looked up, with its case's category. */
export interface Candidate extends StoredSignature {
  readonly categoryPath: string | null;
}

export interface CandidateQuery {
  readonly bandKeys: readonly number[];
  readonly siteKeys: readonly number[];
  /** Only messages submitted in [from, to]. */
  readonly from: Date;
  readonly to: Date;
  /** Only messages older (by id) than the one looked up, and of another case. */
  readonly beforeMessageId: number;
  readonly excludeCaseId: number;
  /** Only messages whose case is in one of these states. */
  readonly caseStates: readonly CaseState[];
  /** Per named site, only its newest messages (a hot estate names thousands). */
  readonly perSite: number;
  readonly limit: number;
}

/**
 * The lookup as a query, for `findCandidates` and for EXPLAIN in the
 * benchmark: the newest `perSite` messages of each named site (primary key of
 * `message_sites`, read backwards) and every message sharing an LSH band key
 * (GIN index on `band_keys`, in a materialised CTE so the planner reads it
 * from the index), then each hit's signature and case by primary key in
 * LATERAL lookups (the planner overestimates the band hits and would
 * otherwise hash-join the whole table).
 */
export function candidatesQuery(regionId: number, query: CandidateQuery) {
  return sql<{
    message_id: string | number; case_id: string | number; submitted_at: Date | string; minhash: Uint8Array; places: unknown;
    terms: string[] | string; term_weights: number[] | string; community_id: string | number | null; district_id: string | number | null;
    lat: number | null; lng: number | null; category_path: string | null;
  }>`
    with banded as materialized (
      select s.message_id from message_signatures s
       where s.region_id = ${regionId} and s.band_keys && ${keyArray(query.bandKeys)} and s.message_id < ${query.beforeMessageId}
    ), sited as (
      select recent.message_id
        from unnest(${keyArray(query.siteKeys)}) as site(site_key)
        cross join lateral (
          select ms.message_id from message_sites ms
           where ms.region_id = ${regionId} and ms.site_key = site.site_key and ms.message_id < ${query.beforeMessageId}
           order by ms.message_id desc
           limit ${query.perSite}) as recent
    ), hits as (
      select message_id from banded union select message_id from sited
    )
    select s.*, c.category_path
      from hits
      cross join lateral (
        select s.message_id, s.case_id, s.submitted_at, s.minhash, s.places, s.terms, s.term_weights, s.community_id, s.district_id, s.lat, s.lng
          from message_signatures s
         where s.region_id = ${regionId} and s.message_id = hits.message_id
           and s.submitted_at between ${query.from} and ${query.to} and s.case_id <> ${query.excludeCaseId}
         limit 1) as s
      cross join lateral (
        select (select cat.path from categories cat where cat.region_id = c.region_id and cat.id = c.category_id) as category_path
          from cases c
         where c.region_id = ${regionId} and c.id = s.case_id and c.state in (${states(query.caseStates)})
         limit 1) as c
     order by s.message_id desc
     limit ${query.limit}`;
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
/** A numeric array as pg or PGlite hands it (parsed, or PostgreSQL's text form). */
const intArray = (value: number[] | string): number[] =>
  typeof value === 'string' ? value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : value.map(Number);
/** A text[] of terms (Han characters, no commas or quotes) as pg or PGlite hands it. */
const textArray = (value: string[] | string): string[] =>
  typeof value === 'string' ? value.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((item) => item.replace(/^"|"$/g, '')) : value;

/**
 * Plans the rest of this transaction for lookups: no sequential scans and no
 * JIT compilation. Every band key is rare, but the planner cannot know it
 * (PostgreSQL's array statistics keep only frequent elements), so it
 * estimates thousands of hits and may read the whole table instead of the
 * GIN index, or spend ~150 ms compiling a plan that runs in a few. Every
 * other statement of an indexer batch reads by a primary key or index too.
 * Call inside a transaction (PGlite has no JIT; the settings are harmless).
 */
export async function planForLookups(trx: Executor): Promise<void> {
  await sql`set local jit = off`.execute(trx);
  await sql`set local enable_seqscan = off`.execute(trx);
}

/** Up to `limit` stored messages sharing a band or site key with the query, newest first. */
export async function findCandidates(db: Executor, regionId: number, query: CandidateQuery): Promise<Candidate[]> {
  if (query.bandKeys.length + query.siteKeys.length === 0) return [];
  const { rows } = await candidatesQuery(regionId, query).execute(db);
  return rows.map((row) => {
    const terms = textArray(row.terms);
    const weights = intArray(row.term_weights);
    return {
      messageId: Number(row.message_id),
      caseId: Number(row.case_id),
      submittedAt: new Date(row.submitted_at),
      bandKeys: [],
      siteKeys: [],
      minhash: fromBytes(row.minhash),
      places: json(row.places),
      terms: terms.map((term, i) => ({ term, weight: weights[i] ?? 0 })),
      communityId: num(row.community_id),
      districtId: num(row.district_id),
      lat: row.lat === null ? null : Number(row.lat),
      lng: row.lng === null ? null : Number(row.lng),
      categoryPath: row.category_path,
    };
  });
}

/**
 * Removes up to `limit` signatures of messages submitted before `before` and
 * already behind the watermark: they can no longer match anything in the window.
 */
export async function pruneSignatures(db: Executor, regionId: number, before: Date, throughId: number, limit: number): Promise<number> {
  const { rows } = await sql`
    delete from message_signatures
     where region_id = ${regionId}
       and message_id in (select message_id from message_signatures
                           where region_id = ${regionId} and submitted_at < ${before} and message_id <= ${throughId}
                           limit ${limit})
    returning message_id`.execute(db);
  return rows.length;
}

// --- proposals -----------------------------------------------------------------

export type ProposalStatus = 'open' | 'confirmed' | 'rejected';

export interface NewProposal {
  readonly messageId: number;
  readonly caseId: number;
  readonly matchedCaseId: number;
  readonly matchedMessageId: number;
  readonly score: number;
  readonly threshold: number;
  readonly reasons: Record<string, unknown>;
  readonly createdAt: Date;
}

/** Records a proposal; undefined when the message has one already (one proposal per message, ever). */
export async function insertProposal(db: Executor, regionId: number, proposal: NewProposal): Promise<number | undefined> {
  const { rows } = await sql<{ id: string | number }>`
    insert into join_proposals (region_id, message_id, case_id, matched_case_id, matched_message_id, score, threshold, reasons, created_at)
    values (${regionId}, ${proposal.messageId}, ${proposal.caseId}, ${proposal.matchedCaseId}, ${proposal.matchedMessageId}, ${proposal.score},
            ${proposal.threshold}, ${JSON.stringify(proposal.reasons)}::jsonb, ${proposal.createdAt})
    on conflict do nothing
    returning id`.execute(db);
  return rows[0] && Number(rows[0].id);
}

/** A proposal as stored. */
export interface ProposalRecord extends NewProposal {
  readonly id: number;
  readonly status: ProposalStatus;
  readonly decidedAt: Date | null;
  readonly decidedBy: number | null;
  readonly decisionNote: string | null;
}

type ProposalRow = {
  id: string | number; message_id: string | number; case_id: string | number; matched_case_id: string | number; matched_message_id: string | number;
  score: number; threshold: number; reasons: unknown; status: ProposalStatus; created_at: Date | string; decided_at: Date | string | null;
  decided_by: string | number | null; decision_note: string | null;
};

function toProposal(row: ProposalRow): ProposalRecord {
  return {
    id: Number(row.id),
    messageId: Number(row.message_id),
    caseId: Number(row.case_id),
    matchedCaseId: Number(row.matched_case_id),
    matchedMessageId: Number(row.matched_message_id),
    score: Number(row.score),
    threshold: Number(row.threshold),
    reasons: json(row.reasons),
    status: row.status,
    createdAt: new Date(row.created_at),
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
    decidedBy: num(row.decided_by),
    decisionNote: row.decision_note,
  };
}

const PROPOSAL_COLUMNS = sql.raw(
  'p.id, p.message_id, p.case_id, p.matched_case_id, p.matched_message_id, p.score, p.threshold, p.reasons, p.status, p.created_at, p.decided_at, p.decided_by, p.decision_note',
);

/** One proposal; with `lock`, row-locked until the transaction ends (a decision in progress). */
export async function findProposal(db: Executor, regionId: number, id: number, options: { lock: boolean }): Promise<ProposalRecord | undefined> {
  const { rows } = await sql<ProposalRow>`
    select ${PROPOSAL_COLUMNS} from join_proposals p where p.region_id = ${regionId} and p.id = ${id} ${options.lock ? sql`for update` : sql``}`.execute(db);
  return rows[0] && toProposal(rows[0]);
}

/** Records the decision on an open proposal; false when it was decided meanwhile. */
export async function decideProposal(
  db: Executor,
  regionId: number,
  id: number,
  decision: { status: 'confirmed' | 'rejected'; at: Date; by: number | null; note: string | null },
): Promise<boolean> {
  const { rows } = await sql`
    update join_proposals set status = ${decision.status}, decided_at = ${decision.at}, decided_by = ${decision.by}, decision_note = ${decision.note}
     where region_id = ${regionId} and id = ${id} and status = 'open'
    returning id`.execute(db);
  return rows.length === 1;
}

/** The city's most recent decisions (newest first), for threshold learning. */
export async function recentDecisions(db: Executor, regionId: number, limit: number): Promise<{ score: number; confirmed: boolean }[]> {
  const { rows } = await sql<{ score: number; status: ProposalStatus }>`
    select score, status from join_proposals
     where region_id = ${regionId} and status <> 'open'
     order by decided_at desc, id desc
     limit ${limit}`.execute(db);
  return rows.map((row) => ({ score: Number(row.score), confirmed: row.status === 'confirmed' }));
}

/** A proposal with what a coordinator needs to judge it: both messages and both cases. */
export interface ProposalListing extends ProposalRecord {
  readonly message: { readonly title: string; readonly body: string; readonly channel: string; readonly submittedAt: Date };
  readonly matchedMessage: { readonly title: string; readonly body: string; readonly submittedAt: Date };
  readonly case: ListedCase;
  readonly matchedCase: ListedCase & { readonly messages: number };
}

export interface ListedCase {
  readonly id: number;
  readonly number: string;
  readonly title: string;
  readonly state: CaseState;
  readonly version: number;
  readonly categoryPath: string | null;
  readonly districtName: string | null;
  readonly createdAt: Date;
}

export interface ProposalFilter {
  readonly status: ProposalStatus;
  /** Only proposals whose two cases lie inside this region path (a district coordinator's scope). */
  readonly regionPath: string | null;
  /** Only proposals about this case (as the new or the matched one). */
  readonly caseId?: number;
  /** For open proposals: only those both of whose cases can still be merged and joined. */
  readonly mergeableStates: readonly CaseState[];
  readonly joinableStates: readonly CaseState[];
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** Proposals matching `filter`, best score first for open ones, newest decision first otherwise. */
export async function listProposals(db: Executor, regionId: number, filter: ProposalFilter, page: { limit: number; offset: number }): Promise<{ items: ProposalListing[]; total: number }> {
  const conditions = [sql`p.region_id = ${regionId}`, sql`p.status = ${filter.status}`];
  if (filter.status === 'open') conditions.push(sql`c.state in (${states(filter.mergeableStates)})`, sql`mc.state in (${states(filter.joinableStates)})`);
  if (filter.caseId !== undefined) conditions.push(sql`(p.case_id = ${filter.caseId} or p.matched_case_id = ${filter.caseId})`);
  if (filter.regionPath !== null) {
    const pattern = `${escapeLike(filter.regionPath)}%`;
    conditions.push(sql`coalesce(d.path, '/' || p.region_id || '/') like ${pattern}`, sql`coalesce(md.path, '/' || p.region_id || '/') like ${pattern}`);
  }
  const where = sql.join(conditions, sql` and `);
  const from = sql`
      from join_proposals p
      join cases c on c.region_id = p.region_id and c.id = p.case_id
      join cases mc on mc.region_id = p.region_id and mc.id = p.matched_case_id
      left join regions d on d.region_id = c.region_id and d.id = c.district_id
      left join regions md on md.region_id = mc.region_id and md.id = mc.district_id`;
  const order = filter.status === 'open' ? sql`p.score desc, p.id` : sql`p.decided_at desc, p.id desc`;
  const { rows } = await sql<ProposalRow & Record<string, unknown>>`
    select ${PROPOSAL_COLUMNS},
           m.title as m_title, m.body as m_body, m.channel as m_channel, m.submitted_at as m_submitted_at,
           mm.title as mm_title, mm.body as mm_body, mm.submitted_at as mm_submitted_at,
           c.number as c_number, c.title as c_title, c.state as c_state, c.version as c_version, c.created_at as c_created_at, cat.path as c_category, d.name as c_district,
           mc.number as mc_number, mc.title as mc_title, mc.state as mc_state, mc.version as mc_version, mc.created_at as mc_created_at, mcat.path as mc_category, md.name as mc_district,
           (select count(*) from messages x where x.region_id = mc.region_id and x.case_id = mc.id) as mc_messages
      ${from}
      join messages m on m.region_id = p.region_id and m.id = p.message_id
      join messages mm on mm.region_id = p.region_id and mm.id = p.matched_message_id
      left join categories cat on cat.region_id = c.region_id and cat.id = c.category_id
      left join categories mcat on mcat.region_id = mc.region_id and mcat.id = mc.category_id
     where ${where}
     order by ${order}
     limit ${page.limit} offset ${page.offset}`.execute(db);
  const { rows: counted } = await sql<{ total: string | number }>`select count(*) as total ${from} where ${where}`.execute(db);
  const text = (row: Record<string, unknown>, key: string) => row[key] as string;
  const date = (row: Record<string, unknown>, key: string) => new Date(row[key] as string);
  const listedCase = (row: Record<string, unknown>, prefix: 'c' | 'mc', id: number): ListedCase => ({
    id,
    number: text(row, `${prefix}_number`),
    title: text(row, `${prefix}_title`),
    state: row[`${prefix}_state`] as CaseState,
    version: Number(row[`${prefix}_version`]),
    categoryPath: (row[`${prefix}_category`] as string | null) ?? null,
    districtName: (row[`${prefix}_district`] as string | null) ?? null,
    createdAt: date(row, `${prefix}_created_at`),
  });
  return {
    items: rows.map((row) => {
      const proposal = toProposal(row);
      return {
        ...proposal,
        message: { title: text(row, 'm_title'), body: text(row, 'm_body'), channel: text(row, 'm_channel'), submittedAt: date(row, 'm_submitted_at') },
        matchedMessage: { title: text(row, 'mm_title'), body: text(row, 'mm_body'), submittedAt: date(row, 'mm_submitted_at') },
        case: listedCase(row, 'c', proposal.caseId),
        matchedCase: { ...listedCase(row, 'mc', proposal.matchedCaseId), messages: Number(row.mc_messages) },
      };
    }),
    total: Number(counted[0]?.total ?? 0),
  };
}

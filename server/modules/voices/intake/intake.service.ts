import { createHash } from 'node:crypto';
import {
  AppError,
  ensureAuditHeads,
  inTransaction,
  issueTrackingCode,
  prepareAudits,
  type PlatformDeps,
  type RequestContext,
} from '../../../platform/index.ts';
import { openCase, timelineEntryOf, toAppErrorArgs, type CaseEvent } from '../cases/case.ts';
import * as repository from '../cases/case.repository.ts';
import { SYSTEM_ACTOR, authorOf, checkReferences, planCaseEvent } from '../cases/case.service.ts';
import { checkPhotoList, checkPhotoRefs, linkPhotos, type PhotoRef } from '../attachments/attachment.service.ts';
import { chooseRule } from '../routing/routing.ts';
import { routingFactsOf } from '../routing/routing-facts.ts';
import * as intake from './intake.repository.ts';
import { IdPool } from './id-pool.ts';
import { chooseCategory } from '../classification/category-choice.ts';
import { intakeClassifierOf } from '../classification/intake-classifier.ts';
import {
  CASE_KINDS,
  MAX_BODY_LENGTH,
  caseYearOf,
  MAX_TITLE_LENGTH,
  type CaseEventRecord,
  type CaseKind,
  type CaseRecord,
  type Channel,
  type Contact,
  type Message,
} from '../cases/voices.ts';

type Db = PlatformDeps['db'];

/** Per database: its id pool, and the cities whose audit heads are known to exist (they are never removed). */
const idPools = new WeakMap<Db, IdPool>();
const citiesWithHeads = new WeakMap<Db, Set<number>>();

function idPoolOf(db: Db): IdPool {
  let pool = idPools.get(db);
  if (!pool) idPools.set(db, (pool = new IdPool((count) => intake.reserveIntakeIds(db, count))));
  return pool;
}

async function makeSureOfAuditHeads(db: Db, regionId: number): Promise<void> {
  let known = citiesWithHeads.get(db);
  if (!known) citiesWithHeads.set(db, (known = new Set()));
  if (known.has(regionId)) return;
  // Idempotent (insert … on conflict do nothing): once per process and city, no need to look first.
  await ensureAuditHeads(db, regionId);
  known.add(regionId);
}

/** Runs an intake's write; on the city's first case of a year, creates the year's number sequence and runs it again. */
async function withNumberSequence<T>(db: Db, regionId: number, year: number, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!repository.isMissingSequence(error)) throw error;
    await inTransaction(db, (trx) => repository.ensureCaseNumberSequence(trx, regionId, year));
    return write();
  }
}

/** What a citizen says, from any channel. Texts are kept exactly as typed (trimmed): HTML is text, escaped where shown. */
export interface MessageInput {
  readonly title: string;
  readonly description: string;
  readonly kind: CaseKind;
  /** A taxonomy path such as '城乡建设/住房管理/物业管理'; without one the case goes to triage. */
  readonly categoryPath?: string | undefined;
  readonly communityId?: number | undefined;
  readonly districtId?: number | undefined;
  readonly lat?: number | undefined;
  readonly lng?: number | undefined;
  readonly address?: string | undefined;
  readonly contact?: Contact | undefined;
  /** Urgent cases get an hour limit instead of working days (DEFAULT_SLA_POLICY). */
  readonly urgent?: boolean | undefined;
  /** Uploads from `uploadPhoto` (id + token each), at most five, linked in this order. */
  readonly photos?: readonly PhotoRef[] | undefined;
}

/** What the submitter gets back; the same again when they resubmit with the same Idempotency-Key. */
export interface MessageReceipt {
  readonly messageId: number;
  readonly caseId: number;
  readonly caseNumber: string;
  readonly trackingCode: string;
  readonly submittedAt: Date;
}

/** How far from the city's centre a pin may be: a city plus its counties fits well inside. */
export const MAX_DISTANCE_KM = 200;

type FieldProblem = { path: string; message: string };

function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const refuse = (problems: FieldProblem[]): AppError =>
  new AppError(
    'validation_failed',
    `The message is not valid: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
    { errors: problems },
  );

/** The texts and shapes any channel must respect, before the database is asked anything. */
function checkShape(input: MessageInput): { title: string; body: string; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const body = typeof input.description === 'string' ? input.description.trim() : '';
  if (title.length < 1 || title.length > MAX_TITLE_LENGTH)
    problems.push({ path: 'title', message: `1 to ${MAX_TITLE_LENGTH} characters` });
  if (body.length < 1 || body.length > MAX_BODY_LENGTH)
    problems.push({ path: 'description', message: `1 to ${MAX_BODY_LENGTH} characters` });
  if (!CASE_KINDS.includes(input.kind)) problems.push({ path: 'kind', message: `one of ${CASE_KINDS.join(', ')}` });
  const hasLat = input.lat !== undefined;
  if (hasLat !== (input.lng !== undefined))
    problems.push({ path: hasLat ? 'lng' : 'lat', message: 'give both lat and lng, or neither' });
  if (hasLat && !(Number.isFinite(input.lat) && input.lat! >= -90 && input.lat! <= 90))
    problems.push({ path: 'lat', message: 'a latitude from -90 to 90' });
  if (input.lng !== undefined && !(Number.isFinite(input.lng) && input.lng >= -180 && input.lng <= 180))
    problems.push({ path: 'lng', message: 'a longitude from -180 to 180' });
  problems.push(...checkPhotoList(input.photos ?? []));
  return { title, body, problems };
}

/**
 * A home visit (channel `visit`): only a signed-in cadre writes one down, on
 * the resident's behalf. The resident is the requester (their tracking code,
 * which the receipt hands to the cadre), so the resident's name or phone is
 * needed to reach them; the cadre is named in the timeline as the author.
 */
function checkVisit(context: RequestContext, input: MessageInput, problems: FieldProblem[]): void {
  if (context.actor?.role !== 'cadre') {
    throw new AppError('forbidden', 'Only a signed-in cadre may submit a message with channel visit', {
      action: 'message.visit',
    });
  }
  if (!input.contact?.name?.trim() && !input.contact?.phone?.trim())
    problems.push({ path: 'contact', message: "the resident's name or phone" });
}

/** Where the message is: its community and district (checked against the city) and its category. */
async function placeOf(trx: Db, regionId: number, input: MessageInput, problems: FieldProblem[], categoriesByPath: ReadonlyMap<string, { id: number; path: string }>) {
  let communityId: number | null = null;
  let districtId: number | null = null;
  if (input.communityId !== undefined) {
    const community = await repository.findPlace(trx, regionId, input.communityId);
    if (!community || community.level !== 'community')
      problems.push({ path: 'communityId', message: 'not a community of this city' });
    else {
      communityId = community.id;
      districtId = Number(community.path.split('/').filter(Boolean)[1]);
    }
  }
  if (input.districtId !== undefined) {
    const district = await repository.findPlace(trx, regionId, input.districtId);
    if (!district || district.level !== 'district')
      problems.push({ path: 'districtId', message: 'not a district of this city' });
    else if (districtId !== null && districtId !== district.id)
      problems.push({ path: 'districtId', message: 'the community is in another district' });
    else districtId = district.id;
  }
  if (input.lat !== undefined && input.lng !== undefined) {
    const city = await repository.findPlace(trx, regionId, regionId);
    if (city?.centroid) {
      const [lng, lat] = city.centroid;
      if (distanceKm(lat, lng, input.lat, input.lng) > MAX_DISTANCE_KM)
        problems.push({ path: 'lat', message: `more than ${MAX_DISTANCE_KM} km from the city` });
    }
  }
  let category: { id: number; path: string } | null = null;
  if (input.categoryPath !== undefined && input.categoryPath.trim() !== '') {
    const found = categoriesByPath.get(input.categoryPath.trim());
    if (!found) problems.push({ path: 'categoryPath', message: 'no such category' });
    else category = found;
  }
  return { communityId, districtId, category };
}

/** The fingerprint an Idempotency-Key is bound to: the request as understood, and who sent it. */
function requestHashOf(input: MessageInput, channel: Channel, requesterUserId: number | null): string {
  const canonical = JSON.stringify([
    channel,
    requesterUserId,
    input.title.trim(),
    input.description.trim(),
    input.kind,
    input.categoryPath?.trim() ?? null,
    input.communityId ?? null,
    input.districtId ?? null,
    input.lat ?? null,
    input.lng ?? null,
    input.address?.trim() ?? null,
    input.contact ? [input.contact.name ?? null, input.contact.phone ?? null, input.contact.email ?? null] : null,
    ...(input.urgent === true ? ['urgent'] : []),
    ...(input.photos?.length ? [['photos', input.photos.map((photo) => photo.id)]] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

async function receiptOf(trx: Db, regionId: number, message: Message): Promise<MessageReceipt> {
  const record = (await repository.findCase(trx, regionId, message.caseId))!;
  return {
    messageId: message.id,
    caseId: record.id,
    caseNumber: record.number,
    trackingCode: message.trackingCode,
    submittedAt: message.submittedAt,
  };
}

/**
 * Takes in a citizen's message: validates it (422 naming the field), opens a
 * case for it and routes it. With a category and a matching routing rule the
 * case is dispatched at once (as `system`) and its deadline starts; otherwise
 * it waits in the coordinators' triage queue. Every submitter gets a tracking
 * code; a signed-in citizen is also linked by user id.
 *
 * With an `idempotencyKey` a repeat of the same request returns the first
 * receipt and writes nothing; the same key with a different request is 409.
 *
 * Photos (`input.photos`, uploaded before with `uploadPhoto`) must be this
 * city's, unlinked, and come with their upload tokens (422 naming
 * `photos[i]` otherwise); they are linked in the intake's transaction, so a failed
 * intake links none and a replay returns the receipt without linking again.
 *
 * Built for load (docs/benchmarks.md, `voices`): everything read-only (the
 * idempotency pre-check, places; category, routing rule and its departments
 * from the city's cached routing facts, `routing-facts.ts`) is read first; the open and dispatch steps are computed in memory, so the
 * case is inserted once, already routed. The case and message ids come from
 * a block this process took before (`IdPool`), so one round trip writes:
 * one prepared statement takes the case number from the city's sequence for
 * the year and writes case, message, both timeline rows and the audit
 * entries, locking the head of the case's audit chain and hashing in SQL
 * (`appendAuditSql`). A single statement is atomic, so it needs no
 * transaction; with photos it runs in a transaction with their links. A
 * failed intake leaves gaps in ids and numbers. The unique keys (idempotency
 * key, tracking code, number) are what must be atomic: a race on one is a
 * 23505 that writes nothing, and the retry sees the winner.
 */
export async function submitMessage(
  deps: PlatformDeps,
  context: RequestContext,
  input: MessageInput,
  options: { channel: Channel; idempotencyKey?: string | undefined },
): Promise<MessageReceipt> {
  const { title, body, problems } = checkShape(input);
  if (options.channel === 'visit') checkVisit(context, input, problems);
  if (problems.length > 0) throw refuse(problems);
  const citizen = context.actor?.role === 'citizen' ? context.actor : undefined;
  const requesterUserId = citizen ? citizen.userId : null;
  const key = options.idempotencyKey ?? null;
  const requestHash = key === null ? null : requestHashOf(input, options.channel, requesterUserId);
  const { db } = deps;
  const photos = input.photos ?? [];
  const { regionId } = context;

  const attempt = async (): Promise<MessageReceipt> => {
    if (key !== null) {
      const earlier = await repository.findMessageByIdempotencyKey(db, regionId, key);
      if (earlier) {
        if (earlier.requestHash !== requestHash)
          throw new AppError('conflict', 'This Idempotency-Key was used for a different request');
        return receiptOf(db, regionId, earlier);
      }
    }
    const placeProblems = [...problems];
    const [facts, photoProblems, classifier] = await Promise.all([
      routingFactsOf(db, regionId),
      checkPhotoRefs(db, regionId, photos),
      intakeClassifierOf(deps.config),
    ]);
    const place = await placeOf(db, regionId, input, placeProblems, facts.categoriesByPath);
    const activeRules = facts.rules;
    placeProblems.push(...photoProblems);
    if (placeProblems.length > 0) throw refuse(placeProblems);
    // Every message is classified; the suggestion files the case only when the citizen chose no category.
    const suggestion = classifier.suggest({ title, body }, facts.categoriesByPath);
    const chosen = chooseCategory(place.category?.path ?? null, suggestion, deps.config.classifierMinConfidence);
    const category = chosen.path === null ? null : (facts.categoriesByPath.get(chosen.path) ?? null);
    const rule = category ? chooseRule(activeRules, { categoryPath: category.path, districtId: place.districtId }) : undefined;
    const dispatch: CaseEvent | undefined = rule && {
      type: 'dispatch',
      departmentId: rule.departmentId,
      coHandlerIds: rule.coHandlerIds,
    };

    const now = deps.clock();
    const trackingCode = issueTrackingCode();
    const requesterKey = requesterUserId === null ? `code:${trackingCode}` : `user:${requesterUserId}`;
    const opened = openCase({ requesterIds: [requesterKey] }, SYSTEM_ACTOR, now);
    if ('error' in opened) throw new AppError(...toAppErrorArgs(opened.error));
    // The case as it stands once opened, and routed when a rule matches: the id is not known yet and nothing planned reads it.
    const draft: CaseRecord = {
      id: 0,
      number: '',
      title,
      kind: input.kind,
      categoryId: category?.id ?? null,
      categoryPath: category?.path ?? null,
      districtId: place.districtId,
      districtName: null,
      departmentName: null,
      departmentNameEn: null,
      coHandlers: [],
      regionPath: `/${regionId}/`,
      communityId: place.communityId,
      urgent: input.urgent === true,
      snapshot: opened.next,
      deadline: null,
      createdAt: now,
    };
    const routed =
      dispatch && planCaseEvent(context, draft, dispatch, SYSTEM_ACTOR, { userId: null, label: 'system' }, now);
    // The rule's departments were active when the facts were read; otherwise ask the database (and refuse).
    const named = dispatch ? [dispatch.departmentId, ...(dispatch.coHandlerIds ?? [])] : [];
    if (dispatch && !named.every((id) => facts.activeDepartmentIds.has(id))) await checkReferences(db, regionId, draft, dispatch);
    const { caseId, messageId } = await idPoolOf(db).take();
    await makeSureOfAuditHeads(db, regionId);

    const author = authorOf(context, 'anonymous');
    const contact = input.contact && Object.values(input.contact).some(Boolean) ? input.contact : null;
    const first = timelineEntryOf(opened.effects);
    const opening: CaseEventRecord = {
      version: first.version,
      round: first.round,
      at: now,
      actorUserId: author.userId,
      actorLabel: author.label,
      event: 'open',
      fromState: null,
      toState: first.to,
      reason: null,
      details: { channel: options.channel, messageId, notifications: [] },
    };
    const submitted = {
      action: 'message.submit',
      resourceType: 'case',
      resourceId: caseId,
      details: {
        messageId,
        channel: options.channel,
        kind: input.kind,
        categorised: category !== null,
        categorisedBy: chosen.source,
        photos: photos.length,
      },
    };
    // Both entries are about the case, so they share its chain: one head lock, taken inside the write statement.
    const audit = prepareAudits(
      [
        { context, event: submitted },
        ...(routed ? [{ context: routed.audit.context, event: { ...routed.audit.event, resourceId: caseId } }] : []),
      ],
      now,
    );
    const write: intake.IntakeWrite = {
      caseId,
      messageId,
      year: caseYearOf(now),
      case: {
        title,
        kind: input.kind,
        categoryId: category?.id ?? null,
        districtId: place.districtId,
        communityId: place.communityId,
        urgent: input.urgent === true,
        snapshot: routed ? routed.next : opened.next,
        deadline: routed ? routed.clock : null,
        createdAt: now,
      },
      message: {
        caseId,
        channel: options.channel,
        kind: input.kind,
        title,
        body,
        requesterUserId,
        requesterKey,
        trackingCode,
        contact,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        address: input.address?.trim() || null,
        communityId: place.communityId,
        districtId: place.districtId,
        categoryId: place.category?.id ?? null,
        idempotencyKey: key,
        requestHash,
        submittedAt: now,
        suggestion,
      },
      events: routed ? [opening, routed.stored] : [opening],
      audit,
    };
    const number = await withNumberSequence(db, regionId, write.year, () =>
      photos.length === 0
        ? // One statement, atomic by itself: no begin/commit round trips.
          intake.insertIntake(db, regionId, write)
        : inTransaction(db, async (trx) => {
            const taken = await intake.insertIntake(trx, regionId, write);
            // After the message row: a racing replay of the same Idempotency-Key stops at its unique key first and replays.
            await linkPhotos(trx, regionId, messageId, photos, now);
            return taken;
          }),
    );
    return { messageId, caseId, caseNumber: number, trackingCode, submittedAt: now };
  };

  try {
    return await attempt();
  } catch (error) {
    // Two submissions with one key raced (or a tracking code collided): the second attempt sees the first.
    if ((error as { code?: unknown } | null)?.code === '23505') return attempt();
    throw error;
  }
}

import { AppError, inTransaction, normaliseTrackingCode, type PlatformDeps, type RequestContext, type Trx } from '../../../platform/index.ts';
import { allowedEvents, type CaseActor } from './case.ts';
import * as repository from './case.repository.ts';
import { listPhotosOfMessages } from '../attachments/attachment.repository.ts';
import type { PhotoMeta } from '../attachments/attachment.ts';
import { fireCaseEvent } from './case.service.ts';
import type { CaseEventRecord, CaseRecord, Message } from './voices.ts';

/** What a tracking code shows: the case, its timeline and whether its holder may rate now. Masking is the presenter's. */
export interface TrackedCase {
  readonly record: CaseRecord;
  readonly message: Message;
  readonly timeline: readonly CaseEventRecord[];
  readonly mayRate: boolean;
  /** The photos of this message (the code's own), metadata only. */
  readonly photos: readonly PhotoMeta[];
}

/** The requester a tracking code stands for: `code:<code>` for anonymous citizens, `user:<id>` for account holders. */
function requesterOf(message: Message): CaseActor {
  return { role: 'citizen', userId: message.requesterUserId, departmentId: null, requesterId: message.requesterKey };
}

async function findByCode(trx: Trx | PlatformDeps['db'], regionId: number, code: string): Promise<{ message: Message; record: CaseRecord }> {
  const normalised = normaliseTrackingCode(code);
  const message = normalised && (await repository.findMessageByTrackingCode(trx, regionId, normalised));
  if (!message) throw new AppError('not_found', 'No message has this tracking code; check it and try again');
  return { message, record: (await repository.findCase(trx, regionId, message.caseId))! };
}

/**
 * The case behind a tracking code, for a citizen without an account. The
 * code is the credential: typos (caught by its check character) and unknown
 * codes are 404 alike.
 */
export async function trackCase(deps: PlatformDeps, context: RequestContext, code: string): Promise<TrackedCase> {
  const { message, record } = await findByCode(deps.db, context.regionId, code);
  return {
    record,
    message,
    timeline: await repository.listCaseEvents(deps.db, context.regionId, record.id),
    mayRate: allowedEvents(record.snapshot, requesterOf(message), deps.clock()).includes('rate'),
    photos: await listPhotosOfMessages(deps.db, context.regionId, [message.id]),
  };
}

/**
 * Rates the reply as the requester the tracking code stands for (1–5, ≤ 2
 * is unsatisfied and goes to verification). `version` as read: a stale one is 409.
 */
export async function rateByTrackingCode(
  deps: PlatformDeps,
  context: RequestContext,
  code: string,
  input: { score: number; comment?: string | undefined; version: number },
): Promise<TrackedCase> {
  await inTransaction(deps.db, async (trx) => {
    const { message, record } = await findByCode(trx, context.regionId, code);
    if (input.version !== record.snapshot.version) {
      throw new AppError('version_conflict', `The case has changed since you read it (version ${record.snapshot.version}); reload and try again`, { currentVersion: record.snapshot.version });
    }
    const event = { type: 'rate' as const, score: input.score, ...(input.comment === undefined ? {} : { comment: input.comment }) };
    await fireCaseEvent(trx, deps, { ...context, actor: undefined }, record, event, requesterOf(message), { userId: null, label: 'requester' }, deps.clock());
  });
  return trackCase(deps, context, code);
}

/**
 * Photos on citizens' messages, in two steps so a phone can upload while the
 * citizen types and the intake stays JSON: `uploadPhoto` stores the checked
 * bytes unlinked and hands back a token; the intake links the uploads it is
 * given (id + token) to the new message inside its own transaction. Reading
 * follows the case's rules (`case.read`; citizens only their own messages'
 * photos) or, for the public track page, the tracking code. Uploads never
 * linked are removed after a day by `cleanupUnlinkedPhotos`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  AppError,
  assertAllowed,
  normaliseTrackingCode,
  requireActor,
  startIntervalJob,
  type IntervalJob,
  type PlatformDeps,
  type RequestContext,
  type Trx,
} from '../../../platform/index.ts';
import { findMessageByTrackingCode } from '../cases/case.repository.ts';
import { loadInScope } from '../cases/case.service.ts';
import {
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  UNLINKED_TTL_MS,
  checkUpload,
  type Photo,
  type PhotoMeta,
  type PhotoRef,
} from './attachment.ts';
import * as repository from './attachment.repository.ts';

type Db = PlatformDeps['db'];

export { MAX_PHOTO_BYTES, MAX_PHOTOS, type Photo, type PhotoMeta, type PhotoRef };

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');
const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A stored upload and the token that proves its uploader made it (shown once, only its hash is kept). */
export interface UploadedPhoto {
  readonly photo: PhotoMeta;
  readonly token: string;
}

/**
 * Stores a photo for a message still being written. Anonymous callers are
 * welcome (the route is rate-limited). The bytes decide the type: unknown
 * bytes, or bytes that disagree with `declaredType`, are 415
 * `unsupported_media_type`; more than 5 MiB is 413 `payload_too_large`; an
 * empty body 400 `invalid_body`.
 *
 * @example const { photo, token } = await uploadPhoto(deps, context, bytes, 'image/jpeg');
 */
export async function uploadPhoto(
  deps: PlatformDeps,
  context: RequestContext,
  bytes: Uint8Array,
  declaredType: string,
): Promise<UploadedPhoto> {
  const checked = checkUpload(bytes, declaredType);
  if ('problem' in checked) {
    const { problem } = checked;
    switch (problem.kind) {
      case 'empty':
        throw new AppError('invalid_body', 'The photo is empty');
      case 'too_large':
        throw new AppError(
          'payload_too_large',
          `A photo may be at most ${MAX_PHOTO_BYTES} bytes (5 MB); this one has ${problem.byteSize}`,
          { maxBytes: MAX_PHOTO_BYTES },
        );
      case 'unknown_type':
        throw new AppError('unsupported_media_type', 'The file is not a JPEG, PNG, WebP or HEIC photo', {
          reason: 'unknown_type',
        });
      case 'type_mismatch':
        throw new AppError(
          'unsupported_media_type',
          `The file is ${problem.detected}, not ${problem.declared} as declared`,
          {
            reason: 'type_mismatch',
            declared: problem.declared,
            detected: problem.detected,
          },
        );
    }
  }
  const token = randomBytes(32).toString('base64url');
  const photo = await repository.insertAttachment(deps.db, context.regionId, {
    sha256: sha256(bytes),
    contentType: checked.contentType,
    width: checked.width,
    height: checked.height,
    bytes,
    tokenHash: sha256(token),
    createdAt: deps.clock(),
  });
  return { photo, token };
}

type FieldProblem = { path: string; message: string };

/** The shape checks of a message's photo list, before the database is asked: at most five, none twice. */
export function checkPhotoList(refs: readonly PhotoRef[]): FieldProblem[] {
  if (refs.length > MAX_PHOTOS) return [{ path: 'photos', message: `at most ${MAX_PHOTOS} photos` }];
  const seen = new Set<number>();
  const problems: FieldProblem[] = [];
  refs.forEach((ref, index) => {
    if (seen.has(ref.id)) problems.push({ path: `photos[${index}]`, message: 'this photo is listed twice' });
    seen.add(ref.id);
  });
  return problems;
}

/**
 * Whether each photo may go with a new message: it exists in this city, its
 * token matches, and no message has it yet. A wrong token reads like a
 * missing photo, so only the uploader learns that a photo is taken.
 */
export async function checkPhotoRefs(db: Db, regionId: number, refs: readonly PhotoRef[]): Promise<FieldProblem[]> {
  const claims = await repository.findClaims(
    db,
    regionId,
    refs.map((ref) => ref.id),
  );
  const problems: FieldProblem[] = [];
  refs.forEach((ref, index) => {
    const claim = claims.get(ref.id);
    if (!claim || !sameHash(claim.tokenHash, sha256(ref.token))) {
      problems.push({
        path: `photos[${index}]`,
        message: 'no such upload with this token (uploads expire after 24 hours)',
      });
    } else if (claim.linked) {
      problems.push({ path: `photos[${index}]`, message: 'this photo is already attached to a message' });
    }
  });
  return problems;
}

/**
 * Links the photos to `messageId` in the intake's transaction, in the order
 * given. When one was linked (or cleaned up) since `checkPhotoRefs`, throws
 * 422 naming it, and the caller's transaction links nothing.
 */
export async function linkPhotos(
  trx: Trx,
  regionId: number,
  messageId: number,
  refs: readonly PhotoRef[],
  now: Date,
): Promise<void> {
  for (const [position, ref] of refs.entries()) {
    if (
      !(await repository.linkAttachment(trx, regionId, {
        id: ref.id,
        tokenHash: sha256(ref.token),
        messageId,
        position,
        at: now,
      }))
    ) {
      const problem = {
        path: `photos[${position}]`,
        message: 'this photo was attached to another message or expired meanwhile',
      };
      throw new AppError('validation_failed', `The message is not valid: ${problem.path}: ${problem.message}`, {
        errors: [problem],
      });
    }
  }
}

/** The photos of these messages, without bytes, in each message's order. */
export function listMessagePhotos(db: Db | Trx, regionId: number, messageIds: readonly number[]): Promise<PhotoMeta[]> {
  return repository.listPhotosOfMessages(db, regionId, messageIds);
}

const noSuchPhoto = (id: number): AppError => new AppError('not_found', `Photo ${id} is not part of this case`);

/**
 * A photo of case `caseId` for a reader who may read the case (`case.read`
 * in scope: 403 otherwise). A citizen sees only the photos of their own
 * messages; a photo of another case, or not yet linked, is 404.
 */
export async function readCasePhoto(
  deps: PlatformDeps,
  context: RequestContext,
  caseId: number,
  photoId: number,
): Promise<Photo> {
  const actor = requireActor(context);
  assertAllowed(actor, 'case.read');
  await loadInScope(deps.db, context, actor, 'case.read', caseId);
  const found = await repository.findLinkedPhoto(deps.db, context.regionId, photoId);
  if (!found || found.caseId !== caseId) throw noSuchPhoto(photoId);
  if (actor.role === 'citizen' && found.requesterUserId !== actor.userId) throw noSuchPhoto(photoId);
  return found.photo;
}

/**
 * A photo of the message behind a tracking code: the code is the requester's
 * credential, so it opens the photos of that message and no other (404,
 * like an unknown code).
 */
export async function readTrackedPhoto(
  deps: PlatformDeps,
  context: RequestContext,
  code: string,
  photoId: number,
): Promise<Photo> {
  const normalised = normaliseTrackingCode(code);
  const message = normalised && (await findMessageByTrackingCode(deps.db, context.regionId, normalised));
  if (!message) throw new AppError('not_found', 'No message has this tracking code; check it and try again');
  const found = await repository.findLinkedPhoto(deps.db, context.regionId, photoId);
  if (!found || found.photo.messageId !== message.id)
    throw new AppError('not_found', `Photo ${photoId} is not part of this message`);
  return found.photo;
}

/** What one cleanup removed. */
export interface PhotoCleanupReport {
  readonly deleted: number;
}

/**
 * Deletes, city by city and in batches, every upload that was never linked
 * to a message and is older than 24 hours at `now`. Safe to run from several
 * servers at once (each delete re-checks that the row is still unlinked).
 *
 * @example await cleanupUnlinkedPhotos(deps, { now: deps.clock() }) // → { deleted: 3 }
 */
export async function cleanupUnlinkedPhotos(
  deps: PlatformDeps,
  options: { now: Date; regionId?: number; batchSize?: number },
): Promise<PhotoCleanupReport> {
  const before = new Date(options.now.getTime() - UNLINKED_TTL_MS);
  const batchSize = options.batchSize ?? 100;
  const cities = options.regionId === undefined ? await repository.listCityIds(deps.db) : [options.regionId];
  let deleted = 0;
  for (const regionId of cities) {
    for (;;) {
      const removed = await repository.deleteUnlinked(deps.db, regionId, before, batchSize);
      deleted += removed;
      if (removed < batchSize) break;
    }
  }
  if (deleted > 0) deps.logger.info({ deleted }, 'photo cleanup: removed uploads never attached to a message');
  return { deleted };
}

/** How often the server looks for stale uploads: hourly is plenty for a 24-hour expiry. */
export const PHOTO_CLEANUP_INTERVAL_SECONDS = 3600;

/** The server's cleanup loop (first run at once); `stop` waits for a run in progress. */
export function startPhotoCleanupJob(
  deps: PlatformDeps,
  intervalSeconds = PHOTO_CLEANUP_INTERVAL_SECONDS,
): IntervalJob {
  return startIntervalJob(deps.logger, 'photo cleanup', intervalSeconds, () =>
    cleanupUnlinkedPhotos(deps, { now: deps.clock() }),
  );
}

/**
 * Photos on citizens' messages: what an upload must be and what is kept of
 * it. Pure: the byte checks here run before anything is stored.
 */
import { sameImageType, sniffImage, type PhotoType } from './image-type.ts';

/** The largest photo kept: 5 MiB, what a phone camera's JPEG fits comfortably. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Photos per message; with MAX_PHOTO_BYTES, at most 25 MiB per message. */
export const MAX_PHOTOS = 5;

/** How long an upload may wait for its message before the cleanup removes it. */
export const UNLINKED_TTL_MS = 24 * 3_600_000;

/** A stored photo without its bytes: what lists and the case view show. */
export interface PhotoMeta {
  readonly id: number;
  readonly messageId: number | null;
  readonly contentType: PhotoType;
  readonly byteSize: number;
  readonly width: number | null;
  readonly height: number | null;
  readonly createdAt: Date;
}

/** A photo with its bytes, for streaming to a reader who may see it. */
export interface Photo extends PhotoMeta {
  readonly sha256: string;
  readonly bytes: Uint8Array;
}

/** What a citizen hands the intake for each photo: the upload's id and the token that proves they made it. */
export interface PhotoRef {
  readonly id: number;
  readonly token: string;
}

/** Why an upload is refused, as the service's AppError will say it. */
export type UploadProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'too_large'; readonly byteSize: number }
  | { readonly kind: 'unknown_type' }
  | { readonly kind: 'type_mismatch'; readonly declared: string; readonly detected: PhotoType };

/**
 * Checks an upload's bytes against the limits and its declared type: the
 * bytes decide what it is (never the header alone), and the header must
 * agree. Returns what will be stored, or the problem.
 *
 * @example checkUpload(pngBytes, 'image/jpeg') // → { problem: { kind: 'type_mismatch', declared: 'image/jpeg', detected: 'image/png' } }
 */
export function checkUpload(
  bytes: Uint8Array,
  declared: string,
): { problem: UploadProblem } | { contentType: PhotoType; width: number | null; height: number | null } {
  if (bytes.length === 0) return { problem: { kind: 'empty' } };
  if (bytes.length > MAX_PHOTO_BYTES) return { problem: { kind: 'too_large', byteSize: bytes.length } };
  const sniffed = sniffImage(bytes);
  if (!sniffed) return { problem: { kind: 'unknown_type' } };
  if (!sameImageType(declared, sniffed.contentType))
    return { problem: { kind: 'type_mismatch', declared, detected: sniffed.contentType } };
  return sniffed;
}

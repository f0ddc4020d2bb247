import type { AttachmentReceiptView, PhotoView } from '../../contracts/voices.ts';
import { request } from './client.ts';

export type { AttachmentReceiptView, PhotoView };

const V1 = '/api/v1';

/** Uploads one photo as its raw bytes (the server checks the real type); its id and token go into the message's `photos`. */
export const uploadPhoto = (file: Blob, contentType: string, signal?: AbortSignal): Promise<AttachmentReceiptView> =>
  request('POST', `${V1}/attachments`, { body: file, contentType, signal, allowAnonymous: true });

/** Where a case's photo is read (with the session cookie; readers of the case). */
export const casePhotoUrl = (caseId: number, photoId: number): string => `${V1}/cases/${caseId}/photos/${photoId}`;

/** Where the holder of a tracking code reads the photo of their message. */
export const trackedPhotoUrl = (code: string, photoId: number): string =>
  `${V1}/track/${encodeURIComponent(code)}/photos/${photoId}`;

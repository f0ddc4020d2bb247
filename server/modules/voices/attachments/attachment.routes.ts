import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  attachmentReceiptSchema,
  casePhotoParamsSchema,
  trackedPhotoParamsSchema,
  PHOTO_UPLOAD_TYPES,
} from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import * as attachments from './attachment.service.ts';

/** Uploads are anonymous: slowed down per address like the other public writes. */
const UPLOAD_RATE_LIMIT = { max: 60, timeWindow: 60_000 };
/** Photos are read by code as tracking pages are: guessing is slowed down per address. */
const TRACKING_RATE_LIMIT = { max: 120, timeWindow: 60_000 };

/**
 * Fastify refuses bodies above this with its own 413 (turned into
 * problem+json by the error handler); it sits a little above the photo limit
 * so that a photo just too big is refused by the service, with the limit named.
 */
const UPLOAD_BODY_LIMIT = attachments.MAX_PHOTO_BYTES + 64 * 1024;

/** The photo as the answer: its own type, never sniffed by the browser, cached only by the reader. */
function sendPhoto(reply: FastifyReply, photo: attachments.Photo): FastifyReply {
  const extension = photo.contentType.slice('image/'.length).replace('jpeg', 'jpg');
  return reply
    .header('content-type', photo.contentType)
    .header('content-length', String(photo.bytes.length))
    .header('cache-control', 'private, max-age=3600')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `inline; filename="photo-${photo.id}.${extension}"`)
    .header('etag', `"${photo.sha256}"`)
    .send(photo.bytes);
}

/**
 * HTTP adapter of message photos: the raw-body upload (its image parsers are
 * scoped to this route; everywhere else only JSON is accepted) and the two
 * ways to read a photo back: as a reader of the case, or by tracking code.
 */
export async function attachmentRoutes(app: FastifyInstance, deps: PlatformDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      [...PHOTO_UPLOAD_TYPES],
      { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/attachments',
      {
        config: { access: 'public', rateLimit: UPLOAD_RATE_LIMIT },
        bodyLimit: UPLOAD_BODY_LIMIT,
        schema: {
          tags: ['voices'],
          summary:
            'Upload a photo for a message (raw JPEG, PNG, WebP or HEIC body, ≤ 5 MB); returns its id and token for POST /messages',
          description:
            'Send the image bytes as the body with Content-Type image/jpeg, image/png, image/webp, image/heic or image/heif. ' +
            'The server reads the real type from the bytes: unknown bytes or a mismatching Content-Type are 415 unsupported_media_type, ' +
            'more than 5 MB is 413 payload_too_large. Unlinked uploads are deleted after 24 hours.',
          consumes: [...PHOTO_UPLOAD_TYPES],
          response: { 201: attachmentReceiptSchema },
        },
      },
      async (request, reply) => {
        const declared = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const body = request.body as Buffer;
        const { photo, token } = await attachments.uploadPhoto(deps, request.context, body, declared);
        return reply
          .status(201)
          .send({ id: photo.id, token, contentType: photo.contentType, byteSize: photo.byteSize });
      },
    );
  });

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/cases/:id/photos/:photoId',
    {
      config: { access: 'case.read' },
      schema: {
        tags: ['voices'],
        summary:
          'A photo of the case, as its own image type (readers of the case; a citizen only their own messages’ photos)',
        params: casePhotoParamsSchema,
      },
    },
    async (request, reply) =>
      sendPhoto(
        reply,
        await attachments.readCasePhoto(deps, request.context, request.params.id, request.params.photoId),
      ),
  );

  api.get(
    '/api/v1/track/:code/photos/:photoId',
    {
      config: { access: 'public', rateLimit: TRACKING_RATE_LIMIT },
      schema: {
        tags: ['voices'],
        summary: 'A photo of the message behind a tracking code, for the code’s holder (never listed publicly)',
        params: trackedPhotoParamsSchema,
      },
    },
    async (request, reply) =>
      sendPhoto(
        reply,
        await attachments.readTrackedPhoto(deps, request.context, request.params.code, request.params.photoId),
      ),
  );
}

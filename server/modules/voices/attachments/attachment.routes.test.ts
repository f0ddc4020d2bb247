import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  MAX_PHOTO_BYTES as CONTRACT_MAX_PHOTO_BYTES,
  MAX_PHOTOS_PER_MESSAGE,
  type AttachmentReceiptView,
  type CaseDetailView,
  type MessageReceiptView,
  type TrackedCaseView,
} from '../../../../contracts/voices.ts';
import type { Problem } from '../../../../contracts/platform.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { assertProblem, buildVoicesTestApp, loginAs, testClock, type TestSession } from '../../../../test/factories.ts';
import { padded, tinyJpeg, tinyPng, tinyWebp } from '../../../../test/images.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from './attachment.ts';
import { cleanupUnlinkedPhotos } from './attachment.service.ts';

/**
 * Photos on messages through the HTTP app: the raw upload with its type and
 * size checks, linking at intake (all or nothing, once), who may read a photo
 * back, and the cleanup of uploads never attached.
 */
/** The extensions a refused upload's problem carries. */
type UploadProblem = Problem & { maxBytes?: number; reason?: string; declared?: string; detected?: string };

describe('message photos over HTTP', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const clock = testClock(new Date('2026-03-02T01:00:00Z'));
  const as: Record<string, TestSession> = {};

  before(async () => {
    ({ app, deps, city } = await buildVoicesTestApp({
      clock: clock.now,
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SESSION_TTL_HOURS: '720' },
    }));
    for (const username of ['coordinator', 'handler-housing', 'handler-transport', 'citizen', 'auditor'])
      as[username] = await loginAs(app, username);
  });
  after(() => app.close());

  const upload = (bytes: Buffer, contentType: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      payload: bytes,
      headers: { 'content-type': contentType, ...headers },
    });
  const uploadOk = async (
    bytes: Buffer = tinyPng(),
    contentType = 'image/png',
    headers: Record<string, string> = {},
  ) => {
    const response = await upload(bytes, contentType, headers);
    assert.equal(response.statusCode, 201, response.body);
    return response.json<AttachmentReceiptView>();
  };
  const ref = (receipt: AttachmentReceiptView) => ({ id: receipt.id, token: receipt.token });
  const message = (overrides: Record<string, unknown> = {}) => ({
    title: '路面塌陷',
    description: '东一甲社区门口路面塌陷，附照片。',
    kind: 'complaint',
    categoryPath: '城乡建设/城市建设和市政管理/其他',
    ...overrides,
  });
  const submit = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/messages', payload: payload as object, headers });
  const submitOk = async (payload: unknown, headers: Record<string, string> = {}) => {
    const response = await submit(payload, headers);
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };
  const caseOf = async (id: number, who: string) => {
    const response = await app.inject({ url: `/api/v1/cases/${id}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };

  test('the server and the web share the limits: 5 photos of at most 5 MiB', () => {
    assert.equal(MAX_PHOTO_BYTES, 5 * 1024 * 1024);
    assert.equal(CONTRACT_MAX_PHOTO_BYTES, MAX_PHOTO_BYTES);
    assert.equal(MAX_PHOTOS_PER_MESSAGE, MAX_PHOTOS);
  });

  test('an anonymous upload of a PNG, JPEG or WebP is stored and answered with its id and token', async () => {
    const png = await uploadOk(tinyPng(2, 3));
    assert.equal(png.contentType, 'image/png');
    assert.equal(png.byteSize, tinyPng(2, 3).length);
    assert.match(png.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal((await uploadOk(tinyJpeg(), 'image/jpeg')).contentType, 'image/jpeg');
    assert.equal((await uploadOk(tinyWebp(), 'image/webp; charset=binary')).contentType, 'image/webp');
    // Exactly 5 MiB is allowed.
    assert.equal((await uploadOk(padded(tinyPng(), MAX_PHOTO_BYTES))).byteSize, MAX_PHOTO_BYTES);
  });

  test('too big is 413 problem+json, from the service just above the limit and from the parser far above it', async () => {
    const justOver: UploadProblem = assertProblem(
      await upload(padded(tinyPng(), MAX_PHOTO_BYTES + 1), 'image/png'),
      413,
      'payload_too_large',
    );
    assert.equal(justOver.maxBytes, MAX_PHOTO_BYTES);
    assertProblem(await upload(padded(tinyPng(), 6 * 1024 * 1024), 'image/png'), 413, 'payload_too_large');
  });

  test('the bytes decide the type: GIF, PDF, text and a PNG labelled JPEG are 415; JSON is not accepted here', async () => {
    assertProblem(
      await upload(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif'),
      415,
      'unsupported_media_type',
    );
    const pdf: UploadProblem = assertProblem(
      await upload(Buffer.from('%PDF-1.7\n1 0 obj', 'latin1'), 'image/jpeg'),
      415,
      'unsupported_media_type',
    );
    assert.equal(pdf.reason, 'unknown_type');
    assertProblem(
      await upload(Buffer.from('<html><script>alert(1)</script>'), 'image/png'),
      415,
      'unsupported_media_type',
    );
    const mislabelled: UploadProblem = assertProblem(
      await upload(tinyPng(), 'image/jpeg'),
      415,
      'unsupported_media_type',
    );
    assert.deepEqual(
      [mislabelled.reason, mislabelled.declared, mislabelled.detected],
      ['type_mismatch', 'image/jpeg', 'image/png'],
    );
    const json = await app.inject({ method: 'POST', url: '/api/v1/attachments', payload: { photo: 'x' } });
    assertProblem(json, 415, 'unsupported_media_type');
    assertProblem(await upload(Buffer.alloc(0), 'image/png'), 400, 'invalid_body');
  });

  test('photos are linked at intake in order and listed per message; the handler and the requester read them back', async () => {
    const first = await uploadOk(tinyPng(4, 5), 'image/png', as.citizen!.headers);
    const second = await uploadOk(tinyJpeg(800, 600), 'image/jpeg', as.citizen!.headers);
    const receipt = await submitOk(message({ photos: [ref(second), ref(first)] }), as.citizen!.headers);

    const detail = await caseOf(receipt.caseId, 'handler-housing');
    assert.deepEqual(detail.messages[0]!.photos, [
      { id: second.id, contentType: 'image/jpeg', byteSize: second.byteSize, width: 800, height: 600 },
      { id: first.id, contentType: 'image/png', byteSize: first.byteSize, width: 4, height: 5 },
    ]);
    for (const who of ['handler-housing', 'coordinator', 'auditor', 'citizen']) {
      const photo = await app.inject({
        url: `/api/v1/cases/${receipt.caseId}/photos/${first.id}`,
        headers: as[who]!.headers,
      });
      assert.equal(photo.statusCode, 200, `${who}: ${photo.body}`);
      assert.equal(photo.headers['content-type'], 'image/png');
      assert.equal(photo.headers['cache-control'], 'private, max-age=3600');
      assert.equal(photo.headers['x-content-type-options'], 'nosniff');
      assert.deepEqual(photo.rawPayload, tinyPng(4, 5));
    }
    assert.equal(
      (await caseOf(receipt.caseId, 'citizen')).messages[0]!.photos.length,
      2,
      'the requester sees their own photos',
    );

    // By tracking code: the holder sees the message's photos, listed on the track view.
    const tracked = (await app.inject({ url: `/api/v1/track/${receipt.trackingCode}` })).json<TrackedCaseView>();
    assert.deepEqual(
      tracked.photos.map((photo) => photo.id),
      [second.id, first.id],
    );
    const byCode = await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/photos/${second.id}` });
    assert.equal(byCode.statusCode, 200);
    assert.equal(byCode.headers['content-type'], 'image/jpeg');
    assert.deepEqual(byCode.rawPayload, tinyJpeg(800, 600));
  });

  test('who may not read a photo: another department (403), anonymous without a code (401), another code or case (404), a citizen who is not the requester (403)', async () => {
    const photo = await uploadOk();
    const receipt = await submitOk(message({ photos: [ref(photo)] }));
    const url = `/api/v1/cases/${receipt.caseId}/photos/${photo.id}`;
    assertProblem(await app.inject({ url, headers: as['handler-transport']!.headers }), 403, 'forbidden');
    assertProblem(await app.inject({ url }), 401, 'unauthenticated');
    assertProblem(await app.inject({ url, headers: as.citizen!.headers }), 403, 'forbidden');

    const other = await submitOk(message({ title: '另一条诉求' }));
    assertProblem(
      await app.inject({ url: `/api/v1/track/${other.trackingCode}/photos/${photo.id}` }),
      404,
      'not_found',
    );
    assertProblem(
      await app.inject({
        url: `/api/v1/cases/${other.caseId}/photos/${photo.id}`,
        headers: as['handler-housing']!.headers,
      }),
      404,
      'not_found',
    );
    assertProblem(await app.inject({ url: `/api/v1/track/MX-0000-0000-0/photos/${photo.id}` }), 404, 'not_found');
    // An upload not yet linked is nobody's photo.
    const loose = await uploadOk();
    assertProblem(
      await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/photos/${loose.id}` }),
      404,
      'not_found',
    );
    // Never on the public case listing: the tracked view of another message lists none of these photos.
    assert.deepEqual(
      (await app.inject({ url: `/api/v1/track/${other.trackingCode}` })).json<TrackedCaseView>().photos,
      [],
    );
  });

  test('bad references are 422 naming photos[i]: wrong token, unknown id, a photo already linked, a photo twice, more than five', async () => {
    const photo = await uploadOk();
    const mismatch = assertProblem(
      await submit(message({ photos: [ref(photo), { id: photo.id + 100_000, token: photo.token }] })),
      422,
      'validation_failed',
    );
    assert.deepEqual(
      mismatch.errors?.map((error) => error.path),
      ['photos[1]'],
    );
    const wrongToken = assertProblem(
      await submit(message({ photos: [{ id: photo.id, token: 'x'.repeat(43) }] })),
      422,
      'validation_failed',
    );
    assert.deepEqual(
      wrongToken.errors?.map((error) => error.path),
      ['photos[0]'],
    );
    const twice = assertProblem(await submit(message({ photos: [ref(photo), ref(photo)] })), 422, 'validation_failed');
    assert.deepEqual(
      twice.errors?.map((error) => error.path),
      ['photos[1]'],
    );

    const six = await Promise.all(Array.from({ length: 6 }, () => uploadOk()));
    const tooMany = assertProblem(await submit(message({ photos: six.map(ref) })), 422, 'validation_failed');
    assert.ok(
      tooMany.errors?.some((error) => error.path.endsWith('photos')),
      JSON.stringify(tooMany.errors),
    );

    // None of the failed intakes linked anything: the photo still goes with a good message, and then never again.
    await submitOk(message({ photos: [ref(photo)] }));
    const reuse = assertProblem(
      await submit(message({ title: '再用一次', photos: [ref(photo)] })),
      422,
      'validation_failed',
    );
    assert.deepEqual(reuse.errors, [{ path: 'photos[0]', message: 'this photo is already attached to a message' }]);
  });

  test('a failed intake links nothing; an idempotent replay returns the same receipt', async () => {
    const photo = await uploadOk();
    assertProblem(await submit(message({ communityId: 999_999_999, photos: [ref(photo)] })), 422, 'validation_failed');
    const headers = { 'idempotency-key': `photos-${photo.id}` };
    const first = await submitOk(message({ photos: [ref(photo)] }), headers);
    const replay = await submitOk(message({ photos: [ref(photo)] }), headers);
    assert.deepEqual(replay, first);
    assert.equal((await caseOf(first.caseId, 'handler-housing')).messages[0]!.photos.length, 1);
  });

  test('the cleanup removes uploads never attached after 24 hours and leaves attached ones alone', async () => {
    const stale = await uploadOk();
    const kept = await uploadOk();
    const receipt = await submitOk(message({ photos: [ref(kept)] }));
    const young = await cleanupUnlinkedPhotos(deps, {
      now: new Date(clock.now().getTime() + 23 * 3_600_000),
      regionId: city.regionId,
    });
    assert.equal(young.deleted, 0, 'nothing is younger than a day… yet');
    const report = await cleanupUnlinkedPhotos(deps, {
      now: new Date(clock.now().getTime() + 25 * 3_600_000),
      regionId: city.regionId,
      batchSize: 2,
    });
    assert.ok(report.deleted >= 1);
    const gone = assertProblem(await submit(message({ photos: [ref(stale)] })), 422, 'validation_failed');
    assert.deepEqual(
      gone.errors?.map((error) => error.path),
      ['photos[0]'],
    );
    const photo = await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/photos/${kept.id}` });
    assert.equal(photo.statusCode, 200);
    assert.equal(
      (
        await cleanupUnlinkedPhotos(deps, {
          now: new Date(clock.now().getTime() + 25 * 3_600_000),
          regionId: city.regionId,
        })
      ).deleted,
      0,
    );
  });
});

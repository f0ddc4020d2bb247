import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { VoicesTables } from '../cases/voices.table.ts';
import type { PhotoType } from './image-type.ts';
import type { Photo, PhotoMeta } from './attachment.ts';
import type { AttachmentTable, AttachmentTables } from './attachment.table.ts';

/** A database or an open transaction. */
type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables & AttachmentTables> =>
  db.withTables<VoicesTables & AttachmentTables>();

/** Every column but the bytes: lists never drag megabytes out of TOAST. */
const META = ['id', 'message_id', 'content_type', 'byte_size', 'width', 'height', 'created_at'] as const;

const toMeta = (row: Pick<Selectable<AttachmentTable>, (typeof META)[number]>): PhotoMeta => ({
  id: Number(row.id),
  messageId: row.message_id === null ? null : Number(row.message_id),
  contentType: row.content_type as PhotoType,
  byteSize: Number(row.byte_size),
  width: row.width,
  height: row.height,
  createdAt: new Date(row.created_at),
});

export interface NewAttachment {
  readonly sha256: string;
  readonly contentType: PhotoType;
  readonly width: number | null;
  readonly height: number | null;
  readonly bytes: Uint8Array;
  readonly tokenHash: string;
  readonly createdAt: Date;
}

export async function insertAttachment(db: Executor, regionId: number, fields: NewAttachment): Promise<PhotoMeta> {
  const row = await tables(db)
    .insertInto('attachments')
    .values({
      region_id: regionId,
      message_id: null,
      position: null,
      sha256: fields.sha256,
      content_type: fields.contentType,
      byte_size: fields.bytes.length,
      width: fields.width,
      height: fields.height,
      bytes: fields.bytes,
      token_hash: fields.tokenHash,
      created_at: fields.createdAt,
      linked_at: null,
    })
    .returning(META)
    .executeTakeFirstOrThrow();
  return toMeta(row);
}

/** What the intake needs to check a reference: whether it is linked and whose token it takes. */
export interface AttachmentClaim {
  readonly id: number;
  readonly linked: boolean;
  readonly tokenHash: string;
}

export async function findClaims(
  db: Executor,
  regionId: number,
  ids: readonly number[],
): Promise<Map<number, AttachmentClaim>> {
  if (ids.length === 0) return new Map();
  const rows = await tables(db)
    .selectFrom('attachments')
    .select(['id', 'message_id', 'token_hash'])
    .where('region_id', '=', regionId)
    .where('id', 'in', [...ids])
    .execute();
  return new Map(
    rows.map((row) => [
      Number(row.id),
      { id: Number(row.id), linked: row.message_id !== null, tokenHash: row.token_hash },
    ]),
  );
}

/**
 * Links an unlinked upload to its message if the token still matches; false
 * when someone linked it (or the cleanup removed it) meanwhile. The row lock
 * taken here makes two intakes racing for one photo serialise: the second
 * sees `message_id` set and links nothing.
 */
export async function linkAttachment(
  db: Executor,
  regionId: number,
  link: { id: number; tokenHash: string; messageId: number; position: number; at: Date },
): Promise<boolean> {
  const result = await tables(db)
    .updateTable('attachments')
    .set({ message_id: link.messageId, position: link.position, linked_at: link.at })
    .where('region_id', '=', regionId)
    .where('id', '=', link.id)
    .where('token_hash', '=', link.tokenHash)
    .where('message_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The photos of some messages, in their order, without bytes. */
export async function listPhotosOfMessages(
  db: Executor,
  regionId: number,
  messageIds: readonly number[],
): Promise<PhotoMeta[]> {
  if (messageIds.length === 0) return [];
  const rows = await tables(db)
    .selectFrom('attachments')
    .select(META)
    .where('region_id', '=', regionId)
    .where('message_id', 'in', [...messageIds])
    .orderBy('message_id')
    .orderBy('position')
    .execute();
  return rows.map(toMeta);
}

/** One linked photo with its bytes, with the message it belongs to (case and requester), for the reader's checks. */
export async function findLinkedPhoto(
  db: Executor,
  regionId: number,
  id: number,
): Promise<{ photo: Photo; caseId: number; requesterUserId: number | null } | undefined> {
  const row = await tables(db)
    .selectFrom('attachments as a')
    .innerJoin('messages as m', (join) =>
      join.onRef('m.region_id', '=', 'a.region_id').onRef('m.id', '=', 'a.message_id'),
    )
    .select([
      'a.id',
      'a.message_id',
      'a.content_type',
      'a.byte_size',
      'a.width',
      'a.height',
      'a.created_at',
      'a.sha256',
      'a.bytes',
      'm.case_id',
      'm.requester_user_id',
    ])
    .where('a.region_id', '=', regionId)
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const bytes = row.bytes;
  return {
    photo: {
      ...toMeta(row),
      sha256: row.sha256,
      bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    },
    caseId: Number(row.case_id),
    requesterUserId: row.requester_user_id === null ? null : Number(row.requester_user_id),
  };
}

/**
 * Deletes up to `limit` uploads of the city that were never linked and were
 * made before `before`; returns how many went. Linked photos are never
 * touched: the condition is re-checked by the delete itself.
 */
export async function deleteUnlinked(db: Executor, regionId: number, before: Date, limit: number): Promise<number> {
  const stale = tables(db)
    .selectFrom('attachments')
    .select('id')
    .where('region_id', '=', regionId)
    .where('message_id', 'is', null)
    .where('created_at', '<', before)
    .limit(limit);
  const result = await tables(db)
    .deleteFrom('attachments')
    .where('region_id', '=', regionId)
    .where('message_id', 'is', null)
    .where('id', 'in', stale)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Every city (the cleanup goes city by city, as rows are keyed). */
export async function listCityIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('regions').select('id').where('level', '=', 'city').orderBy('id').execute();
  return rows.map((row) => Number(row.id));
}

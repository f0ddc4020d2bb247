import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.ts';

type Executor = Kysely<Database>;

export interface StoredSession {
  readonly id: number;
  readonly userId: number;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

export async function insertSession(
  db: Executor,
  regionId: number,
  session: { tokenHash: string; userId: number; csrfToken: string; ip: string | null; expiresAt: Date },
): Promise<number> {
  const row = await db
    .insertInto('sessions')
    .values({
      region_id: regionId,
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      ip: session.ip,
      expires_at: session.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findSession(db: Executor, regionId: number, tokenHash: string): Promise<StoredSession | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'csrf_token', 'expires_at', 'revoked_at'])
    .where('region_id', '=', regionId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { id: row.id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at, revokedAt: row.revoked_at };
}

export async function revokeSession(db: Executor, regionId: number, id: number, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('region_id', '=', regionId).where('id', '=', id).execute();
}

/** Ends every session of a user (after a password reset or when the account is disabled). */
export async function revokeUserSessions(db: Executor, regionId: number, userId: number, now: Date, exceptId?: number): Promise<void> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('region_id', '=', regionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  await query.execute();
}

export interface StoredApiToken {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

const tokenColumns = ['id', 'user_id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;

function toApiToken(row: {
  id: number;
  user_id: number;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): StoredApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function insertApiToken(
  db: Executor,
  regionId: number,
  token: { userId: number; name: string; tokenHash: string; prefix: string; expiresAt: Date | null; now: Date },
): Promise<StoredApiToken> {
  const row = await db
    .insertInto('api_tokens')
    .values({
      region_id: regionId,
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      prefix: token.prefix,
      expires_at: token.expiresAt,
      created_at: token.now,
    })
    .returning(tokenColumns)
    .executeTakeFirstOrThrow();
  return toApiToken(row);
}

export async function listApiTokens(db: Executor, regionId: number, userId: number): Promise<StoredApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('region_id', '=', regionId)
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiToken);
}

export async function findApiTokenByHash(db: Executor, regionId: number, tokenHash: string): Promise<StoredApiToken | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('region_id', '=', regionId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && toApiToken(row);
}

export async function revokeApiToken(db: Executor, regionId: number, userId: number, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('region_id', '=', regionId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function touchApiToken(db: Executor, regionId: number, id: number, now: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('region_id', '=', regionId).where('id', '=', id).execute();
}

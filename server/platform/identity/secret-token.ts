import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets handed to clients (session cookies, API tokens) carry the city id
 * in clear so the server can find the row by (region_id, token_hash) without
 * a cross-city lookup; only the SHA-256 of the random part is stored.
 */
export interface IssuedSecret {
  readonly secret: string;
  readonly hash: string;
  /** Non-secret start of the token shown in lists so people can tell tokens apart. */
  readonly prefix: string;
}

export function issueSecret(kind: 'session' | 'api', regionId: number): IssuedSecret {
  const random = randomBytes(32).toString('base64url');
  const tag = kind === 'api' ? 'mxt' : 'mxs';
  const secret = `${tag}_${regionId}_${random}`;
  return { secret, hash: hashSecret(random), prefix: `${tag}_${regionId}_${random.slice(0, 6)}` };
}

/** Splits a presented secret; undefined when it is not one of ours. */
export function parseSecret(kind: 'session' | 'api', secret: string): { regionId: number; hash: string } | undefined {
  const match = /^(mxs|mxt)_(\d{1,15})_([A-Za-z0-9_-]{43})$/.exec(secret);
  if (!match || match[1] !== (kind === 'api' ? 'mxt' : 'mxs')) return undefined;
  return { regionId: Number(match[2]), hash: hashSecret(match[3]!) };
}

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Random value for CSRF tokens. */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time string comparison for CSRF tokens. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

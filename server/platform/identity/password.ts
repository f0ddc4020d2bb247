import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's second recommended setting (19 MiB, 2 passes): strong
 * enough for staff accounts and about 30 ms on one core of a small server.
 */
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id: a const enum, unusable under type stripping */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real check when the user does not exist, so
 * response times do not reveal which usernames are taken.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('minxin-dummy-password');
  await verifyPassword(await dummyHash, password);
  return false;
}

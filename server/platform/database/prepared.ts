import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';

const MARK = '/* prepared */ ';

/**
 * Put first in a hot statement (`sql\`${prepared}with …\``) to have the
 * PostgreSQL server parse and plan it once per connection instead of on
 * every call: the statement is sent as a named prepared statement, named by
 * a digest of its text, so only its parameters travel afterwards. Meant for
 * statements whose text has a few fixed shapes (values are parameters, never
 * spliced in): each shape stays prepared on each pooled connection. On
 * PGlite it is only a comment.
 */
export const prepared = sql.raw(MARK);

/** The pg client of the server pool: marked statements go as named prepared statements. */
export class PreparingClient extends pg.Client {
  // pg's `query` has many overloads; this forwards every call unchanged but the marked text ones.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && text.startsWith(MARK) && args.length <= 2) {
      const name = `mx_${createHash('sha1').update(text).digest('base64url')}`;
      return super.query({ name, text, values: values as unknown[] | undefined }) as never;
    }
    return (super.query as (...forwarded: unknown[]) => unknown)(...args) as never;
  }
}

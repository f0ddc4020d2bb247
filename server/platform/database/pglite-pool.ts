import { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** Parsers shared with the server driver so both return the same JavaScript values. */
export const PGLITE_PARSERS = {
  20: (value: string) => Number(value), // int8: ids and counts stay below 2^53
  1082: (value: string) => value, // date: keep 'YYYY-MM-DD', no time-zone shift
  // bytea as a Buffer, like `pg`; PGlite's own parser builds it byte by byte (seconds for a 5 MB photo).
  17: (value: string) => Buffer.from(value.slice(2), 'hex'),
};

/**
 * bytea parameters go to PGlite as binary (a Uint8Array is sent as is)
 * instead of PGlite's default hex text, built one byte at a time.
 */
export const PGLITE_SERIALIZERS = {
  // PGlite's type says a serializer returns text; its bind step sends a returned Uint8Array as binary.
  17: (value: unknown) => value as string,
};

/**
 * Makes an embedded PGlite database look like a `pg` pool to Kysely.
 *
 * PGlite is a single connection, so `connect()` hands it to one caller at a
 * time: a transaction (BEGIN … COMMIT on the lent client) never interleaves
 * with another request's statements. Code inside a transaction must use its
 * `trx`, exactly as it must with a real pool.
 */
export class PGlitePool implements PostgresPool {
  readonly #db: PGlite;
  readonly options = {};
  #queue: Promise<void> = Promise.resolve();

  constructor(db: PGlite) {
    this.#db = db;
  }

  /** Opens (or creates) the database in `dataDir`; in memory when it is undefined. */
  static async open(dataDir: string | undefined): Promise<PGlitePool> {
    const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: PGLITE_PARSERS, serializers: PGLITE_SERIALIZERS });
    return new PGlitePool(db);
  }

  get database(): PGlite {
    return this.#db;
  }

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => turn);
    await previous;
    const db = this.#db;
    let released = false;
    const client = {
      async query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
        const result = await db.query<R>(sql, parameters as unknown[]);
        return {
          command: (result as { command?: string }).command as PostgresQueryResult<R>['command'],
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    };
    return client as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.#queue;
    await this.#db.close();
  }
}

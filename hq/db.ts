/**
 * The HQ receiver's database handle: a small `Sql` interface with two implementations,
 * node-postgres (a `pg.Pool` on a connection string: how HQ runs in production and scales
 * out to several receiver processes) and PGlite (PostgreSQL in WASM, file-backed or in
 * memory: `npm run hq` with no server, and the fast tests).
 *
 * Both speak the same SQL. Values come back as `unknown`: int8 is a string in node-postgres
 * and may be a number or bigint in PGlite, bytea a Buffer or a Uint8Array, so readers go
 * through `toNumber` / `toBytes`.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

/** What a statement can run on: the pool itself, or one transaction's connection. */
export interface SqlExecutor {
  query(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Sql extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PostgresSqlOptions {
  /** Pool size; a few connections are plenty for one receiver process. */
  maxConnections?: number;
}

export function createPostgresSql(connectionString: string, options: PostgresSqlOptions = {}): Sql {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 8 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const run = async (runner: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[] = []): Promise<Row[]> => {
    const result = await runner.query<Row>(text, [...params]);
    return result.rows;
  };
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await fn({ query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * PGlite in `dataDir` (created when missing), or in memory when `dataDir` is undefined.
 * A fresh instance runs initdb in WASM (6–7 s); reopening a data dir takes about 1 s.
 * PGlite has one connection: its transactions are serialised by PGlite itself.
 */
export async function createPgliteSql(dataDir?: string): Promise<Sql> {
  const db = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    async query(text, params = []) {
      const result = await db.query<Row>(text, [...params]);
      return result.rows;
    },
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return db.transaction((tx) =>
        fn({
          async query(text, params = []) {
            const result = await tx.query<Row>(text, [...params]);
            return result.rows;
          },
        }),
      );
    },
    close: () => db.close(),
  };
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  throw new TypeError(`expected a number from the database, got ${typeof value}`);
}

export function toBytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`expected bytes from the database, got ${typeof value}`);
}

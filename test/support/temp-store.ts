/** Test fixtures: each test gets its own data dir with a real SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/main/station/db/open-database.ts';
import { prepareStatements } from '../../src/main/station/ingest/statements.ts';
import type { Store } from '../../src/main/station/ingest/write-session.ts';

export interface TempStore extends Store {
  dir: string;
  file: string;
  close: () => void;
}

export function makeTempDir(prefix = 'wellos-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function openTempStore(): TempStore {
  const dir = makeTempDir();
  const file = join(dir, 'station.db');
  const { db } = openDatabase(file);
  return {
    db,
    stmts: prepareStatements(db),
    dir,
    file,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

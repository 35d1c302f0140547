import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../errors/store-error.js';

/** The better-sqlite3 constructor. */
export type SqliteDriver = typeof BetterSqlite3;

let driver: SqliteDriver | undefined;

/**
 * Loads better-sqlite3 on first use, so a program that never opens a SQLite store never loads
 * the native module (and runs where it is not built).
 *
 * @throws {@link StoreError} `STORE_UNAVAILABLE` when the module is missing or was built for
 *   another Node.js (its `NODE_MODULE_VERSION` differs), saying how to rebuild it.
 */
export function loadSqliteDriver(): SqliteDriver {
  if (driver) return driver;
  try {
    driver = createRequire(import.meta.url)('better-sqlite3') as SqliteDriver;
    return driver;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const abi = /NODE_MODULE_VERSION/.test(message);
    throw new StoreError(
      'STORE_UNAVAILABLE',
      abi
        ? `The SQLite store needs better-sqlite3 built for this Node.js (${process.version}, ` +
            `ABI ${process.versions.modules}); it was built for another one. ` +
            'Run `npm rebuild better-sqlite3` with this Node.js first on PATH.'
        : 'The SQLite store needs the package better-sqlite3 (12.x), which could not be ' +
            'loaded: run `npm install better-sqlite3@12` (it builds with python3, make and a C++ ' +
            'compiler when no prebuilt binary fits).',
      { cause: error },
    );
  }
}

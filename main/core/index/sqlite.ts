// One place chooses the SQLite binding: better-sqlite3 12.x under Node 20 (Node-API 9) and
// 13.x ("better-sqlite3-napi") inside Electron 45 (Node-API 10). 13.x segfaults on Node 20;
// 12.x built for Node >= 24 headers aborts under GC pressure. See ../shared/STACK.md.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;
export type Statement = BetterSqlite3.Statement;
type DatabaseConstructor = typeof BetterSqlite3;

let ctor: DatabaseConstructor | null = null;

export function sqliteModuleName(): 'better-sqlite3' | 'better-sqlite3-napi' {
  return Number(process.versions.napi ?? 0) >= 10 ? 'better-sqlite3-napi' : 'better-sqlite3';
}

export function loadSqlite(): DatabaseConstructor {
  if (!ctor) {
    const require = createRequire(import.meta.url);
    ctor = require(sqliteModuleName()) as DatabaseConstructor;
  }
  return ctor;
}

export function openSqlite(file: string, opts: { readonly?: boolean } = {}): Database {
  const Ctor = loadSqlite();
  return new Ctor(file, { readonly: opts.readonly ?? false, timeout: 10_000 });
}

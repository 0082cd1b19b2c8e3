// The part of a better-sqlite3 Database the symbol-folder store uses, stated structurally so
// this stage does not depend on core/index (which comes after it in the data flow) nor on the
// binding's type package. A better-sqlite3 `Database` satisfies it.

export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqlStatement {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
  exec(sql: string): unknown;
  transaction(fn: () => void): () => void;
}

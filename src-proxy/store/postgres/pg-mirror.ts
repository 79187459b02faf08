/**
 * The team store's configuration mirror: PostgreSQL's configuration tables copied into an
 * in-memory SQLite database, which the ordinary repositories read and write synchronously (so the
 * request path never waits on the network). Both databases have the same columns (the two
 * migration lists), so rows are copied by column name.
 *
 * - pull: PostgreSQL → memory, per table: changed rows upserted, missing rows deleted (never a
 *   wholesale delete: the mirror's foreign keys would cascade).
 * - push: memory → PostgreSQL, per table: rows that differ from what was last seen in PostgreSQL
 *   are upserted, rows gone are deleted, all in one transaction; other instances are told which
 *   tables changed (NOTIFY), and pull them.
 * A row changed here and elsewhere at once: the last push wins (per row, not per table).
 */
import type pg from 'pg';
import type { SqliteDatabase } from '../database.ts';

export interface MirroredTable {
  name: string;
  key: readonly string[];
}

/** Parents before children (foreign keys): upserts go in this order, deletes in reverse. */
export const MIRRORED_TABLES: readonly MirroredTable[] = [
  { name: 'providers', key: ['id'] },
  { name: 'provider_keys', key: ['id'] },
  { name: 'aliases', key: ['alias'] },
  { name: 'alias_targets', key: ['alias', 'position'] },
  { name: 'client_tokens', key: ['id'] },
  { name: 'settings', key: ['key'] },
  { name: 'discovered_models', key: ['provider_id', 'model'] },
  { name: 'model_metadata_overrides', key: ['provider_id', 'model'] },
  { name: 'prices', key: ['model'] },
  { name: 'app_secrets', key: ['name'] },
  { name: 'app_state', key: ['name'] },
  // Spend is pushed as increments (pg-spend.ts), never as totals: only pulled here.
  { name: 'client_spend', key: ['client', 'period'] },
];

export const PUSHED_TABLES = new Set(MIRRORED_TABLES.map((table) => table.name).filter((name) => name !== 'client_spend'));

type Row = Record<string, unknown>;

/** A row's stable text for comparison (Buffers as hex, columns in one order). */
function fingerprint(row: Row, columns: readonly string[]): string {
  return JSON.stringify(columns.map((column) => {
    const value = row[column];
    return Buffer.isBuffer(value) ? `\u0000${value.toString('hex')}` : value;
  }));
}

export interface TableMirror {
  /** PostgreSQL → memory for these tables (all when omitted). */
  pull(client: pg.ClientBase, tables?: readonly string[]): Promise<void>;
  /** Memory → PostgreSQL for these tables, in one transaction with a NOTIFY; returns the tables that changed. */
  push(client: pg.ClientBase, tables: readonly string[], notify: (changed: string[]) => Promise<void>): Promise<string[]>;
}

export function createTableMirror(db: SqliteDatabase): TableMirror {
  const columns = new Map<string, string[]>();
  for (const table of MIRRORED_TABLES) {
    columns.set(table.name, (db.prepare(`PRAGMA table_info(${table.name})`).all() as Array<{ name: string }>).map((column) => column.name));
  }
  /** What PostgreSQL held when last seen, per table: key → fingerprint. */
  const seen = new Map<string, Map<string, string>>();

  const keyOf = (table: MirroredTable, row: Row) => JSON.stringify(table.key.map((column) => row[column]));
  const localRows = (table: MirroredTable): Row[] => db.prepare(`SELECT ${columns.get(table.name)!.join(', ')} FROM ${table.name}`).all() as Row[];

  function byKey(table: MirroredTable, rows: Row[]): Map<string, { row: Row; print: string }> {
    const cols = columns.get(table.name)!;
    return new Map(rows.map((row) => [keyOf(table, row), { row, print: fingerprint(row, cols) }]));
  }

  function upsertSql(table: MirroredTable, placeholder: (index: number) => string): string {
    const cols = columns.get(table.name)!;
    const updates = cols.filter((column) => !table.key.includes(column)).map((column) => `${column} = excluded.${column}`);
    return `INSERT INTO ${table.name} (${cols.join(', ')}) VALUES (${cols.map((_, index) => placeholder(index)).join(', ')})
      ON CONFLICT (${table.key.join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
  }

  const deleteSql = (table: MirroredTable, placeholder: (index: number) => string) =>
    `DELETE FROM ${table.name} WHERE ${table.key.map((column, index) => `${column} = ${placeholder(index)}`).join(' AND ')}`;

  const selected = (names?: readonly string[]) => MIRRORED_TABLES.filter((table) => !names || names.includes(table.name));

  return {
    async pull(client, names) {
      const tables = selected(names);
      const remote = new Map<string, Row[]>();
      // One snapshot of every table: REPEATABLE READ, so rows of a half-seen push never mix in.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        for (const table of tables) remote.set(table.name, (await client.query<Row>(`SELECT ${columns.get(table.name)!.join(', ')} FROM ${table.name}`)).rows);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      const apply = db.transaction(() => {
        const plans = tables.map((table) => {
          const theirs = byKey(table, remote.get(table.name)!);
          const ours = byKey(table, localRows(table));
          return { table, theirs, ours };
        });
        // Children first for deletes, parents first for upserts.
        for (const { table, theirs, ours } of [...plans].reverse()) {
          const remove = db.prepare(deleteSql(table, () => '?'));
          for (const [key, { row }] of ours) if (!theirs.has(key)) remove.run(...table.key.map((column) => row[column]));
        }
        for (const { table, theirs, ours } of plans) {
          const upsert = db.prepare(upsertSql(table, () => '?'));
          const cols = columns.get(table.name)!;
          for (const [key, { row, print }] of theirs) if (ours.get(key)?.print !== print) upsert.run(...cols.map((column) => row[column]));
          seen.set(table.name, new Map([...theirs].map(([key, value]) => [key, value.print])));
        }
      });
      apply.immediate();
    },

    async push(client, names, notify) {
      const tables = selected(names).filter((table) => PUSHED_TABLES.has(table.name));
      const plans = tables.map((table) => {
        const ours = byKey(table, localRows(table));
        const theirs = seen.get(table.name) ?? new Map<string, string>();
        const upserts = [...ours.values()].filter(({ row, print }) => theirs.get(keyOf(table, row)) !== print).map(({ row }) => row);
        const deletes = [...theirs.keys()].filter((key) => !ours.has(key)).map((key) => JSON.parse(key) as unknown[]);
        return { table, ours, upserts, deletes };
      });
      const changed = plans.filter((plan) => plan.upserts.length > 0 || plan.deletes.length > 0);
      if (changed.length === 0) return [];
      await client.query('BEGIN');
      try {
        for (const { table, deletes } of [...changed].reverse()) {
          for (const key of deletes) await client.query(deleteSql(table, (index) => `$${index + 1}`), key);
        }
        for (const { table, upserts } of changed) {
          const cols = columns.get(table.name)!;
          const sql = upsertSql(table, (index) => `$${index + 1}`);
          for (const row of upserts) await client.query(sql, cols.map((column) => row[column]));
        }
        await notify(changed.map((plan) => plan.table.name));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      for (const { table, ours } of changed) seen.set(table.name, new Map([...ours].map(([key, value]) => [key, value.print])));
      return changed.map((plan) => plan.table.name);
    },
  };
}

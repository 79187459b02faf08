/**
 * The team store's configuration mirror: PostgreSQL's configuration tables copied into an
 * in-memory SQLite database, which the ordinary repositories read and write synchronously (so the
 * request path never waits on the network). Both databases have the same columns (the two
 * migration lists), so rows are copied by column name.
 *
 * - pull: PostgreSQL → memory, per table: changed rows upserted, missing rows deleted (never a
 *   wholesale delete: the mirror's foreign keys would cascade).
 * - push: memory → PostgreSQL, per table: the columns that differ from what was last seen in
 *   PostgreSQL are updated, new rows inserted, rows gone deleted, all in one transaction; other
 *   instances are told which tables changed (NOTIFY), and pull them.
 * One column changed here and elsewhere at once: the last push wins (per column, not per row).
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

const sameValue = (a: unknown, b: unknown): boolean => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b);

export interface TableMirror {
  /** PostgreSQL → memory for these tables (all when omitted). */
  pull(client: pg.ClientBase, tables?: readonly string[]): Promise<void>;
  /** Memory → PostgreSQL for these tables, in one transaction with a NOTIFY; returns the tables that changed. */
  push(client: pg.ClientBase, tables: readonly string[], notify: (changed: string[]) => Promise<void>): Promise<string[]>;
}

/**
 * Rows are merged per column against the base — what PostgreSQL held when this instance last
 * pulled or pushed the row: a column changed here goes out (push) and survives a pull, a column
 * changed elsewhere comes in. So a key's last use written here never undoes an edit of the same
 * key made on another instance, and a row added here while a pull reads its snapshot is kept
 * for the push that follows. The same column changed on both sides: the last push wins.
 */
export function createTableMirror(db: SqliteDatabase): TableMirror {
  const columns = new Map<string, string[]>();
  for (const table of MIRRORED_TABLES) {
    columns.set(table.name, (db.prepare(`PRAGMA table_info(${table.name})`).all() as Array<{ name: string }>).map((column) => column.name));
  }
  /** The base: PostgreSQL's rows when last seen, per table, by key. */
  const seen = new Map<string, Map<string, Row>>();

  const keyOf = (table: MirroredTable, row: Row) => JSON.stringify(table.key.map((column) => row[column]));
  const localRows = (table: MirroredTable): Row[] => db.prepare(`SELECT ${columns.get(table.name)!.join(', ')} FROM ${table.name}`).all() as Row[];
  const byKey = (table: MirroredTable, rows: Row[]) => new Map(rows.map((row) => [keyOf(table, row), row]));
  const changedColumns = (table: MirroredTable, row: Row, base: Row) => columns.get(table.name)!.filter((column) => !sameValue(row[column], base[column]));

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
        const plans = tables.map((table) => ({ table, theirs: byKey(table, remote.get(table.name)!), ours: byKey(table, localRows(table)), base: seen.get(table.name) }));
        // Children first for deletes, parents first for upserts.
        for (const { table, theirs, ours, base } of [...plans].reverse()) {
          const remove = db.prepare(deleteSql(table, () => '?'));
          for (const [key, mine] of ours) {
            if (theirs.has(key)) continue;
            // Gone there: deleted elsewhere, unless it is new here or changed here since (then it goes out again).
            const was = base?.get(key);
            if (base && (!was || changedColumns(table, mine, was).length > 0)) continue;
            remove.run(...table.key.map((column) => mine[column]));
          }
        }
        for (const { table, theirs, ours, base } of plans) {
          const upsert = db.prepare(upsertSql(table, () => '?'));
          const cols = columns.get(table.name)!;
          for (const [key, their] of theirs) {
            const mine = ours.get(key);
            const was = base?.get(key);
            let next: Row = their;
            if (base && mine && was) {
              // Theirs where this instance left the column as it was; ours where it changed it.
              next = { ...mine };
              for (const column of cols) if (sameValue(mine[column], was[column])) next[column] = their[column];
            } else if (base && (mine || was)) {
              // Deleted here since (was, no mine), or added on both sides at once (mine, no was): ours goes out.
              continue;
            }
            if (mine && changedColumns(table, next, mine).length === 0) continue;
            upsert.run(...cols.map((column) => next[column]));
          }
          seen.set(table.name, theirs);
        }
      });
      apply.immediate();
    },

    async push(client, names, notify) {
      const tables = selected(names).filter((table) => PUSHED_TABLES.has(table.name));
      const plans = tables.map((table) => {
        const ours = byKey(table, localRows(table));
        const base = seen.get(table.name) ?? new Map<string, Row>();
        const inserts: Row[] = [];
        const updates: Array<{ row: Row; changed: string[] }> = [];
        for (const [key, row] of ours) {
          const was = base.get(key);
          if (!was) inserts.push(row);
          else {
            const changed = changedColumns(table, row, was);
            if (changed.length > 0) updates.push({ row, changed });
          }
        }
        const deletes = [...base.keys()].filter((key) => !ours.has(key)).map((key) => JSON.parse(key) as unknown[]);
        return { table, ours, inserts, updates, deletes };
      });
      const changed = plans.filter((plan) => plan.inserts.length + plan.updates.length + plan.deletes.length > 0);
      if (changed.length === 0) return [];
      await client.query('BEGIN');
      try {
        for (const { table, deletes } of [...changed].reverse()) {
          for (const key of deletes) await client.query(deleteSql(table, (index) => `$${index + 1}`), key);
        }
        for (const { table, inserts, updates } of changed) {
          const cols = columns.get(table.name)!;
          const upsert = upsertSql(table, (index) => `$${index + 1}`);
          for (const row of inserts) await client.query(upsert, cols.map((column) => row[column]));
          for (const { row, changed: set } of updates) {
            // Only the columns changed here: another instance's edit of the others stands.
            const sql = `UPDATE ${table.name} SET ${set.map((column, index) => `${column} = $${index + 1}`).join(', ')}
              WHERE ${table.key.map((column, index) => `${column} = $${set.length + index + 1}`).join(' AND ')}`;
            const result = await client.query(sql, [...set.map((column) => row[column]), ...table.key.map((column) => row[column])]);
            // Deleted elsewhere meanwhile, changed here: the row goes back whole.
            if (result.rowCount === 0) await client.query(upsert, cols.map((column) => row[column]));
          }
        }
        await notify(changed.map((plan) => plan.table.name));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      for (const { table, ours } of changed) seen.set(table.name, ours);
      return changed.map((plan) => plan.table.name);
    },
  };
}

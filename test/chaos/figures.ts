/**
 * The chaos suite's figures: each probe reports how many attacks or faults it tried, how many
 * the gateway held against, and how many must hold. `CHAOS_SCALE=full` (npm run test:chaos) runs
 * the sizes; the default short form (in npm test) runs each probe smaller.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  probe: string;
  tried: number;
  held: number;
  /** How many must hold (every one, unless the probe says otherwise). */
  needed: number;
  detail: string;
}

export const FULL = process.env.CHAOS_SCALE === 'full';

export function scale<T>(short: T, full: T): T {
  return FULL ? full : short;
}

export function passes(figure: Figure): boolean {
  return figure.tried > 0 && figure.held >= figure.needed;
}

export function formatTable(figures: Figure[]): string {
  const rows = [['probe', 'tried', 'held', 'needed', 'result', 'detail'], ...figures.map((f) => [f.probe, String(f.tried), String(f.held), String(f.needed), passes(f) ? 'ok' : 'SHORT', f.detail])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 || column === 5 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [`chaos suite (${FULL ? 'full' : 'short'} form)`, line(rows[0]!), ...rows.slice(1).map(line)].join('\n');
}

/** Where npm run test:chaos finds the figures to print (an ignored folder). */
export const FIGURES_FILE = join(import.meta.dirname, '..', '..', 'test-results', 'chaos-figures.json');

export function saveFigures(figures: Figure[]): void {
  mkdirSync(join(FIGURES_FILE, '..'), { recursive: true });
  writeFileSync(FIGURES_FILE, JSON.stringify({ scale: FULL ? 'full' : 'short', figures }, null, 2));
}

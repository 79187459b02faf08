/**
 * Several processes on one data folder each own a history journal (history/journal-slot.ts): a
 * live owner's journal is never taken, a dead owner's is taken over (and so replayed), and the
 * single-instance name stays `history.journal`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimJournalSlot, journalPath } from '../../src-proxy/history/journal-slot.ts';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('history journal slots', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-journal-slot-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the first owner history.journal and the next ones their own file, freed on release', () => {
    const dir = dataDir();
    const first = claimJournalSlot(dir);
    const second = claimJournalSlot(dir);
    expect(first.path).toBe(join(dir, 'history.journal'));
    expect(second.path).toBe(join(dir, 'history-1.journal'));
    expect(readFileSync(`${first.path}.owner`, 'utf8')).toBe(String(process.pid));
    first.release();
    expect(existsSync(`${first.path}.owner`)).toBe(false);
    const third = claimJournalSlot(dir);
    expect(third.path).toBe(first.path);
    second.release();
    third.release();
  });

  it('never takes a journal whose owner is alive', () => {
    const dir = dataDir();
    // The parent of this test process is alive and is not this process.
    writeFileSync(`${journalPath(dir, 0)}.owner`, String(process.ppid));
    const slot = claimJournalSlot(dir);
    expect(slot.path).toBe(journalPath(dir, 1));
    slot.release();
    expect(readFileSync(`${journalPath(dir, 0)}.owner`, 'utf8')).toBe(String(process.ppid));
  });

  it('takes over the journal of a killed owner, and one naming our own pid that we did not write (a restarted container)', () => {
    const dir = dataDir();
    writeFileSync(`${journalPath(dir, 0)}.owner`, String(deadPid()));
    writeFileSync(`${journalPath(dir, 1)}.owner`, String(process.pid));
    const first = claimJournalSlot(dir);
    const second = claimJournalSlot(dir);
    expect([first.path, second.path]).toEqual([journalPath(dir, 0), journalPath(dir, 1)]);
    expect(readFileSync(`${first.path}.owner`, 'utf8')).toBe(String(process.pid));
    first.release();
    second.release();
  });
});

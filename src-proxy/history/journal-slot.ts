/**
 * Which history journal a process writes when several processes share one data folder (two
 * instances of a team on one SQLite file in WAL mode, or a test). Each journal file is owned by
 * one live process, named in an owner file beside it: the first process takes `history.journal`
 * (the name a single instance always used), the next `history-1.journal`, and so on. Without
 * this, one instance emptying the journal after its batch was committed would also erase the rows
 * another instance had journaled but not yet committed.
 *
 * An owner file naming a process that is gone (killed) is taken over, and its journal replayed by
 * the new owner. Our own pid in an owner file that this process did not write is stale too: a
 * container restarts with the same pid. Two processes taking over the same stale slot at the same
 * instant is not guarded against (a restart of both at once after a crash).
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const MAX_SLOTS = 64;
/** Owner files this process holds (in-process twins, such as two gateways in one test). */
const heldHere = new Set<string>();

export interface JournalSlot {
  path: string;
  release(): void;
}

export function journalPath(dataDir: string, slot: number): string {
  return join(dataDir, slot === 0 ? 'history.journal' : `history-${slot}.journal`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(ownerPath: string): boolean {
  try {
    const fd = openSync(ownerPath, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

export function claimJournalSlot(dataDir: string): JournalSlot {
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const path = journalPath(dataDir, slot);
    const ownerPath = `${path}.owner`;
    if (heldHere.has(ownerPath)) continue;
    let claimed = tryCreate(ownerPath);
    if (!claimed) {
      let owner = NaN;
      try {
        owner = Number(readFileSync(ownerPath, 'utf8').trim());
      } catch {
        // Removed meanwhile by its owner: try to create it below.
      }
      if (isAlive(owner)) continue;
      rmSync(ownerPath, { force: true });
      claimed = tryCreate(ownerPath);
    }
    if (!claimed) continue;
    heldHere.add(ownerPath);
    return {
      path,
      release() {
        if (!heldHere.delete(ownerPath)) return;
        rmSync(ownerPath, { force: true });
      },
    };
  }
  throw new Error(`More than ${MAX_SLOTS} processes use the data folder ${dataDir} at once`);
}

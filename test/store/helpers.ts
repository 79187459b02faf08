import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore } from '../../src-proxy/store/create-store.ts';
import type { HistoryRecord } from '../../src-proxy/domain/history.ts';
import type { SqliteStore } from '../../src-proxy/store/types.ts';

const cleanups: Array<() => void> = [];

afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** A fresh folder per test, removed afterwards. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store in a fresh folder, closed after the test. */
export function tempStore(options: { now?: () => number } = {}): { store: SqliteStore; dataDir: string } {
  const dataDir = tempDir();
  const store = openStore({ dataDir, ...options });
  // Before the folder is removed (cleanups run last-in first-out); close() is idempotent.
  cleanups.push(() => store.close());
  return { store, dataDir };
}

let counter = 0;

export function historyRecord(overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  counter += 1;
  return {
    id: `req-${String(counter).padStart(6, '0')}`,
    startedAt: Date.UTC(2025, 5, 1, 12, 0, 0),
    durationMs: 1200,
    ttftMs: 300,
    dialect: 'openai',
    endpoint: '/v1/chat/completions',
    client: 'my-ide',
    requestedModel: 'coder',
    provider: 'openrouter',
    upstreamModel: 'openai/gpt-4o',
    attempts: [{ provider: 'openrouter', model: 'openai/gpt-4o', keyLabel: 'Key 1', status: 200, errorCode: null, durationMs: 1200 }],
    status: 200,
    errorCode: null,
    stream: true,
    inputTokens: 1000,
    outputTokens: 500,
    cache: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    estimated: false,
    errorMessage: null,
    notes: [],
    requestHeaders: null,
    bodies: null,
    ...overrides,
  };
}

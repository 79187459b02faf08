import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src-proxy/cli/cli-io.ts';
import { runHistoryCommand } from '../../src-proxy/cli/history-command.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { historyRecord, tempDir } from '../store/helpers.ts';

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    env,
    out: () => out,
    err: () => err,
  };
}

function dataDirWithHistory(count: number): string {
  const dataDir = tempDir();
  const store = openStore({ dataDir });
  store.history.insertBatch(
    Array.from({ length: count }, (_, i) =>
      historyRecord({ id: `h${String(i).padStart(3, '0')}`, startedAt: Date.UTC(2025, 5, 1) + i * 1000, bodies: { clientRequest: 'prompt text', upstreamRequest: null, response: null }, errorMessage: i === 0 ? 'boom' : null }),
    ),
  );
  store.close();
  return dataDir;
}

describe('switchboard history', () => {
  it('--json prints the newest rows with exactly the documented fields', () => {
    const dataDir = dataDirWithHistory(3);
    const io = capture();
    expect(runHistoryCommand(['--data-dir', dataDir, '--json', '--limit', '2'], io)).toBe(0);
    const rows = JSON.parse(io.out()) as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.id)).toEqual(['h002', 'h001']);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual([
        'id', 'startedAt', 'durationMs', 'ttftMs', 'dialect', 'endpoint', 'client', 'requestedModel', 'provider',
        'upstreamModel', 'attempts', 'status', 'errorCode', 'stream', 'inputTokens', 'outputTokens',
      ]);
    }
  });

  it("--json gives each attempt's upstream protocol as recorded (none on rows from before it was kept)", () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    const attempts = [{ provider: 'cloud', model: 'm', keyLabel: 'Key 1', status: 200, errorCode: null, durationMs: 80, protocol: 'h2' as const }];
    store.history.insertBatch([historyRecord({ id: 'new', startedAt: Date.UTC(2025, 5, 2), attempts }), historyRecord({ id: 'old', startedAt: Date.UTC(2025, 5, 1) })]);
    store.close();
    const io = capture();
    expect(runHistoryCommand(['--data-dir', dataDir, '--json'], io)).toBe(0);
    const rows = JSON.parse(io.out()) as Array<{ id: string; attempts: Array<Record<string, unknown>> }>;
    expect(rows.find((row) => row.id === 'new')?.attempts).toEqual(attempts);
    expect(rows.find((row) => row.id === 'old')?.attempts[0]).not.toHaveProperty('protocol');
  });

  it('prints an aligned table by default, finding the data dir through SWITCHBOARD_DATA_DIR', () => {
    const dataDir = dataDirWithHistory(2);
    const io = capture({ SWITCHBOARD_DATA_DIR: dataDir });
    expect(runHistoryCommand([], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^TIME\s+CLIENT\s+DIALECT\s+MODEL\s+STATUS\s+DURATION\s+TTFT\s+TOKENS IN\/OUT$/);
    expect(lines[1]).toContain('coder → openrouter/openai/gpt-4o');
    expect(lines[1]).toContain('1000/500');
    expect(lines[1]?.indexOf('my-ide')).toBe(lines[0]?.indexOf('CLIENT'));
  });

  it('rejects unknown flags and a bad limit with exit code 2 and the usage', () => {
    const io = capture();
    expect(runHistoryCommand(['--verbose'], io)).toBe(2);
    expect(io.err()).toContain('--verbose');
    expect(io.err()).toContain('Usage: switchboard history');
    expect(runHistoryCommand(['--limit', 'ten'], capture())).toBe(2);
  });

  it('fails with a clear message, creating nothing, when the data dir has no database', () => {
    const io = capture();
    const dataDir = `${tempDir()}/missing`;
    expect(runHistoryCommand(['--data-dir', dataDir], io)).toBe(1);
    expect(io.err()).toContain('No Switchboard data');
  });
});

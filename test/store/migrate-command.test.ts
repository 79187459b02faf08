/**
 * `switchboard migrate --from sqlite:PATH --to postgres://…` against a real PostgreSQL: a
 * laptop's folder (providers with a secret header, keys, aliases, clients, settings, the admin
 * token, history, spend) arrives in an empty team store readable with the team key only, and a
 * second run is refused without copying anything twice. The URL's password is never printed.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { runMigrateCommand } from '../../src-proxy/cli/migrate-command.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { openPostgresStore } from '../../src-proxy/store/postgres/pg-store.ts';
import { createTeamKeyCipher } from '../../src-proxy/store/secret-cipher.ts';
import type { Store } from '../../src-proxy/store/types.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import { historyRecord, tempDir } from './helpers.ts';

function captureIo(env: Record<string, string>) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (text: string) => (out.stdout += text) }, stderr: { write: (text: string) => (out.stderr += text) }, env } };
}

const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe('switchboard migrate', () => {
  it('copies a data folder into an empty team store, secrets sealed again with the team key, and refuses a second run', async () => {
    const dataDir = tempDir();
    const laptop = openStore({ dataDir });
    laptop.providers.create({ id: 'oa', kind: 'openai', baseUrl: 'https://api.openai.com/v1', headers: { 'OpenAI-Organization': 'org-secret-42' } });
    laptop.keys.add('oa', 'sk-proj-laptop-key-0123456789', 'main');
    laptop.aliases.create({ alias: 'coder', targets: [{ provider: 'oa', model: 'gpt-4o' }] });
    const member = laptop.clientTokens.create('alice');
    laptop.settings.update({ historyRetentionDays: 12 });
    laptop.appState.setSecret('adminToken', 'sb-admin-laptop');
    laptop.history.insertBatch([historyRecord({ id: 'laptop-1', bodies: { clientRequest: 'migrate me please', upstreamRequest: null, response: null } }), historyRecord({ id: 'laptop-2' })]);
    laptop.clientSpend.add([{ client: `token:${member.id}`, period: 'life', totals: { requests: 3, inputTokens: 30, outputTokens: 15, costUsd: 1.5, unpricedRequests: 0 } }]);
    laptop.close();

    const url = new URL(await createTestDatabase(inject('postgresUrl')));
    const password = decodeURIComponent(url.password);
    const teamKey = randomBytes(32);
    const env = { SWITCHBOARD_SECRET_KEY: teamKey.toString('hex') };

    const first = captureIo(env);
    expect(await runMigrateCommand(['--from', `sqlite:${dataDir}`, '--to', url.toString()], first.io), first.out.stderr).toBe(0);
    expect(first.out.stdout).toContain('1 providers');
    expect(first.out.stdout).toContain('2 history');
    expect(first.out.stdout + first.out.stderr).not.toContain(password);

    const team = await openPostgresStore({ url: url.toString(), cipher: createTeamKeyCipher(teamKey) });
    opened.push(team);
    expect(team.providers.get('oa')?.headers).toEqual({ 'OpenAI-Organization': 'org-secret-42' });
    expect(team.keys.secretsFor('oa').map((key) => key.reveal())).toEqual(['sk-proj-laptop-key-0123456789']);
    expect(team.aliases.get('coder')?.targets).toMatchObject([{ provider: 'oa', model: 'gpt-4o' }]);
    expect(team.clientTokens.verify(member.token)?.name).toBe('alice');
    expect(team.settings.get().historyRetentionDays).toBe(12);
    expect(team.appState.getSecret('adminToken')).toBe('sb-admin-laptop');
    expect((await team.history.query({ search: 'migrate me' })).rows.map((row) => row.id)).toEqual(['laptop-1']);
    expect(team.clientSpend.read(`token:${member.id}`, ['life'])[0]).toMatchObject({ requests: 3, costUsd: 1.5 });
    // New history continues after the copied rows' sequence numbers.
    await team.history.insertBatch([historyRecord({ id: 'team-1' })]);
    expect((await team.history.query({})).total).toBe(3);

    // The laptop's key file cannot open what the team store holds: it was sealed again.
    const laptopAgain = openStore({ dataDir });
    expect(() => laptopAgain.cipher.decrypt(team.cipher.encrypt('x'))).toThrow();
    laptopAgain.close();

    const second = captureIo(env);
    expect(await runMigrateCommand(['--from', `sqlite:${dataDir}`, '--to', url.toString()], second.io)).toBe(1);
    expect(second.out.stderr).toContain('already holds data');
    expect(second.out.stderr).not.toContain(password);
    expect((await team.history.query({})).total).toBe(3);
    expect(team.providers.list()).toHaveLength(1);
  });

  it('refuses without the team key and with a --from it does not know', async () => {
    const dataDir = tempDir();
    openStore({ dataDir }).close();
    const noKey = captureIo({});
    expect(await runMigrateCommand(['--from', `sqlite:${dataDir}`, '--to', 'postgres://sb:pw-hidden-1@127.0.0.1:1/x'], noKey.io)).toBe(2);
    expect(noKey.out.stderr).toContain('SWITCHBOARD_SECRET_KEY');
    expect(noKey.out.stderr).not.toContain('pw-hidden-1');
    const badFrom = captureIo({});
    expect(await runMigrateCommand(['--from', dataDir, '--to', 'postgres://sb:pw@127.0.0.1:1/x'], badFrom.io)).toBe(2);
    expect(badFrom.out.stderr).toContain('--from sqlite:PATH');
  });
});

/**
 * History's "Copy as curl", run through a real bash: each argument curl would receive is
 * printed by a stand-in `curl` function, so quoting is checked by the shell itself. (The
 * dashboard e2e test runs the copied command for real against a live gateway.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toCurl } from '../../src-renderer/pages/history/curl.ts';

/** The argv bash hands to curl for `command`, with SWITCHBOARD_TOKEN set to `token`. */
function argvOf(command: string, token: string): string[] {
  const script = `curl() { printf '%s\\0' "$@"; }\n${command}\n`;
  const result = spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SWITCHBOARD_TOKEN: token }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bash failed: ${result.stderr}`);
  return result.stdout.split('\0').slice(0, -1);
}

const body = JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: `it's $HOME and \`id\` and "quotes" \\ and $(whoami)` }], stream: true });

describe('copy as curl', () => {
  it('sends the captured body and headers, and the token from $SWITCHBOARD_TOKEN', () => {
    const command = toCurl({
      endpoint: '/v1/chat/completions',
      stream: true,
      requestHeaders: {
        authorization: '[redacted]',
        'content-type': 'application/json',
        'user-agent': 'OpenAI/JS 6.0.0',
        'x-title': 'a $dollar, a `tick` and a \'quote\'',
        host: '127.0.0.1:1',
        'content-length': '99',
        cookie: '[redacted]',
      },
      bodies: { clientRequest: body, upstreamRequest: null, response: null },
    }, 'http://127.0.0.1:11434');
    expect(command).toContain('-H "authorization: Bearer $SWITCHBOARD_TOKEN"');
    expect(command).not.toContain('[redacted]');
    expect(argvOf(command, 'sb-the-real-token')).toEqual([
      '-N',
      'http://127.0.0.1:11434/v1/chat/completions',
      '-H', 'authorization: Bearer sb-the-real-token',
      '-H', 'content-type: application/json',
      '-H', 'user-agent: OpenAI/JS 6.0.0',
      '-H', 'x-title: a $dollar, a `tick` and a \'quote\'',
      '--data-raw', body,
    ]);
  });

  it('puts the token in x-api-key for Anthropic clients and adds no token where none was sent', () => {
    const anthropic = toCurl({ endpoint: '/v1/messages', stream: false, requestHeaders: { 'x-api-key': '[redacted]', 'anthropic-version': '2023-06-01' }, bodies: null }, 'http://127.0.0.1:1');
    expect(argvOf(anthropic, 'tok')).toEqual(['http://127.0.0.1:1/v1/messages', '-H', 'x-api-key: tok', '-H', 'anthropic-version: 2023-06-01']);
    const ollama = toCurl({ endpoint: '/api/chat', stream: false, requestHeaders: null, bodies: { clientRequest: '{"model":"m"}', upstreamRequest: null, response: null } }, 'http://127.0.0.1:1');
    expect(ollama).not.toContain('SWITCHBOARD_TOKEN');
    expect(argvOf(ollama, 'tok')).toEqual(['http://127.0.0.1:1/api/chat', '-H', 'content-type: application/json', '--data-raw', '{"model":"m"}']);
  });
});

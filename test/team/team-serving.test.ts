/**
 * serve's team-only flags: an address beyond loopback, --tls-cert/--tls-key and --trust-proxy are
 * refused on a single instance with what to do instead, and read (files, hops, ranges) in team mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrustProxy, teamServingOf } from '../../src-proxy/cli/team-serving.ts';
import { run } from '../cli/cli-process.ts';
import { makeTestCertificate } from '../fixtures/test-certificate.ts';

describe('team serving flags', () => {
  const certificate = makeTestCertificate({ dns: ['localhost'], ip: ['127.0.0.1'] });
  afterAll(() => certificate.remove());

  it('keeps a single instance on loopback and refuses team-only flags with what to do', () => {
    expect(teamServingOf({}, false)).toEqual({ host: '127.0.0.1' });
    expect(teamServingOf({ host: '::1' }, false)).toEqual({ host: '::1' });
    const wide = teamServingOf({ host: '0.0.0.0' }, false);
    expect('error' in wide && wide.error).toMatch(/refusing to listen on "0\.0\.0\.0": listening beyond loopback is for a team server: run `switchboard serve --store postgres:\/\/…`/);
    const tls = teamServingOf({ 'tls-cert': certificate.certPath, 'tls-key': certificate.keyPath }, false);
    expect('error' in tls && tls.error).toMatch(/^--tls-cert is for a team server/);
    const trust = teamServingOf({ 'trust-proxy': 'true' }, false);
    expect('error' in trust && trust.error).toMatch(/^--trust-proxy is for a team server/);
  });

  it('reads the certificate and key, and how far to trust a proxy, in team mode', () => {
    const served = teamServingOf({ host: '0.0.0.0', 'tls-cert': certificate.certPath, 'tls-key': certificate.keyPath, 'trust-proxy': '10.0.0.0/8, 127.0.0.1' }, true);
    expect(served).toEqual({ host: '0.0.0.0', serving: { tls: { cert: certificate.cert, key: certificate.key }, trustProxy: '10.0.0.0/8, 127.0.0.1' } });
    const half = teamServingOf({ 'tls-cert': certificate.certPath }, true);
    expect('error' in half && half.error).toMatch(/--tls-cert and --tls-key go together/);
    const missing = teamServingOf({ 'tls-cert': '/nonexistent/cert.pem', 'tls-key': certificate.keyPath }, true);
    expect('error' in missing && missing.error).toMatch(/cannot read the TLS certificate or key: .*nonexistent/);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(() => parseTrustProxy('99')).toThrow(/1 to 10 hops/);
    expect(() => parseTrustProxy('lb.internal')).toThrow(/must be true, false, a number of hops or addresses/);
  });

  it('`serve --host 0.0.0.0` on the SQLite store exits 2 and says why', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-team-flags-'));
    try {
      const result = run(['serve', '--data-dir', dataDir, '--host', '0.0.0.0']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/listening beyond loopback is for a team server/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// scripts/lib/build-trust.sh: `npm run up` gives builds the host's CA bundle and proxy, and says so.

const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-trust-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundle = path.join(dir, 'extra.pem');
writeFileSync(bundle, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

/** Runs build_trust_env with only `env` (and PATH) set; what it exported and what it said. */
function run(env: Record<string, string>): { exported: Record<string, string>; said: string } {
  const script = `say() { printf '[berth] %s\\n' "$*" >&2; }; source scripts/lib/build-trust.sh; build_trust_env 2>"$SAID"; env | grep '^BUILD_' || true`;
  const said = path.join(dir, 'said.txt');
  const out = execFileSync('bash', ['-c', script], { env: { PATH: process.env.PATH!, SAID: said, ...env }, encoding: 'utf8' });
  const exported = Object.fromEntries(out.trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { exported, said: execFileSync('cat', [said], { encoding: 'utf8' }) };
}

describe('npm run up: builds get the host network settings', () => {
  it("takes NODE_EXTRA_CA_CERTS and the proxies, says so, and never prints a proxy's password", () => {
    const { exported, said } = run({ NODE_EXTRA_CA_CERTS: bundle, https_proxy: 'http://me:pa55word@10.1.2.3:3128', no_proxy: 'localhost,.corp' });
    expect(exported).toEqual({ BUILD_CA_FILE: bundle, BUILD_HTTPS_PROXY: 'http://me:pa55word@10.1.2.3:3128', BUILD_NO_PROXY: 'localhost,.corp' });
    expect(said).toContain(`builds trust the CA certificates of ${bundle} (BUILD_CA_FILE, from NODE_EXTRA_CA_CERTS)`);
    expect(said).toContain('builds use the proxy http://***@10.1.2.3:3128 (BUILD_HTTPS_PROXY, from https_proxy)');
    expect(said).toContain('builds skip the proxy for localhost,.corp (BUILD_NO_PROXY, from no_proxy)');
    expect(said).not.toContain('pa55word');
  });

  it('keeps values already set, and skips a proxy on loopback (builds cannot reach it), saying why', () => {
    const { exported, said } = run({ BUILD_CA_FILE: '/set/by/operator.pem', NODE_EXTRA_CA_CERTS: bundle, http_proxy: 'http://127.0.0.1:3128' });
    expect(exported).toEqual({ BUILD_CA_FILE: '/set/by/operator.pem' });
    expect(said).toContain("not giving builds the proxy http://127.0.0.1:3128 (http_proxy): it is on this host's loopback");
  });

  it('falls back to the system bundle when NODE_EXTRA_CA_CERTS is unset or unreadable', () => {
    const { exported } = run({ NODE_EXTRA_CA_CERTS: path.join(dir, 'missing.pem') });
    expect(exported.BUILD_CA_FILE).toBe('/etc/ssl/certs/ca-certificates.crt');
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';

const root = repoRoot;
const runtimes = JSON.parse(readFileSync(path.join(root, 'packages/shared/node-runtimes.json'), 'utf8')) as {
  pinned: string;
  majors: Record<string, { version: string }>;
};
const pinned = runtimes.majors[runtimes.pinned]!.version;

describe('the pinned Node runtime', () => {
  it('runs the tests, and every node they start, on the pinned version', () => {
    expect(process.versions.node).toBe(pinned);
    expect(execFileSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()).toBe(pinned);
  });

  it('is what the scripts put first on PATH even when the host node is another major', () => {
    // The host's own node (Debian's, at /usr/bin) first on PATH, as on a fresh machine.
    const hostPath = `/usr/bin:/bin:/usr/local/bin`;
    const host = existsSync('/usr/bin/node') ? execFileSync('/usr/bin/node', ['-v'], { encoding: 'utf8' }).trim() : undefined;
    const out = execFileSync('bash', ['-c', 'source scripts/lib/node-runtime.sh && ensure_node_runtime && node -v && command -v node'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: hostPath, HOME: process.env.HOME ?? '/root' },
    });
    const [version, where] = out.trim().split('\n');
    expect(version).toBe(`v${pinned}`);
    if (host && host !== `v${pinned}`) expect(where).not.toBe('/usr/bin/node');
  });

  it('runs the CLI on it (berth --version)', () => {
    const out = execFileSync('bash', ['scripts/berth.sh', '--version'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(new RegExp(`^berth \\S+ \\(Node v${pinned.replace(/\./g, '\\.')}\\)`));
  });

  it('refuses a checksum that does not match the pinned one', () => {
    const cache = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    const tampered = path.join(cache, 'runtimes.json');
    const json = JSON.parse(readFileSync(path.join(root, 'packages/shared/node-runtimes.json'), 'utf8'));
    json.majors['22'].integrity = 'sha512-AAAA';
    execFileSync('bash', ['-c', `cat > ${tampered}`], { input: JSON.stringify(json) });
    let failure = '';
    try {
      execFileSync('bash', ['-c', `source scripts/lib/node-runtime.sh && RUNTIMES_JSON=${tampered} && node_runtime_dir 22`], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, BERTH_CACHE_DIR: cache },
        stdio: 'pipe',
      });
    } catch (err) {
      failure = String((err as { stderr?: string }).stderr);
    }
    expect(failure).toMatch(/checksum .* expected sha512-AAAA/);
    expect(existsSync(path.join(cache, 'node', `v${runtimes.majors['22']!.version}`, 'bin', 'node'))).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';

// The address `ensure_swarm` (scripts/lib/services.sh) advertises: a swarm made with 127.0.0.1 can never
// be joined by another node (the test node in a container included), and a Docker daemon's first start
// on a machine reports no gateway for its default bridge. The fakes below stand for `docker` and `ip`.
const root = repoRoot;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Host {
  /** What `docker network inspect bridge` reports for the gateway and the subnet. */
  gateway: string;
  subnet: string;
  /** docker0's line from `ip -4 -o addr show dev docker0`; undefined: no `ip` command at all. */
  docker0?: string;
  advertise?: string;
}

/** Runs `ensure_swarm` on a host made of fakes; returns the address it gave `docker swarm init`. */
function advertisedOn(host: Host): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-swarm-addr-'));
  dirs.push(dir);
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const script = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  script(
    'docker',
    [
      'case "$*" in',
      '  "info --format {{.Swarm.LocalNodeState}}") echo inactive ;;',
      `  *"{{.Gateway}}"*) printf '%s' '${host.gateway}' ;;`,
      `  *"{{.Subnet}}"*) printf '%s' '${host.subnet}' ;;`,
      `  "swarm init --advertise-addr "*) echo "$4" > ${dir}/advertised ;;`,
      '  *) echo "unexpected docker $*" >&2; exit 1 ;;',
      'esac',
    ].join('\n'),
  );
  // The few real tools sourcing the script needs.
  for (const tool of ['mkdir', 'chmod', 'dirname', 'awk']) symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
  if (host.docker0 !== undefined) script('ip', `[ "$*" = "-4 -o addr show dev docker0" ] && printf '%s\\n' '${host.docker0}'`);
  execFileSync('/bin/bash', ['-c', 'source scripts/lib/services.sh && ensure_swarm'], {
    cwd: root,
    stdio: 'pipe',
    // The fakes, the four tools above and bash's builtins: no real docker or ip is reachable.
    env: { PATH: bin, BERTH_STATE_DIR: path.join(dir, 'state'), HOME: dir, ...(host.advertise ? { BERTH_SWARM_ADVERTISE_ADDR: host.advertise } : {}) },
  });
  return readFileSync(path.join(dir, 'advertised'), 'utf8').trim();
}

describe('the address a new swarm advertises', () => {
  const docker0 = '5: docker0    inet 172.18.0.1/16 brd 172.18.255.255 scope global docker0\\       valid_lft forever preferred_lft forever';

  it('is the bridge gateway Docker reports', () => {
    expect(advertisedOn({ gateway: '172.17.0.1', subnet: '172.17.0.0/16', docker0 })).toBe('172.17.0.1');
  });

  it("is docker0's address when a daemon's first start reports no gateway", () => {
    expect(advertisedOn({ gateway: '', subnet: '172.18.0.0/16', docker0 })).toBe('172.18.0.1');
  });

  it('is the first address of the subnet when there is no gateway and no ip command', () => {
    expect(advertisedOn({ gateway: '', subnet: '10.200.4.0/24' })).toBe('10.200.4.1');
    // Nor does a docker0 without an address stop it.
    expect(advertisedOn({ gateway: '', subnet: '10.200.4.0/24', docker0: '' })).toBe('10.200.4.1');
  });

  it('is 127.0.0.1 only when Docker reports neither, and BERTH_SWARM_ADVERTISE_ADDR when it is set', () => {
    expect(advertisedOn({ gateway: '', subnet: '' })).toBe('127.0.0.1');
    expect(advertisedOn({ gateway: '', subnet: 'fd00::/64' })).toBe('127.0.0.1');
    expect(advertisedOn({ gateway: '172.17.0.1', subnet: '172.17.0.0/16', advertise: '192.168.1.20' })).toBe('192.168.1.20');
  });
});

import { describe, expect, it } from 'vitest';
import { HostFirewall, hostRule } from '../../src/docker/host-firewall.ts';

/** An iptables that records its calls; `-C` answers whether the rule is there, `-I` adds it (or fails). */
function fakeIptables(options: { present?: boolean; insertFails?: string } = {}) {
  const calls: string[] = [];
  let present = options.present ?? false;
  const run = async (args: string[]) => {
    calls.push(args.join(' '));
    if (args[0] === '-C' && !present) throw new Error('iptables: Bad rule (does a matching rule exist in that chain?).');
    if (args[0] === '-I') {
      if (options.insertFails) throw new Error(options.insertFails);
      present = true;
    }
  };
  return { calls, run };
}

describe('HostFirewall', () => {
  it('refuses NEW connections from the bridge to the host itself, adding the rule once', async () => {
    const iptables = fakeIptables();
    const firewall = new HostFirewall(iptables.run);
    await firewall.closeHostTo('br-0123456789ab');
    await firewall.closeHostTo('br-0123456789ab');
    const rule = 'INPUT -i br-0123456789ab -m conntrack --ctstate NEW -j REJECT';
    expect(hostRule('br-0123456789ab').join(' ')).toBe(rule);
    expect(iptables.calls).toEqual([`-C ${rule}`, `-I ${rule}`]);
  });

  it('adds nothing when the rule is there already (another worker on the host put it in)', async () => {
    const iptables = fakeIptables({ present: true });
    await new HostFirewall(iptables.run).closeHostTo('br-x');
    expect(iptables.calls.map((c) => c.split(' ')[0])).toEqual(['-C']);
  });

  it('fails the build with a readable reason when iptables refuses (not root), and tries again next time', async () => {
    const iptables = fakeIptables({ insertFails: 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)' });
    const firewall = new HostFirewall(iptables.run);
    const refused = firewall.closeHostTo('br-y');
    await expect(refused).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE' });
    await expect(refused).rejects.toThrow(/Permission denied.*BUILD_HOST_FIREWALL=off/);
    await expect(firewall.closeHostTo('br-y')).rejects.toThrow(/BUILD_HOST_FIREWALL/);
    expect(iptables.calls.filter((c) => c.startsWith('-I'))).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { assertSafeGitRef, assertSafeGitUrl, isLocalAddress, resolveGitHost } from '../../src/git-url.ts';

describe('git URL and ref validation', () => {
  it.each(['https://github.com/a/b.git', 'http://127.0.0.1:8080/repo', 'git://127.0.0.1:9418/x.git'])(
    'accepts %s',
    (url) => expect(() => assertSafeGitUrl(url)).not.toThrow(),
  );

  it.each([
    'file:///etc',
    '/srv/repo.git',
    'ext::sh -c id',
    'fd::17',
    '-uhttps://x',
    '--upload-pack=id',
    'ssh://git@host/x',
    'https://exa mple.com/x',
    'https://',
  ])('rejects %s', (url) => expect(() => assertSafeGitUrl(url)).toThrow(expect.objectContaining({ code: 'INVALID_GIT_URL' })));

  it('accepts branch, tag and sha refs and rejects option-looking or traversing ones', () => {
    for (const ref of ['main', 'release/1.2', 'v1.0.0', 'a'.repeat(40)]) expect(() => assertSafeGitRef(ref)).not.toThrow();
    for (const ref of ['--upload-pack=x', '-b', 'a..b', 'x y', 'refs/heads/x.lock', ''])
      expect(() => assertSafeGitRef(ref)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('local and private git hosts', () => {
  it.each(['127.0.0.1', '127.9.9.9', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', '::', '::ffff:127.0.0.1', 'fc00::1', 'fd12::1', 'fe80::1', '224.0.0.1'])(
    '%s is local',
    (address) => expect(isLocalAddress(address)).toBe(true),
  );
  it.each(['1.1.1.1', '140.82.112.3', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) =>
    expect(isLocalAddress(address)).toBe(false),
  );

  it('refuses a name that resolves to a local address, and allows it when the operator says so', async () => {
    const lookup = async () => [{ address: '93.184.216.34' }, { address: '127.0.0.1' }];
    await expect(resolveGitHost('https://rebind.example/x.git', { allowPrivate: false, lookup })).rejects.toMatchObject({ code: 'INVALID_GIT_URL' });
    await expect(resolveGitHost('https://rebind.example/x.git', { allowPrivate: true, lookup })).resolves.toMatchObject({
      hostname: 'rebind.example',
      port: 443,
    });
    await expect(
      resolveGitHost('https://nowhere.example/x.git', { allowPrivate: false, lookup: async () => Promise.reject(new Error('ENOTFOUND')) }),
    ).rejects.toMatchObject({ code: 'GIT_CLONE_FAILED' });
  });
});

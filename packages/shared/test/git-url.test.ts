import { describe, expect, it } from 'vitest';
import { assertSafeGitRef, assertSafeGitUrl } from '../src/git-url.ts';

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

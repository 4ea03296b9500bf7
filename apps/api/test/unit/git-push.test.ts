import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deliveryId, detectProvider, parsePush, verifySignature } from '../../src/git-push.ts';

const sha = 'a'.repeat(40);
const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');

describe('git push deliveries', () => {
  it('reads pushes, deletes, pings and what to ignore, per host', () => {
    expect(parsePush('github', { 'x-github-event': 'push' }, { ref: 'refs/heads/main', after: sha, head_commit: { message: ' fix \n', author: { name: 'Ada' } } })).toEqual({
      kind: 'push', branch: 'main', sha, author: 'Ada', message: 'fix',
    });
    expect(parsePush('github', { 'x-github-event': 'delete' }, { ref_type: 'branch', ref: 'feature/x' })).toEqual({ kind: 'deleted', branch: 'feature/x' });
    expect(parsePush('github', { 'x-github-event': 'delete' }, { ref_type: 'tag', ref: 'v1' }).kind).toBe('ignored');
    expect(parsePush('github', { 'x-github-event': 'push' }, { ref: 'refs/tags/v1', after: sha }).kind).toBe('ignored');
    expect(parsePush('github', { 'x-github-event': 'issues' }, {}).kind).toBe('ignored');
    expect(parsePush('github', { 'x-github-event': 'ping' }, {}).kind).toBe('ping');
    expect(parsePush('gitlab', { 'x-gitlab-event': 'Push Hook' }, { ref: 'refs/heads/dev', after: '0'.repeat(40) })).toEqual({ kind: 'deleted', branch: 'dev' });
    expect(parsePush('gitlab', { 'x-gitlab-event': 'Push Hook' }, { ref: 'refs/heads/dev', after: sha, commits: [{ id: sha, message: 'm', author: { name: 'G' } }] })).toMatchObject({ author: 'G', message: 'm' });
    expect(parsePush('gitea', { 'x-gitea-event': 'delete' }, { ref_type: 'branch', ref: 'old' })).toEqual({ kind: 'deleted', branch: 'old' });
    expect(parsePush('generic', {}, { ref: 'refs/heads/main', sha })).toMatchObject({ kind: 'push', branch: 'main', sha });
  });

  it('refuses a pushed commit that is not a commit id, and a body that is not an object', () => {
    for (const bad of ['--upload-pack=touch /tmp/x', 'HEAD', 'a'.repeat(39), `${sha}\n`]) {
      expect(() => parsePush('generic', {}, { ref: 'main', sha: bad })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    expect(() => parsePush('generic', {}, 'text')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('checks each host’s signature and reads its delivery id', () => {
    const raw = Buffer.from('{"ref":"main"}');
    expect(verifySignature('github', { 'x-hub-signature-256': `sha256=${hmac('s', raw.toString())}` }, raw, 's')).toBe(true);
    expect(verifySignature('github', { 'x-hub-signature-256': hmac('s', raw.toString()) }, raw, 's')).toBe(false); // prefix required
    expect(verifySignature('gitea', { 'x-gitea-signature': hmac('s', raw.toString()) }, raw, 's')).toBe(true);
    expect(verifySignature('gitlab', { 'x-gitlab-token': 's' }, raw, 's')).toBe(true);
    expect(verifySignature('gitlab', { 'x-gitlab-token': 'S' }, raw, 's')).toBe(false);
    expect(verifySignature('generic', {}, raw, 's')).toBe(false);
    expect(detectProvider({ 'x-forgejo-event': 'push' })).toBe('gitea');
    expect(deliveryId('github', { 'x-github-delivery': 'abc-123' })).toBe('abc-123');
    expect(deliveryId('generic', { 'x-berth-delivery': 'has spaces' })).toBeUndefined();
    expect(deliveryId('generic', {})).toBeUndefined();
  });
});

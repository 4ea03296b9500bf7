import { describe, expect, it } from 'vitest';
import { checkImageReference, parseImageReference } from '../../src/image-reference.ts';

const digest = `sha256:${'a'.repeat(64)}`;

describe('prebuilt image references', () => {
  it('reads registries, paths, tags and digests as Docker does', () => {
    expect(parseImageReference(`127.0.0.1:5000/team/app@${digest}`)).toEqual({ registry: '127.0.0.1:5000', path: 'team/app', tag: undefined, digest, repository: '127.0.0.1:5000/team/app' });
    expect(parseImageReference('ghcr.io/acme/web:v1.2')).toMatchObject({ registry: 'ghcr.io', path: 'acme/web', tag: 'v1.2' });
    expect(parseImageReference('localhost/app:1')).toMatchObject({ registry: 'localhost', path: 'app' });
    expect(parseImageReference('team/app:1')).toMatchObject({ registry: undefined, path: 'team/app', repository: 'team/app' });
    expect(parseImageReference('nginx')).toMatchObject({ registry: undefined, path: 'nginx', tag: undefined });
    expect(parseImageReference(`[::1]:5000/app:v1@${digest}`)).toMatchObject({ registry: '[::1]:5000', tag: 'v1', digest });
  });

  it('refuses what is no reference: 400 INVALID_IMAGE_REFERENCE', () => {
    for (const bad of ['', 'Not An Image', 'app@sha256:short', 'app:', '/app', 'app:tag with space', 'app;rm -rf /', 'a'.repeat(600), `app@md5:${'a'.repeat(32)}`]) {
      expect(() => parseImageReference(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE_REFERENCE' }));
    }
  });

  it("refuses Berth's own images by any Docker Hub spelling and image ids: 400 IMAGE_REFUSED", () => {
    const own = ['berth-main/abc123:latest', 'berth/node:24', 'docker.io/berth-main/abc:latest', 'index.docker.io/library/berth-x', 'library/berth-main', `sha256:${'b'.repeat(64)}`, 'b'.repeat(12)];
    for (const ref of own) expect(() => checkImageReference(ref), ref).toThrow(expect.objectContaining({ code: 'IMAGE_REFUSED' }));
    // A registry's own repository named berth-… is not a local Berth tag.
    expect(checkImageReference('ghcr.io/berth-fan/app:1').registry).toBe('ghcr.io');
    expect(checkImageReference('nginx:1.27').path).toBe('nginx');
  });
});

import { describe, expect, it } from 'vitest';
import { cacheChangedUnderBuild } from '../../src/docker/docker-build.ts';

// The daemon's words when a cache layer a build uses is removed under it (an old release's
// image pruned with its untagged parents while another build of the same app runs).
describe('a build whose cache changed under it', () => {
  it('is recognised in each way the daemon says it', () => {
    for (const message of [
      'unknown parent image ID sha256:0c2f9d0b1c',
      'No such image: sha256:89b106f963c130f4cec5f83784f5d823d297aba9c1d028c4a08f3398efa72135',
      // Seen in CI: the cache lookup compares the children of the parent, one of which had just gone.
      'unable to find image "sha256:89b106f963c130f4cec5f83784f5d823d297aba9c1d028c4a08f3398efa72135"',
    ]) {
      expect(cacheChangedUnderBuild(message), message).toBe(true);
    }
  });

  it('is not confused with the app failing its own build', () => {
    for (const message of [
      "The command '/bin/sh -c npm ci' returned a non-zero code: 1",
      'pull access denied for nosuchimage, repository does not exist or may require \'docker login\'',
      'unable to find image "nosuchimage:latest"',
      'No such image: nosuchimage:latest',
      'COPY failed: file not found in build context',
    ]) {
      expect(cacheChangedUnderBuild(message), message).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildCgroupKey,
  buildCgroupPrefix,
  containerName,
  imageRepositoryPrefix,
  imageTag,
  parseBuildCgroupKey,
  parseImageTag,
} from '../../src/docker-names.ts';

describe('Docker names', () => {
  it('names a deployment’s container and image per installation', () => {
    expect(containerName('prod', 'a1b2c3d4e5f6')).toBe('berth-prod-a1b2c3d4e5f6');
    expect(imageTag('prod', 'a1b2c3d4e5f6')).toBe('berth-prod/a1b2c3d4e5f6:latest');
    expect(imageTag('prod', 'x').startsWith(imageRepositoryPrefix('prod'))).toBe(true);
  });

  it('reads the deployment back from its own installation’s image tags only', () => {
    expect(parseImageTag('prod', imageTag('prod', 'a1b2c3d4e5f6'))).toBe('a1b2c3d4e5f6');
    expect(parseImageTag('prod', imageTag('prod-2', 'a1b2c3d4e5f6'))).toBeUndefined();
    expect(parseImageTag('prod', 'berth/node:24')).toBeUndefined();
    expect(parseImageTag('prod', 'berth-prod/:latest')).toBeUndefined();
  });

  it('reads the deployment back from a build cgroup key, never from another installation’s', () => {
    const key = buildCgroupKey('a', 'a1b2c3d4e5f6', '0badcafe');
    expect(key.startsWith(buildCgroupPrefix('a'))).toBe(true);
    expect(parseBuildCgroupKey('a', key)).toBe('a1b2c3d4e5f6');
    // Instance "a" lists "a-…" keys, which include instance "a-b"'s: those are not its own.
    expect(parseBuildCgroupKey('a', buildCgroupKey('a-b', 'a1b2c3d4e5f6', '0badcafe'))).toBeUndefined();
  });
});

import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { assertSafeBuild, type ImageEngine } from '../../src/build/base-image-policy.ts';
import { localRegistryProblem, registryHostOf } from '../../src/build/registry-host-policy.ts';

// Issue 24, door 3: the swarm registry keeps a copy of every app image; a FROM that is not local is
// pulled by the daemon from the host's network, so no spelling of a registry on this host may be named.
const nothingLocal: ImageEngine = {
  getImage: () => ({ inspect: async () => Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 })) }),
  listImages: async () => [],
};

describe('registryHostOf', () => {
  it('reads the registry part as Docker does', () => {
    expect(registryHostOf('alpine')).toBeUndefined();
    expect(registryHostOf('library/alpine:3')).toBeUndefined();
    expect(registryHostOf('ghcr.io/acme/app:1')).toBe('ghcr.io');
    expect(registryHostOf('localhost/x')).toBe('localhost');
    expect(registryHostOf('LocalHost:5000/x')).toBe('localhost');
    expect(registryHostOf('127.0.0.1:5000/main/id:latest')).toBe('127.0.0.1');
    expect(registryHostOf('[::1]:5000/main/id')).toBe('::1');
    expect(registryHostOf('reg.example.com.:443/x')).toBe('reg.example.com');
  });
});

describe('a registry on this host, or Berth’s own, under any name', () => {
  const own = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  const spellings = [
    '127.0.0.1:5000/main/victim:latest',
    'localhost:5000/main/victim',
    'LOCALHOST:5000/main/victim',
    'registry.localhost:5000/main/victim',
    '[::1]:5000/main/victim',
    '[::ffff:127.0.0.1]:5000/main/victim',
    '127.1:5000/main/victim',
    '2130706433:5000/main/victim',
    '0x7f.1:5000/main/victim',
    '0.0.0.0:5000/main/victim',
    '127.0.0.2/main/victim',
    ...(own ? [`${own}:5000/main/victim`] : []),
  ];
  it.each(spellings)('refuses %s', async (ref) => {
    expect(await localRegistryProblem(ref, undefined)).toMatch(/registry on this host/);
  });

  it("refuses the configured registry's name, whatever its case, and any port of it", async () => {
    expect(await localRegistryProblem('Registry.Internal.Example:5000/main/victim', 'registry.internal.example:5000')).toMatch(/Berth's own registry/);
    expect(await localRegistryProblem('registry.internal.example:6000/x', 'registry.internal.example:5000')).toBeDefined();
  });

  it('lets Docker Hub and other registries be', async () => {
    for (const ref of ['alpine:3', 'library/node:24', 'acme/app', '203.0.113.7:5000/x']) {
      expect(await localRegistryProblem(ref, '127.0.0.1:5000'), ref).toBeUndefined();
    }
  });

  it('refuses such a FROM or COPY --from in a build when the image is not local (the daemon would pull it)', async () => {
    const refused = expect.objectContaining({ code: 'UNSAFE_DOCKERFILE' });
    await expect(assertSafeBuild('FROM localhost:5000/main/victim\n', {}, {}, nothingLocal)).rejects.toThrow(refused);
    await expect(assertSafeBuild('FROM scratch\nCOPY --from=127.1:5000/main/victim /app /x\n', {}, {}, nothingLocal)).rejects.toThrow(/line 2/);
    await expect(assertSafeBuild('ARG B=alpine\nFROM $B\n', { B: '[::1]:5000/main/victim' }, {}, nothingLocal)).rejects.toThrow(refused);
    await expect(assertSafeBuild('FROM alpine:3\n', {}, {}, nothingLocal)).resolves.toBeUndefined();
  });
});

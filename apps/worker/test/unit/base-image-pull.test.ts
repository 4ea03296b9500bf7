import { describe, expect, it } from 'vitest';
import { assertSafeBuild, type ImageEngine, type ImageFacts } from '../../src/build/base-image-policy.ts';
import { withTag } from '../../src/build/base-image-pull.ts';

/** A fake engine: `local` images are here, `remote` ones arrive on pull (by their first tag). */
function engine(local: ImageFacts[], remote: ImageFacts[]): ImageEngine & { pulled: string[] } {
  const here = [...local];
  const pulled: string[] = [];
  const find = (ref: string) => here.find((i) => (i.RepoTags ?? []).includes(withTag(ref)));
  return {
    pulled,
    getImage: (ref) => ({
      inspect: async () => find(ref) ?? Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 })),
    }),
    listImages: async () => here,
    pull: async (ref) => {
      pulled.push(ref);
      const image = remote.find((i) => (i.RepoTags ?? []).includes(withTag(ref)));
      if (image) here.push(image);
      return image !== undefined;
    },
  };
}

const refused = expect.objectContaining({ code: 'UNSAFE_DOCKERFILE' });

// Issue 24 (C): a base image that is not local used to be left to the daemon, unread; now it is pulled
// first and checked like a local one (its ONBUILD triggers, its labels), before the build.
describe('a base image that is not local is pulled, then checked', () => {
  it("refuses a pulled image's ONBUILD trigger that fetches from the host", async () => {
    const hostile: ImageFacts = { Id: 'sha256:h', RepoTags: ['evil/base:1'], Config: { OnBuild: ['ADD http://127.0.0.1:2019/config/ /x'] } };
    const e = engine([], [hostile]);
    await expect(assertSafeBuild('FROM evil/base:1\n', {}, {}, e)).rejects.toThrow(/ONBUILD ADD http/);
    expect(e.pulled).toEqual(['evil/base:1']);
  });

  it("refuses a pulled image carrying Berth's app labels", async () => {
    const labelled: ImageFacts = { Id: 'sha256:l', RepoTags: ['someone/app:latest'], Config: { Labels: { 'dev.berth.deployment': 'd1' } } };
    await expect(assertSafeBuild('FROM scratch\nCOPY --from=someone/app /app /x\n', {}, {}, engine([], [labelled]))).rejects.toThrow(/app labels/);
  });

  it('builds from a clean pulled image, and leaves one that cannot be pulled to the daemon', async () => {
    const clean: ImageFacts = { Id: 'sha256:c', RepoTags: ['library/clean:latest'] };
    const e = engine([], [clean]);
    await expect(assertSafeBuild('FROM library/clean\n', {}, {}, e)).resolves.toBeUndefined();
    await expect(assertSafeBuild('FROM nowhere/missing:2\n', {}, {}, e)).resolves.toBeUndefined();
    expect(e.pulled).toEqual(['library/clean', 'nowhere/missing:2']);
  });

  it('never pulls from a registry on this host (the swarm copies): refused before any pull', async () => {
    const e = engine([], []);
    await expect(assertSafeBuild('FROM localhost:5000/main/victim\n', {}, {}, e)).rejects.toThrow(refused);
    expect(e.pulled).toEqual([]);
  });

  it('pulls a tag, never every tag', () => {
    expect(withTag('alpine')).toBe('alpine:latest');
    expect(withTag('localhost:5000/x')).toBe('localhost:5000/x:latest');
    expect(withTag('ghcr.io/a/b:1.2')).toBe('ghcr.io/a/b:1.2');
    expect(withTag('alpine@sha256:abc')).toBe('alpine@sha256:abc');
  });
});

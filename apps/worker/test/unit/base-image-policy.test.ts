import { describe, expect, it } from 'vitest';
import { assertSafeBuild, type ImageEngine, type ImageFacts } from '../../src/build/base-image-policy.ts';

/** A fake engine holding these images (by every tag): inspect answers 404 for any other name, as dockerd does. */
function engineWith(images: ImageFacts[]): ImageEngine & { inspected: string[] } {
  const inspected: string[] = [];
  return {
    inspected,
    getImage: (ref) => ({
      inspect: async () => {
        inspected.push(ref);
        const found = images.find((i) => (i.RepoTags ?? []).includes(ref.includes(':') ? ref : `${ref}:latest`));
        if (!found) throw Object.assign(new Error('no such image'), { statusCode: 404 });
        return found;
      },
    }),
    listImages: async () => images,
  };
}

const app: ImageFacts = { Id: 'sha256:app', RepoTags: ['berth-main/victim:latest', '127.0.0.1:5000/main/victim:latest'] };
const node: ImageFacts = { Id: 'sha256:node', RepoTags: ['berth/node:24'] };
const refused = expect.objectContaining({ code: 'UNSAFE_DOCKERFILE' });

describe('images are checked for what they are, not how they are named (issue 24, doors 2 and 3)', () => {
  it('refuses a second name of an app image: by its tags, or by its id when it has none of ours', async () => {
    const copy: ImageFacts = { Id: 'sha256:app', RepoTags: ['innocent:latest'] };
    const engine = engineWith([app, node, copy]);
    await expect(assertSafeBuild('FROM 127.0.0.1:5000/main/victim:latest\n', {}, {}, engine)).rejects.toThrow(/Berth app image/);
    await expect(assertSafeBuild('FROM innocent\n', {}, {}, engine)).rejects.toThrow(refused);
    await expect(assertSafeBuild('FROM berth/node:24\nCOPY --from=innocent /app /x\n', {}, {}, engine)).rejects.toThrow(/line 2/);
  });

  it("refuses an image carrying Berth's app labels", async () => {
    const labelled: ImageFacts = { Id: 'sha256:l', RepoTags: ['labelled:latest'], Config: { Labels: { 'dev.berth.project': 'p' } } };
    await expect(assertSafeBuild('FROM labelled\n', {}, {}, engineWith([labelled]))).rejects.toThrow(/app labels/);
  });

  it('refuses the swarm registry by name even when the image is not here (the daemon would pull the copy)', async () => {
    const engine = engineWith([]);
    await expect(assertSafeBuild('FROM reg.local:5000/main/gone:latest\n', {}, { BERTH_REGISTRY: 'reg.local:5000' }, engine)).rejects.toThrow(refused);
  });

  it("checks a FROM image's ONBUILD triggers like Dockerfile lines, and the images they read", async () => {
    const fetches: ImageFacts = { Id: 'sha256:f', RepoTags: ['fetches:latest'], Config: { OnBuild: ['ADD http://127.0.0.1:2019/config/ /x'] } };
    const copies: ImageFacts = { Id: 'sha256:c', RepoTags: ['copies:latest'], Config: { OnBuild: ['COPY --from=innocent /app /x'] } };
    const copy: ImageFacts = { Id: 'sha256:app', RepoTags: ['innocent:latest'] };
    const engine = engineWith([app, fetches, copies, copy]);
    await expect(assertSafeBuild('FROM fetches\n', {}, {}, engine)).rejects.toThrow(/line 1: FROM fetches: the image's trigger is refused: ONBUILD ADD http/);
    await expect(assertSafeBuild('FROM copies\n', {}, {}, engine)).rejects.toThrow(/ONBUILD COPY --from=innocent: the image is a Berth app image/);
    // COPY --from does not run the image's triggers: only what it is matters.
    await expect(assertSafeBuild('FROM scratch\nCOPY --from=fetches /a /a\n', {}, {}, engine)).resolves.toBeUndefined();
  });

  it('expands build args before resolving, and leaves a missing image to the daemon', async () => {
    const engine = engineWith([app, node]);
    await expect(assertSafeBuild('ARG BASE=berth/node:24\nFROM ${BASE}\n', {}, {}, engine)).resolves.toBeUndefined();
    await expect(assertSafeBuild('ARG BASE=alpine\nFROM ${BASE}\n', { BASE: '127.0.0.1:5000/main/victim:latest' }, {}, engine)).rejects.toThrow(refused);
    await expect(assertSafeBuild('FROM not-here:1\n', {}, {}, engine)).resolves.toBeUndefined();
    expect(engine.inspected).toContain('not-here:1');
  });
});

import { expect, it } from 'vitest';
import { assertNoContainerLabels, carriedContainerLabels } from '../../src/build/image-labels-check.ts';

it("names the container labels an image carries, and only those (base images' own dev.berth.* keys pass)", () => {
  expect(carriedContainerLabels({ 'dev.berth.run': 'r1', 'dev.berth.deployment': 'x', 'dev.berth.node-sha': 'abc', maintainer: 'me' })).toEqual(['dev.berth.deployment', 'dev.berth.run']);
  expect(carriedContainerLabels({ 'dev.berth.node-version': 'v24', 'dev.berth.debian-stamp': 's' })).toEqual([]);
});

it('refuses with IMAGE_REFUSED naming them; an image without them passes', async () => {
  const runtime = (imageLabels: Record<string, string>) => ({ imageLabels: async () => imageLabels });
  await expect(assertNoContainerLabels(runtime({ 'dev.berth.port': '1', 'dev.berth.project': 'p' }), 't')).rejects.toMatchObject({
    code: 'IMAGE_REFUSED',
    message: expect.stringContaining('dev.berth.port, dev.berth.project'),
  });
  await expect(assertNoContainerLabels(runtime({}), 't')).resolves.toBeUndefined();
});

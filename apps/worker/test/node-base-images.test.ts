import { describe, expect, it } from 'vitest';
import { fromImages, ScriptNodeBaseImages } from '../src/build/node-base-images.ts';

describe('base images a Dockerfile needs', () => {
  it('finds every FROM image, whatever the case, flags, stage names and line continuations', () => {
    const dockerfile = [
      '# syntax comment FROM nothing',
      'from --platform=linux/amd64 berth/node:22 AS build',
      'RUN echo FROM berth/node:18',
      'FROM \\',
      '  berth/node:26',
      'From build',
    ].join('\n');
    expect(fromImages(dockerfile)).toEqual(['berth/node:22', 'berth/node:26', 'build']);
  });

  it('refuses a berth/node major that is not offered, naming the ones that are', async () => {
    const images = new ScriptNodeBaseImages(async () => false, '/nonexistent');
    await expect(images.ensureFor('FROM berth/node:18\n', () => {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'BUILD_FAILED',
      message: expect.stringMatching(/berth\/node:18 is not available.*20, :22, :24, :26/),
    });
  });

  it('leaves images that exist, and images it does not make, to the builder', async () => {
    const asked: string[] = [];
    const images = new ScriptNodeBaseImages(async (ref) => (asked.push(ref), true), '/nonexistent');
    const lines: string[] = [];
    await images.ensureFor('FROM berth/node:24\nFROM alpine:3\n', (l) => lines.push(l), new AbortController().signal);
    expect(asked).toEqual(['berth/node:24']);
    expect(lines).toEqual([]);
  });
});

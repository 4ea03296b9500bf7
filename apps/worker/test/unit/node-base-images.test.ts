import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromImages, ScriptNodeBaseImages } from '../../src/build/node-base-images.ts';

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

  it('makes the build variant and the static server image with their scripts, once each', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-base-images-'));
    const calls = path.join(dir, 'calls');
    for (const name of ['node.sh', 'static.sh']) writeFileSync(path.join(dir, name), `echo "${name} $*" >> ${calls}\n`);
    const images = new ScriptNodeBaseImages(async () => false, path.join(dir, 'node.sh'), path.join(dir, 'static.sh'));
    const lines: string[] = [];
    const dockerfile = 'FROM berth/node:22-build AS deps\nFROM berth/node:22\nFROM berth/static:1\n';
    await Promise.all([
      images.ensureFor(dockerfile, (l) => lines.push(l), new AbortController().signal),
      images.ensureFor(dockerfile, () => {}, new AbortController().signal),
    ]);
    expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean).sort()).toEqual(['node.sh 22', 'node.sh 22 build', 'static.sh ']);
    expect(lines).toContain('making base image berth/node:22-build from Node 22.23.3 and npm (first build that needs it on this machine)');
    expect(lines).toContain("making the static server image berth/static:1 from this host's Caddy (first build that needs it on this machine)");
  });

  it('says why a static server image could not be made', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-base-images-'));
    writeFileSync(path.join(dir, 'static.sh'), 'echo "[berth] error: no caddy binary on this host" >&2; exit 1\n');
    const images = new ScriptNodeBaseImages(async () => false, '/nonexistent', path.join(dir, 'static.sh'));
    await expect(images.ensureFor('FROM berth/static:1\n', () => {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'BUILD_FAILED',
      message: 'could not make base image berth/static:1: [berth] error: no caddy binary on this host',
    });
  });

  it('makes the Python and Go images from Debian packages only when a Dockerfile needs one (an existing one: the script checks its packages)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-base-images-'));
    const calls = path.join(dir, 'calls');
    writeFileSync(path.join(dir, 'debian.sh'), `echo "debian.sh $*" >> ${calls}\n`);
    const existing = new Set(['berth/python:3.11']);
    const images = new ScriptNodeBaseImages(async (ref) => existing.has(ref), '/nonexistent', '/nonexistent', path.join(dir, 'debian.sh'));
    const lines: string[] = [];
    await images.ensureFor('FROM berth/python:3.11 AS deps\nFROM berth/go:1.19-build AS build\nFROM scratch\n', (l) => lines.push(l), new AbortController().signal);
    expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'debian.sh berth/go:1.19-build golang-go ca-certificates',
      'debian.sh berth/python:3.11 python3 python3-venv ca-certificates',
    ]);
    expect(lines).toEqual([
      "making base image berth/go:1.19-build from Debian 12's packages golang-go, ca-certificates (first build that needs it on this machine: about 1.5 min)",
      'base image berth/go:1.19-build is ready',
    ]);
  });
});

import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseProcfile, releaseConfigOf } from '../../src/build/release-config.ts';

const releaseCommandOf = async (dir: string) => (await releaseConfigOf(dir)).release;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'berth-release-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const withBerthJson = (text: string) => writeFile(path.join(dir, 'berth.json'), text);

it("reads berth.json's release, and nothing without one", async () => {
  expect(await releaseCommandOf(dir)).toBeUndefined();
  await withBerthJson('{"start":"node server.js"}');
  expect(await releaseCommandOf(dir)).toBeUndefined();
  await withBerthJson('{"release":"  npm run migrate "}');
  expect(await releaseCommandOf(dir)).toBe('npm run migrate');
});

it('refuses a release that is not one line, empty, not a string, or a berth.json that is not JSON, without quoting it', async () => {
  for (const text of ['{"release":"a\\nb"}', '{"release":""}', '{"release":3}', '{"release":["a"]}']) {
    await withBerthJson(text);
    await expect(releaseCommandOf(dir), text).rejects.toMatchObject({ code: 'INVALID_BUILD_CONFIG' });
  }
  await withBerthJson('root:x:0:0:root:/root:/bin/sh');
  await expect(releaseCommandOf(dir)).rejects.toThrow(/^berth.json is not valid JSON$/);
});

it('never follows a link (it could name a file of the worker host)', async () => {
  await symlink('/etc/passwd', path.join(dir, 'berth.json'));
  await expect(releaseCommandOf(dir)).rejects.toMatchObject({ code: 'INVALID_BUILD_CONFIG', message: expect.stringContaining('regular file') });
});

const withProcfile = (text: string) => writeFile(path.join(dir, 'Procfile'), text);

it("reads berth.json's processes, else the Procfile's, and none without either", async () => {
  expect((await releaseConfigOf(dir)).processes).toBeUndefined();
  await withProcfile('# comment\n\nweb: npm start\nworker:  node worker.js \r\n');
  expect((await releaseConfigOf(dir)).processes).toEqual({ web: 'npm start', worker: 'node worker.js' });
  await withBerthJson('{"processes":{"queue":"node q.js"}}');
  expect((await releaseConfigOf(dir)).processes).toEqual({ queue: 'node q.js' });
  await withBerthJson('{"processes":{}}');
  expect((await releaseConfigOf(dir)).processes).toBeUndefined();
});

it('refuses bad process names, empty or multi-line commands and odd Procfile lines with INVALID_BUILD_CONFIG saying where', async () => {
  const bad: [string, RegExp][] = [
    ['{"processes":{"Worker":"x"}}', /^berth.json: processes.*lowercase name/],
    ['{"processes":{"../x":"x"}}', /^berth.json: processes.*lowercase name/],
    ['{"processes":{"worker":""}}', /^berth.json: processes: worker: must not be empty/],
    ['{"processes":{"worker":"a\\nb"}}', /^berth.json: processes: worker: must be one line/],
    ['{"processes":{"worker":3}}', /^berth.json: processes: worker/],
    ['{"processes":["node w.js"]}', /^berth.json: processes/],
    [`{"processes":{${Array.from({ length: 11 }, (_, i) => `"p${i}":"x"`).join(',')}}}`, /at most 10 process types/],
  ];
  for (const [text, message] of bad) {
    await withBerthJson(text);
    await expect(releaseConfigOf(dir), text).rejects.toMatchObject({ code: 'INVALID_BUILD_CONFIG', message: expect.stringMatching(message) });
  }
  const procfiles: [string, RegExp][] = [
    ['worker:', /^Procfile: worker: must not be empty/],
    ['worker node w.js', /^Procfile: line 1 is not "name: command"/],
    [': node', /^Procfile: line 1/],
    ['w: a\nw: b', /given twice/],
    ['my worker: a', /^Procfile.*lowercase name/],
  ];
  for (const [text, message] of procfiles) {
    expect(() => parseProcfile(text), text).toThrow(message);
  }
});

it('never follows a Procfile link', async () => {
  await symlink('/etc/passwd', path.join(dir, 'Procfile'));
  await expect(releaseConfigOf(dir)).rejects.toMatchObject({ code: 'INVALID_BUILD_CONFIG', message: expect.stringContaining('Procfile must be a regular file') });
});

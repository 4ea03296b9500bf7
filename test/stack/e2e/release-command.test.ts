import { describe, expect, it } from 'vitest';
import { logLines } from '@berth/testing/deployments';
import { SteadyLoad } from '@berth/testing/load';
import { deployCounter, settledOrSay } from './counter-setup.ts';
import { api, createProject, serving, stack, useReleaseStack } from './releases-setup.ts';

// The release command on the real stack: it runs in the new image before the URL moves, and a failing
// or overlong one fails the deployment while the old release keeps serving, under load.
useReleaseStack({ env: { RELEASE_TIMEOUT_MS: '4000' } });

const indexOf = (lines: { line: string }[], start: string) => lines.findIndex((l) => l.line.startsWith(start));

describe('release command', () => {
  it("runs berth.json's release before the switch, and a failing or overlong one keeps the old release serving with no failed request", async () => {
    await createProject({ name: 'migr', healthPath: '/healthz' });
    const first = await deployCounter('migr', 'v1');
    expect((await settledOrSay(first.id)).status).toBe('running');
    await serving('migr', 'v1');
    const lines = await logLines(stack, first.id);
    const ran = indexOf(lines, 'running the release command: node /app/release.js');
    const output = indexOf(lines, 'migrated to v1');
    const finished = indexOf(lines, 'release command finished');
    const switched = indexOf(lines, 'now serving migr');
    expect(ran, JSON.stringify(lines.map((l) => l.line))).toBeGreaterThanOrEqual(0);
    expect([ran < output, output < finished, finished < switched]).toEqual([true, true, true]);

    const load = new SteadyLoad(`${stack.caddyUrl}/`, 'migr.localhost', { concurrency: 4, pauseMs: 5 });
    load.start();
    try {
      // The project's setting wins over berth.json's.
      expect((await api('PATCH', '/api/projects/migr', { releaseCommand: 'echo failing migration >&2; exit 3' })).status).toBe(200);
      const failing = await deployCounter('migr', 'v2');
      expect(await settledOrSay(failing.id)).toMatchObject({ status: 'failed', errorCode: 'RELEASE_COMMAND_FAILED' });
      const failedLines = (await logLines(stack, failing.id)).map((l) => l.line);
      expect(failedLines).toContain('failing migration');
      expect(failedLines.some((l) => l.includes('exited with code 3'))).toBe(true);
      expect(failedLines.some((l) => l.startsWith('container started'))).toBe(false);

      expect((await api('PATCH', '/api/projects/migr', { releaseCommand: 'echo started; sleep 30' })).status).toBe(200);
      const slow = await deployCounter('migr', 'v3');
      const slowEnd = await settledOrSay(slow.id);
      expect(slowEnd).toMatchObject({ status: 'failed', errorCode: 'RELEASE_COMMAND_FAILED' });
      expect(slowEnd.errorMessage).toContain('RELEASE_TIMEOUT_MS');
    } finally {
      await load.stop();
    }
    const failures = load.samples.filter((s) => s.status !== 200 || s.body !== 'v1');
    expect(load.samples.length).toBeGreaterThan(0);
    expect(failures.slice(0, 5)).toEqual([]);

    // Back to berth.json's (null), and a bad setting is a 400.
    expect((await api('PATCH', '/api/projects/migr', { releaseCommand: 'echo a\nrm -rf /' })).status).toBe(400);
    expect((await api('PATCH', '/api/projects/migr', { releaseCommand: '' })).status).toBe(400);
    expect((await api('PATCH', '/api/projects/migr', { releaseCommand: null })).body.releaseCommand).toBeNull();
    const next = await deployCounter('migr', 'v4');
    expect((await settledOrSay(next.id)).status).toBe('running');
    await serving('migr', 'v4');
    expect((await logLines(stack, next.id)).some((l) => l.line === 'migrated to v4')).toBe(true);
  }, 420_000);
});

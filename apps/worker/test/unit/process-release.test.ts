import { expect, it, vi } from 'vitest';
import type { DeploymentRow } from '@berth/shared/db';
import { startRelease, type ReleaseStartDeps } from '../../src/release-start.ts';

// Swarm mode runs the web process only: a production release with other process types is refused
// before anything starts (after its types are recorded, so the views show them).
it('refuses processes besides web in swarm mode with NEEDS_DOCKER_RUNTIME, starting nothing', async () => {
  const setProcesses = vi.fn(async () => {});
  const runContainer = vi.fn();
  const deps = {
    config: { BERTH_RUNTIME: 'swarm', BERTH_INSTANCE: 't' },
    runtime: { runContainer },
    projects: { get: async () => undefined },
    volumes: { forProject: async () => [] },
    services: { forProject: async () => [], password: () => '' },
    processStore: { setProcesses },
  } as unknown as ReleaseStartDeps;
  const deployment = { id: 'd1', project: 'p', promote: true, release_of: null, env: {} } as unknown as DeploymentRow;
  const log = { system: vi.fn(), write: vi.fn(), flush: vi.fn() } as never;
  const asked = { processes: { web: 'npm start', worker: 'node worker.js' } };
  await expect(startRelease(deps, deployment, 'img', asked, log, new AbortController().signal)).rejects.toMatchObject({
    code: 'NEEDS_DOCKER_RUNTIME',
    message: expect.stringContaining('worker'),
  });
  expect(setProcesses).toHaveBeenCalledWith('d1', asked.processes);
  expect(runContainer).not.toHaveBeenCalled();
});

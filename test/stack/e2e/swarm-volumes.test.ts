import { describe, expect, it } from 'vitest';
import { containerName } from '@berth/shared/docker-names';
import { waitFor } from '@berth/testing/ports';
import { docker } from '@berth/testing/stack';
import { counting, deployCounter, settledOrSay, state } from './counter-setup.ts';
import { api, createProject, serving, stack, useReleaseStack } from './releases-setup.ts';

// Project volumes in swarm mode (issue 28): each release's service mounts the project's volumes and is
// placed on the node holding them (this one-node swarm's), so the data outlives releases and rollbacks.
// A task's start (scheduling, the overlay, the prober) is slower than a container's on a loaded machine: 30 s to answer, as swarm-pipeline's.
useReleaseStack({ runtime: 'swarm', env: { HEALTHCHECK_TIMEOUT_MS: '30000' } });

interface ServiceSpec {
  TaskTemplate: { Placement?: { Constraints?: string[] }; ContainerSpec: { Mounts?: { Type: string; Source: string; Target: string }[] } };
}
const specOf = async (deploymentId: string) =>
  ((await docker.getService(containerName(stack.instance, deploymentId)).inspect()) as { Spec: ServiceSpec }).Spec;

describe('volumes in swarm mode', () => {
  it('keep a counter across 3 releases and a rollback, every service placed on the node holding them; a run mounts them too', async () => {
    const here = ((await docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
    await createProject({ name: 'tally', healthPath: '/healthz' });
    expect((await api('POST', '/api/projects/tally/volumes', { name: 'data', mountPath: '/data' })).status).toBe(201);
    const { countUp, last } = counting('tally');
    const ids: string[] = [];
    for (const version of ['v1', 'v2', 'v3']) {
      const d = await deployCounter('tally', version);
      const end = await settledOrSay(d.id);
      expect(end.status, `${end.errorCode}: ${end.errorMessage}`).toBe('running');
      await serving('tally', version);
      ids.push(d.id);
      await countUp();
      const spec = await specOf(d.id);
      expect(spec.TaskTemplate.Placement?.Constraints).toEqual([`node.id == ${here}`]);
      expect(spec.TaskTemplate.ContainerSpec.Mounts?.map((m) => [m.Type, m.Target])).toEqual([['volume', '/data']]);
    }
    expect(last()).toBeGreaterThanOrEqual(9);
    // The release command ran on this node (the worker's), with the volume mounted.
    expect((await state('tally')).migrations).toBe('migrated v1\nmigrated v2\nmigrated v3\n');

    await waitFor('v2 stopped', async () => (await api('GET', `/api/deployments/${ids[1]}`)).body.status === 'stopped', 30_000);
    const back = await api('POST', '/api/projects/tally/rollback', {});
    expect(back.status).toBe(202);
    const rolled = await settledOrSay(back.body.id);
    expect(rolled.status, `${rolled.errorCode}: ${rolled.errorMessage}`).toBe('running');
    await serving('tally', 'v2');
    await countUp();
    expect((await specOf(back.body.id)).TaskTemplate.Placement?.Constraints).toEqual([`node.id == ${here}`]);

    // A one-off run in the current release sees the same volume (a plain container on this node).
    const run = (await api('POST', '/api/projects/tally/runs', { command: 'echo "count=$(cat /data/count)"; exit 3' })).body;
    const ended = await waitFor('the run to end', async () => {
      const now = (await api('GET', `/api/projects/tally/runs/${run.id}`)).body;
      return now.finishedAt ? now : undefined;
    }, 60_000);
    expect(ended).toMatchObject({ status: 'failed', exitCode: 3 });
    const lines = (await api('GET', `/api/projects/tally/runs/${run.id}/logs`)).body.lines.map((l: { line: string }) => l.line);
    expect(lines, JSON.stringify(lines)).toContain(`count=${last()}`);
  }, 600_000);

  it('fails a release whose volumes are recorded on a node no longer in the swarm: VOLUME_NODE_UNAVAILABLE, nothing started', async () => {
    await createProject({ name: 'stranded', healthPath: '/healthz' });
    expect((await api('POST', '/api/projects/stranded/volumes', { name: 'data', mountPath: '/data' })).status).toBe(201);
    await stack.db.db.updateTable('volumes').set({ node_id: 'gone0node0id' }).where('project', '=', 'stranded').execute();
    const d = await deployCounter('stranded', 'v1');
    const end = await settledOrSay(d.id);
    expect(end).toMatchObject({ status: 'failed', errorCode: 'VOLUME_NODE_UNAVAILABLE' });
    expect(end.errorMessage).toContain('gone0node0id, which is no longer in the swarm');
    expect(await docker.listServices({ filters: { name: [containerName(stack.instance, d.id)] } })).toEqual([]);
  }, 240_000);
});

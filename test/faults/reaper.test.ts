import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDeploymentId } from '@berth/shared/ids';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { serviceNetworkName } from '../../apps/worker/src/docker/swarm-service-spec.ts';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { runtimeWait } from '@berth/testing/runtime-wait';
import { waitFor } from '@berth/testing/ports';
import { docker, instanceContainers, instanceImages, startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  // A heartbeat every 200 ms: an in-flight deployment is failed ORPHANED after 600 ms with no job and no owner.
  stack = await startStack({ router: false, env: { ORPHAN_GRACE_MS: '500', REAPER_INTERVAL_MS: '300', WORKER_HEARTBEAT_MS: '200' } });
});
afterAll(async () => {
  await stack?.close();
});

const status = async (id: string) => (await stack.db.store.get(id))!.status;

describe('the reaper', () => {
  it('fails an in-flight deployment that no job owns with ORPHANED', async () => {
    const id = newDeploymentId();
    await stack.db.store.create({ id, project: 'orphan', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
    await stack.db.lifecycle.transition(id, ['queued'], 'fetching');
    await stack.db.lifecycle.transition(id, ['fetching'], 'building'); // as if its worker and job vanished
    await waitFor('orphan failed', async () => (await status(id)) === 'failed', 10_000);
    expect((await stack.db.store.get(id))!.error_code).toBe('ORPHANED');
  });

  it('leaves a build whose worker goes on after Redis lost all its data (job, heartbeats, log counter): it goes live, every build line stored once', async () => {
    const d = await createDeployment(stack, { archive: await zipTestApp('slow', { 'nonce.txt': String(Math.random()) }) });
    await waitFor('the slow step started', async () => (await stack.db.logs.read(d.id)).some((l) => l.line === 'slow build starting'), 60_000);
    await forgetEverythingInRedis(stack.instance); // as a Redis restarted without its data
    expect((await settled(stack, d.id, runtimeWait(60_000))).status).toBe('running');
    const lines = await stack.db.logs.read(d.id);
    expect(lines.filter((l) => l.line === 'slow build done')).toHaveLength(1);
    const seqs = lines.map((l) => l.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('enqueues again a queued deployment whose job was lost, and it deploys', async () => {
    const id = newDeploymentId();
    await stack.db.store.create({
      id,
      project: 'lostjob',
      sourceType: 'archive',
      rootDir: '',
      archive: { format: 'zip', data: await zipTestApp('hello') },
      port: 3000,
      env: {},
    }); // a row without a job: the API died between the two
    expect((await settled(stack, id, runtimeWait(30_000))).status).toBe('running');
  });

  it('marks a running deployment crashed when its container is gone', async () => {
    const d = await createDeployment(stack, { archive: await zipTestApp('hello') });
    expect((await settled(stack, d.id)).status).toBe('running');
    const name = `berth-${stack.instance}-${d.id}`;
    // Swarm mode: the deployment's service is what goes.
    if (stack.swarm) await docker.getService(name).remove();
    else await docker.getContainer(name).remove({ force: true });
    await waitFor('crashed', async () => (await status(d.id)) === 'crashed', 10_000);
  });

  it('removes the container of a deployment that ended while nobody cleaned up, keeping its image while it is a kept release', async () => {
    const d = await createDeployment(stack, { archive: await zipTestApp('hello') });
    expect((await settled(stack, d.id)).status).toBe('running');
    // Stopped behind the workers' backs (no control message).
    await stack.db.lifecycle.transition(d.id, ['running'], 'stopped');
    await waitFor('container removed', async () => {
      // Swarm mode: the reaper removes the service; its task containers are Swarm's to tear down after that.
      if (stack.swarm) return (await docker.listServices({ filters: { label: [`dev.berth.deployment=${d.id}`] } })).length === 0;
      const containers = (await instanceContainers(stack.instance)).filter((c) => c.Labels['dev.berth.deployment'] === d.id);
      return containers.length === 0;
    }, 10_000);
    // Swarm mode: its network goes with the service.
    if (stack.swarm) await waitFor('its network removed', async () => !(await networkExists(serviceNetworkName(`berth-${stack.instance}-${d.id}`))), 30_000);
    // A stopped release keeps its image for rollback (RELEASES_KEPT per project)...
    expect((await instanceImages(stack.instance)).filter((t) => t.includes(d.id))).toHaveLength(1);
    // ...until its row is gone (the project was deleted): then nothing of it is kept.
    await stack.db.db.deleteFrom('deployments').where('id', '=', d.id).execute();
    await waitFor('image removed', async () => (await instanceImages(stack.instance)).filter((t) => t.includes(d.id)).length === 0, 10_000);
    if (stack.swarm) {
      // Its registry tag on this node goes with it (and the registry's copy: security/registry-copies). The worker
      // removes the build tag, the registry's copy, then the registry tag: wait for the last as for the first.
      const registryTags = async () =>
        (await docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${stack.env.BERTH_REGISTRY}/`) && t.includes(d.id));
      await waitFor('registry tag removed', async () => (await registryTags()).length === 0 || undefined, 10_000).catch(() => {});
      expect(await registryTags()).toEqual([]);
    }
  });

  // By design, swarm only: docker mode makes no network per deployment, so there is none to leave behind
  // (the swarm matrix of scripts/test.sh runs this file with BERTH_RUNTIME=swarm).
  it.runIf(process.env.BERTH_RUNTIME === 'swarm')('swarm only (docker mode has no per-deployment network): removes a deployment network left without its service (a worker killed between the two)', async () => {
    const gone = newDeploymentId(); // no row: unknown, as after a project was deleted
    const network = serviceNetworkName(`berth-${stack.instance}-${gone}`);
    await docker.createNetwork({
      Name: network,
      Driver: 'overlay',
      Attachable: true,
      Labels: { 'dev.berth.instance': stack.instance, 'dev.berth.deployment': gone },
    });
    // Another installation's network of the same shape is not this reaper's.
    const foreign = serviceNetworkName(`berth-other-${gone}`);
    await docker.createNetwork({ Name: foreign, Driver: 'overlay', Attachable: true, Labels: { 'dev.berth.instance': 'other', 'dev.berth.deployment': gone } });
    try {
      await waitFor('the leftover network removed', async () => !(await networkExists(network)), 15_000);
      expect(await networkExists(foreign)).toBe(true);
    } finally {
      await docker.getNetwork(foreign).remove().catch(() => {});
    }
  });
});

/** Deletes every key of this installation: BullMQ's (its prefix) and Berth's own (`berth:<instance>:`). */
async function forgetEverythingInRedis(instance: string): Promise<void> {
  const redis = createRedis(stack.env.REDIS_URL!);
  try {
    for (const pattern of [`${queuePrefix(instance)}:*`, `berth:${instance}:*`]) {
      const keys = await redis.keys(pattern);
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    await redis.quit();
  }
}

async function networkExists(name: string): Promise<boolean> {
  return (await docker.listNetworks({ filters: { name: [name] } })).some((n) => n.Name === name);
}

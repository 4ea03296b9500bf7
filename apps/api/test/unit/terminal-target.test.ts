import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { terminalTarget } from '../../src/terminal/terminal-target.ts';

// Swarm mode's choice of a task, around a fake Docker: which containers run here, which tasks run anywhere.
const swarm = { BERTH_INSTANCE: 'i', BERTH_RUNTIME: 'swarm' as const };
const taskHere = (slot: number) => ({ Id: `c${slot}`, Labels: { 'com.docker.swarm.task.name': `berth-i-dep.${slot}.t${slot}` } });
const task = (slot: number, state = 'running') => ({ Slot: slot, Status: { State: state } });

function fakeDocker(here: object[], tasks: object[]): Docker {
  return {
    listContainers: async () => here,
    listTasks: async () => tasks,
    getContainer: (id: string) => ({ id }),
  } as unknown as Docker;
}

describe('terminalTarget in swarm mode', () => {
  it('takes the replica asked for when it runs here, else the lowest slot here', async () => {
    const docker = fakeDocker([taskHere(3), taskHere(1)], [task(1), task(2), task(3)]);
    expect(await terminalTarget(docker, swarm, 'dep', 3)).toMatchObject({ replica: 3, container: { id: 'c3' } });
    expect(await terminalTarget(docker, swarm, 'dep')).toMatchObject({ replica: 1, container: { id: 'c1' } });
  });

  it('refuses a replica on another node (409 TERMINAL_ON_OTHER_NODE), one that runs nowhere (404), and a service with no running task (409)', async () => {
    const elsewhere = fakeDocker([taskHere(1)], [task(1), task(2), task(4, 'starting')]);
    await expect(terminalTarget(elsewhere, swarm, 'dep', 2)).rejects.toMatchObject({ code: 'TERMINAL_ON_OTHER_NODE', message: expect.stringMatching(/replica 2 .* another swarm node/) });
    await expect(terminalTarget(elsewhere, swarm, 'dep', 4)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(terminalTarget(fakeDocker([], [task(2)]), swarm, 'dep')).rejects.toMatchObject({ code: 'TERMINAL_ON_OTHER_NODE', message: expect.stringMatching(/none runs here/) });
    await expect(terminalTarget(fakeDocker([], []), swarm, 'dep')).rejects.toMatchObject({ code: 'DEPLOYMENT_NOT_LIVE' });
  });

  it('says Docker cannot be reached as 503 TERMINAL_UNAVAILABLE', async () => {
    const down = { listContainers: async () => Promise.reject(new Error('connect ENOENT /var/run/docker.sock')) } as unknown as Docker;
    await expect(terminalTarget(down, swarm, 'dep')).rejects.toMatchObject({ code: 'TERMINAL_UNAVAILABLE' });
  });
});

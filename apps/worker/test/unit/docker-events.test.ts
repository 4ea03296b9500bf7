import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ContainerEvent } from '../../src/docker/container-runtime.ts';
import { parseDockerEvent, watchDockerEvents } from '../../src/docker/docker-events.ts';

const line = (action: string, deployment: string | undefined, time: number) =>
  JSON.stringify({
    Type: 'container',
    Action: action,
    time,
    timeNano: time * 1e9 + 5e6,
    Actor: { ID: 'abc', Attributes: deployment === undefined ? {} : { 'dev.berth.deployment': deployment, 'dev.berth.instance': 'i' } },
  }) + '\n';

type Script = ((stream: PassThrough) => Promise<void> | void) | 'refuse';

/** A dockerode whose event streams are scripted: each call to getEvents gets the next script. */
function fakeDocker(scripts: Script[]) {
  const calls: { since?: number; filters?: unknown }[] = [];
  const docker = {
    getEvents: async (options: { since?: number; filters?: unknown; abortSignal?: AbortSignal }) => {
      calls.push({ since: options.since, filters: options.filters });
      const script = scripts.shift();
      if (script === undefined || script === 'refuse') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      const stream = new PassThrough();
      options.abortSignal?.addEventListener('abort', () => stream.destroy(), { once: true });
      setImmediate(() => void script(stream));
      return stream;
    },
  };
  return { docker: docker as unknown as Docker, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('docker events', () => {
  it('parses lifecycle events of labelled containers and ignores everything else', () => {
    expect(parseDockerEvent(line('die', 'd1', 1_700_000_000))).toEqual({ deploymentId: 'd1', action: 'die', time: 1_700_000_000_005 });
    expect(parseDockerEvent(line('exec_start: sh', 'd1', 1))).toBeUndefined();
    expect(parseDockerEvent(line('start', undefined, 1))).toBeUndefined();
    expect(parseDockerEvent(line('start', '', 1))).toBeUndefined();
    expect(parseDockerEvent('{"Action":"start","Actor":{"Attributes":{"dev.berth.deployment":7}}}')).toBeUndefined();
    expect(parseDockerEvent('not json')).toBeUndefined();
    expect(parseDockerEvent('null')).toBeUndefined();
  });

  it('reconnects after the stream breaks, asking Docker to replay from the last event, and survives a daemon away for a while', async () => {
    // Events stamped later than the watch began (Docker's clock a little ahead).
    const base = Math.floor(Date.now() / 1000) + 100;
    const { docker, calls } = fakeDocker([
      // A start, half of a line, then the stream breaks (dockerd restarted).
      async (s) => {
        s.write(line('start', 'd1', base));
        s.write(line('die', 'd1', base + 1).slice(0, 20));
        await tick();
        s.destroy(new Error('socket hang up'));
      },
      // The daemon refuses one reconnect; then it is back and replays the die from `since`.
      'refuse',
      (s) => {
        s.write(line('die', 'd1', base + 1));
        s.write(line('restart', 'd2', base + 2));
      },
    ]);
    const seen: ContainerEvent[] = [];
    const controller = new AbortController();
    const watching = watchDockerEvents(docker, 'i', controller.signal, (e) => seen.push(e));
    await until(() => seen.length === 3);
    controller.abort();
    await watching;
    expect(seen.map((e) => `${e.deploymentId}:${e.action}`)).toEqual(['d1:start', 'd1:die', 'd2:restart']);
    expect(calls[0]!.filters).toEqual({
      type: ['container'],
      event: ['start', 'die', 'restart', 'oom', 'destroy', 'stop'],
      label: ['dev.berth.instance=i'],
    });
    expect(calls.map((c) => c.since)).toEqual([calls[0]!.since, base, base]);
  });

  it('ends when aborted while the stream is open and while waiting to reconnect', async () => {
    const open = fakeDocker([() => {}]);
    const controller = new AbortController();
    const watching = watchDockerEvents(open.docker, 'i', controller.signal, () => {});
    await until(() => open.calls.length === 1);
    controller.abort();
    await watching;

    const away = fakeDocker(['refuse']);
    const second = new AbortController();
    const waiting = watchDockerEvents(away.docker, 'i', second.signal, () => {});
    await until(() => away.calls.length === 1);
    second.abort();
    await waiting;
    expect(away.calls).toHaveLength(1);
  });
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

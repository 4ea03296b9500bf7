import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { nodeRuntimes } from '@berth/shared/node-runtimes';
import type { RuntimeLine } from '../../../apps/worker/src/docker/container-runtime.ts';
import { followServiceLogs } from '../../../apps/worker/src/docker/swarm-service-logs.ts';
import { stampMicros } from '../../../apps/worker/src/log-timestamps.ts';
import { waitFor } from '@berth/testing/ports';
import { removeInstanceServices } from '@berth/testing/swarm-stack';

// A task's output through the manager's service logs (what a swarm worker reads for a task on a
// node where no worker runs), on this one-node swarm: lines with their stamps, and a follower
// stopped and resumed the way the runtime log pump resumes loses and repeats nothing.
const docker = new Docker();
const instance = `svclogs${process.pid}`;
const service = `${instance}-app`;

beforeAll(async () => {
  // The pinned Node image every installation has locally: nothing to push on one node.
  const script = "let i=0;setInterval(()=>{console.log('out '+i);console.error('err '+i);i++},10)";
  await docker.createService({
    Name: service,
    Labels: { [labels.instance]: instance },
    TaskTemplate: { ContainerSpec: { Image: `berth/node:${nodeRuntimes.pinned}`, Command: ['node', '-e', script], Labels: { [labels.instance]: instance } } },
  } as Docker.CreateServiceOptions);
}, 60_000);
afterAll(() => removeInstanceServices(instance), 90_000);

/** Follows from `resume` (the newest stored line's stamp and how many stored lines share it) until `enough`. */
async function follow(resume: { micros: bigint; lines: number } | undefined, enough: (stored: RuntimeLine[]) => boolean): Promise<RuntimeLine[]> {
  const stored: RuntimeLine[] = [];
  const controller = new AbortController();
  let alreadyStored = resume?.lines ?? 0;
  const following = followServiceLogs(docker, service, {
    sinceSeconds: resume ? Number(resume.micros / 1_000_000n) : 0,
    signal: controller.signal,
    onLine: (line) => {
      // The pump's rule (runtime-log-pump.ts copyOutput): older than the newest stored, or one of those sharing its stamp.
      const micros = stampMicros(line.ts);
      if (resume && micros < resume.micros) return;
      if (resume && micros === resume.micros && alreadyStored-- > 0) return;
      stored.push(line);
      if (enough(stored)) controller.abort();
    },
  });
  await waitFor('enough lines', async () => controller.signal.aborted, 60_000, 20);
  await following;
  return stored;
}

const numbers = (lines: RuntimeLine[], prefix: string) => lines.filter((l) => l.line.startsWith(prefix)).map((l) => Number(l.line.slice(prefix.length)));

it('follows a service through the manager, and a resumed follower loses and repeats no line', async () => {
  const first = await follow(undefined, (s) => s.length >= 200);
  // Each stream keeps its order; the two streams are separate pipes, so which of 'out 0' and
  // 'err 0' comes first is not fixed (cold CI saw 'err 0' first).
  expect(first.find((l) => l.line.startsWith('out '))).toMatchObject({ line: 'out 0', source: 'stdout' });
  expect(first.find((l) => l.line.startsWith('err '))).toMatchObject({ line: 'err 0', source: 'stderr' });
  expect(first.every((l) => l.source === (l.line.startsWith('out ') ? 'stdout' : 'stderr'))).toBe(true);
  expect(first.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(l.ts))).toBe(true);
  // A worker restart: what was stored decides where the next follower starts.
  const last = first.at(-1)!;
  const micros = stampMicros(last.ts);
  const resume = { micros, lines: first.filter((l) => stampMicros(l.ts) === micros).length };
  const second = await follow(resume, (s) => s.length >= 200);
  for (const prefix of ['out ', 'err ']) {
    const all = [...numbers(first, prefix), ...numbers(second, prefix)];
    expect(all, prefix).toEqual(all.map((_, i) => i)); // 0, 1, 2, … : none lost, none twice
  }
}, 120_000);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request, SseClient } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { authHeaders, docker, startStack, testNetwork, type Stack } from '@berth/testing/stack';

// Build and runtime output of a real app through the real worker, Docker and API.
let stack: Stack;
let deployment: any;
let ip: string;
const swarm = process.env.BERTH_RUNTIME === 'swarm';
beforeAll(async () => {
  stack = await startStack({
    // Swarm mode: the app is on an overlay this process cannot reach; requests go through the Caddy container.
    router: swarm,
    env: { RUNTIME_LOG_RETENTION_LINES: '300', RUNTIME_LOG_DISCOVERY_MS: '300', RUNTIME_LOG_LEASE_MS: '1500' },
  });
  deployment = await createDeployment(stack, {
    archive: await zipTestApp('chatty', { 'nonce.txt': String(Math.random()) }),
    fields: { env: JSON.stringify({ API_KEY: 'sk_live_abcdef123456', DEBUG: '1' }) },
  });
  expect((await settled(stack, deployment.id)).status).toBe('running');
  if (swarm) {
    await waitFor('route', async () => (await hit('/health')).status === 200, 20_000);
    return;
  }
  const info = await docker.getContainer(`berth-${stack.instance}-${deployment.id}`).inspect();
  ip = info.NetworkSettings.Networks[testNetwork]!.IPAddress;
});
afterAll(async () => {
  await stack?.close();
});

const hit = (path: string) =>
  swarm ? request(`${stack.caddyUrl}${path}`, { host: `${deployment.id}.localhost` }) : request(`http://${ip}:3000${path}`);
const runtimeLines = async () => (await logLines(stack, deployment.id)).filter((l) => l.stream === 'runtime');

describe('build output', () => {
  it('keeps the final state of \\r progress lines, colours, a 1 MB line (split) and survives binary noise', async () => {
    const lines = (await logLines(stack, deployment.id)).filter((l) => l.stream === 'build').map((l) => l.line);
    expect(lines).toContain('progress 100%');
    expect(lines.some((l) => l.startsWith('progress 10%'))).toBe(false);
    expect(lines).toContain('\u001b[32mcompiled successfully\u001b[0m');
    const pieces = lines.filter((l) => /^L+$/.test(l));
    expect(pieces.join('').length).toBe(1024 * 1024);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(16 * 1024);
    expect(lines).toContain('after the noise');

    const text = await (await fetch(`${stack.apiUrl}/api/deployments/${deployment.id}/logs?format=text&stream=build&limit=10000`, { headers: authHeaders })).text();
    expect(text).toContain('\ncompiled successfully\n'); // colours stripped for plain text
  });
});

describe('runtime output', () => {
  it('captures stdout and stderr as runtime lines and streams them with ?follow=runtime', async () => {
    const sse = await SseClient.open(`${stack.apiUrl}/api/deployments/${deployment.id}/events?follow=runtime`);
    await hit('/err');
    await sse.waitFor((e) => e.event === 'log' && e.data.stream === 'runtime' && /^stderr line for request \d+$/.test(e.data.line));
    expect(sse.ended).toBe(false); // follow mode stays open while the app runs
    sse.close();
    const plain = await SseClient.open(`${stack.apiUrl}/api/deployments/${deployment.id}/events`);
    await plain.waitForEnd(); // without follow, a live deployment's stream ends after history
    expect(plain.events.at(-1)).toMatchObject({ event: 'end', data: { status: 'running' } });
  });

  it('masks env values wherever they appear', async () => {
    await waitFor('start line', async () => (await runtimeLines()).some((l) => l.line.startsWith('starting with key')));
    const start = (await runtimeLines()).find((l) => l.line.startsWith('starting with key'))!;
    expect(start.line).toBe('starting with key ••••••');
    const all = JSON.stringify(await logLines(stack, deployment.id));
    expect(all).not.toContain('sk_live_abcdef123456');
  });

  it('resumes after the following worker stops, with no line lost or repeated, and trims to the retention limit', async () => {
    await hit('/?lines=5');
    await waitFor('lines of the first request', async () => (await runtimeLines()).some((l) => /line 5$/.test(l.line)));
    const [first] = stack.workers;
    await first!.close(); // the worker that followed the app goes away
    const requests = [];
    for (let i = 0; i < 3; i++) requests.push(Number((await hit('/?lines=2')).body));
    await stack.addWorker(); // another worker discovers the unfollowed deployment
    for (const n of requests) {
      await waitFor(`request ${n} lines`, async () =>
        (await runtimeLines()).some((l) => l.line === `request ${n} line 2`),
      );
    }
    const texts = (await runtimeLines()).map((l) => l.line);
    for (const n of requests) {
      expect(texts.filter((t) => t === `request ${n} line 1`)).toHaveLength(1);
      expect(texts.filter((t) => t === `request ${n} line 2`)).toHaveLength(1);
    }
    expect(texts.filter((t) => t.startsWith('listening on'))).toHaveLength(1);

    // Retention: 300 runtime lines kept, the newest.
    await hit('/?lines=700');
    await waitFor('trimmed to the retention limit', async () => {
      const rt = await runtimeLines();
      return rt.length <= 300 && rt.at(-1)?.line.endsWith('line 700');
    }, 20_000);
    const seqs = (await runtimeLines()).map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});

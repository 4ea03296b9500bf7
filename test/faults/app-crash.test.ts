import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { RUNTIME_LOG_DISCOVERY_MS: '300' } });
});
afterAll(async () => {
  await stack?.close();
});

it('an app that dies is marked crashed, loses its route, and is running again with its route once Docker restarts it', async () => {
  const d = await createDeployment(stack, { archive: await zipTestApp('chatty') });
  expect((await settled(stack, d.id)).status).toBe('running');
  const viaCaddy = () => request(`${stack.caddyUrl}/`, { host: `${d.id}.localhost` });
  await waitFor('route', async () => (await viaCaddy()).status === 200);

  await request(`${stack.caddyUrl}/crash`, { host: `${d.id}.localhost` }).catch(() => undefined);
  let timeline: string[] = [];
  await waitFor('crashed and back', async () => {
    timeline = (await stack.db.history.list(d.id)).map((t) => t.status);
    return timeline.join(',').endsWith('running,crashed,running');
  }, 20_000).catch(async (err: Error) => {
    // Say where it stopped: the status timeline and the app's last lines.
    const tail = (await logLines(stack, d.id)).slice(-8).map((l) => l.line);
    throw new Error(`${err.message}; timeline ${timeline.join(' → ')}; last lines ${JSON.stringify(tail)}`);
  });
  await waitFor('route back', async () => (await viaCaddy()).status === 200, 10_000);
  // The log tells the story (lines are flushed a moment after the status changes).
  const lines = await waitFor('the crash in the logs', async () => {
    const all = (await logLines(stack, d.id)).map((l) => l.line);
    return all.includes('the app is running again') ? all : undefined;
  }, 10_000);
  expect(lines).toContain('crashing on purpose');
  const stopped = lines.findIndex((l) => l.startsWith('the app stopped'));
  expect(stopped).toBeGreaterThanOrEqual(0);
  expect(lines.indexOf('the app is running again')).toBeGreaterThan(stopped);
});

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient } from '@berth/testing/http';
import { startStack, type Stack } from '@berth/testing/stack';
import { berth, ok, releaseDir, scratch } from './cli-setup.ts';

// berth deploy without its event stream: a stack of its own whose token may hold one stream only.
describe('when the event stream is refused', () => {
  let small: Stack;
  beforeAll(async () => {
    small = await startStack({ router: false, env: { MAX_EVENT_STREAMS_PER_TOKEN: '1' } });
  });
  afterAll(async () => {
    await small?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('berth deploy follows the deployment by polling and still exits 0 once it is live', async () => {
    // The token's one event stream is taken, so the CLI's is refused (429).
    const held = await SseClient.open(`${small.apiUrl}/api/events`);
    try {
      await ok(['projects', 'create', 'polled', '--health-path', '/healthz'], small.apiUrl);
      const r = await berth(['deploy', releaseDir('p1'), '--project', 'polled'], small.apiUrl);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/event stream lost \(event stream answered 429\); polling/);
      expect(r.out).toContain('→ running');
      expect(r.out).toMatch(/live {2}http:\/\/polled\.localhost:\d+/);
      const failing = await berth(['deploy', releaseDir('p2', 'RUN exit 4\n'), '--project', 'polled'], small.apiUrl);
      expect(failing.code, failing.out).toBe(1);
      expect(failing.out).toMatch(/failed BUILD_FAILED: .*non-zero code: 4/);
    } finally {
      held.close();
    }
    await ok(['projects', 'rm', 'polled'], small.apiUrl);
  }, 180_000);
});

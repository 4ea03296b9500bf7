import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@berth/api/app';
import { createLogger } from '@berth/shared/logger';
import { callApi, createDeployment, settled } from '@berth/testing/deployments';
import { zipTestApp } from '@berth/testing/archives';
import { logWriter } from '@berth/testing/log-writer';
import { repoRoot } from '@berth/testing/paths';
import { freePort, waitFor } from '@berth/testing/ports';
import { authHeaders, startStack, testToken, type Stack } from '@berth/testing/stack';
import { startWebhookReceiver } from '@berth/testing/webhook-receiver';
import { verifyBerthSignature } from '../../../docs/examples/verify-berth-signature.mjs';
import { loopbackCertificate, rsyslogReceiver } from './drains-setup.ts';

// Log drains end to end: a real rsyslog across its restart, a local HTTPS receiver that is down then back, refused URLs.
const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-drains-'));
const tls = loopbackCertificate(dir);
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    router: false,
    env: {
      WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true', // the receivers are on loopback
      LOG_DRAIN_CA_FILE: tls.caFile,
      LOG_DRAIN_POLL_MS: '500',
      LOG_DRAIN_RETRY_BASE_MS: '200',
      LOG_DRAIN_RETRY_MAX_MS: '1000',
      LOG_DRAIN_PAUSE_AFTER: '3',
    },
  });
}, 120_000);
let rsyslog: ReturnType<typeof rsyslogReceiver> | undefined;
afterAll(async () => {
  await rsyslog?.stop(); // also when its test failed before stopping it
  await stack?.close();
});

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const drainOf = async (project: string, id: string) => (await api('GET', `/api/projects/${project}/drains`)).body.items.find((d: { id: string }) => d.id === id);
const storedSeqs = async (deploymentId: string) =>
  (await stack.db.db.selectFrom('deployment_logs').select('seq').where('deployment_id', '=', deploymentId).orderBy('seq').execute()).map((r) => r.seq);
/** Each seq's first arrival, in arrival order (a batch sent again after a failure repeats lines: at least once). */
const firstArrivals = (seqs: number[]) => [...new Set(seqs)];

// A build that prints 10,000 lines over a few seconds (a pause every thousand), then the hello app;
// the nonce keeps Docker's layer cache from skipping the step on a second run.
const loudBuild = [
  'FROM berth/node:24',
  'WORKDIR /app',
  'COPY . /app/',
  `RUN echo "nonce ${randomBytes(8).toString('hex')}" && for i in $(seq 1 10000); do echo "build line $i"; if [ $((i % 1000)) = 0 ]; then sleep 0.4; fi; done`,
  'CMD ["node", "/app/server.js"]',
].join('\n');

describe('log drains', () => {
  it('a drain to rsyslog receives every line of a 10,000-line build, in order, across an rsyslog restart', async () => {
    const receiver = (rsyslog = rsyslogReceiver(dir, await freePort()));
    await receiver.start();
    expect((await api('POST', '/api/projects', { name: 'loud' })).status).toBe(201);
    const drain = await api('POST', '/api/projects/loud/drains', { url: `syslog+tcp://127.0.0.1:${receiver.port}` });
    expect(drain.status).toBe(201);
    expect(drain.body).toMatchObject({ kind: 'syslog', status: 'active', failures: 0 });
    expect(drain.body.secret).toBeUndefined();

    const created = await createDeployment(stack, { archive: await zipTestApp('hello', { Dockerfile: loudBuild }), fields: { name: 'loud' } });
    await waitFor('rsyslog took the first thousands', () => receiver.received().length >= 1500, 60_000, 50);
    await receiver.stop();
    await waitFor('the drain failing while rsyslog is down', async () => (await drainOf('loud', drain.body.id)).failures >= 1, 10_000, 100);
    await receiver.start();
    expect((await settled(stack, created.id)).status).toBe('running');

    // The app's runtime lines keep coming after the build's: stored is read again each round.
    let stored: number[] = [];
    await waitFor('every stored line at rsyslog', async () => {
      stored = await storedSeqs(created.id);
      return new Set(receiver.received().map((l) => l.seq)).size === stored.length;
    }, 60_000, 200).catch((err: Error) => {
      const arrived = new Set(receiver.received().map((l) => l.seq));
      const missing = stored.filter((seq) => !arrived.has(seq));
      throw new Error(`${err.message}: ${missing.length} of ${stored.length} missing, seqs ${missing.slice(0, 5).join(', ')} … ${missing.slice(-5).join(', ')}`);
    });
    expect(stored.length).toBeGreaterThan(10_000);
    const received = receiver.received();
    expect(firstArrivals(received.map((l) => l.seq))).toEqual(stored);
    // Sent again: at most the batches under way when rsyslog stopped (LOG_DRAIN_BATCH_LINES each).
    expect(received.length - stored.length, `${received.length} arrivals of ${stored.length} lines`).toBeLessThanOrEqual(1000);
    const texts = new Set(received.map((l) => l.msg.replace(/^.*?(build line \d+)$/, '$1')));
    for (let i = 1; i <= 10_000; i++) if (!texts.has(`build line ${i}`)) throw new Error(`build line ${i} never arrived`);
    expect(new Set(received.map((l) => `${l.app} ${l.procid}`))).toEqual(new Set([`loud ${created.id}`]));
    expect(new Set(received.map((l) => l.msgid))).toContain('build');
    expect(await drainOf('loud', drain.body.id)).toMatchObject({ status: 'active', failures: 0, lastError: null });
    await receiver.stop();
  }, 180_000);

  it('an HTTPS drain is signed; a receiver that is down pauses it with its error, and it resumes once the receiver is back', async () => {
    const answers = Array<number>(1000).fill(503);
    const rx = await startWebhookReceiver(answers, { cert: tls.cert, key: tls.key });
    expect((await api('POST', '/api/projects', { name: 'logs' })).status).toBe(201);
    const drain = await api('POST', '/api/projects/logs/drains', { url: `${rx.url}?key=secret-in-the-url` });
    expect(drain.status).toBe(201);
    expect(drain.body.secret).toMatch(/^whsec_/);

    const writer = await logWriter(stack); // a deployment of project "logs" writing through the real LogSink
    await writer.lines(1200);
    const paused = await waitFor('the drain paused', async () => ((await drainOf('logs', drain.body.id)).status === 'paused' ? drainOf('logs', drain.body.id) : undefined), 20_000, 100);
    expect(paused).toMatchObject({ status: 'paused', lastError: 'the receiver answered 503' });
    expect(paused.failures).toBeGreaterThanOrEqual(3);

    answers.length = 0; // the receiver is back
    const seqsAt = () => rx.got.filter((g) => g.headers['x-berth-delivery']?.includes(writer.id)).flatMap((g) => g.raw.trimEnd().split('\n').map((l) => JSON.parse(l).seq as number));
    await waitFor('every line delivered', async () => new Set(seqsAt()).size === 1200 && (await drainOf('logs', drain.body.id)).status === 'active', 20_000, 100);
    // The 503s got the same batches: only the first arrivals count.
    expect(firstArrivals(seqsAt())).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    for (const g of rx.got) {
      expect(g.headers['content-type']).toBe('application/x-ndjson');
      expect(verifyBerthSignature(drain.body.secret, g.headers['x-berth-signature'], g.raw)).toBe(true);
    }
    expect(JSON.parse(rx.got.at(-1)!.raw.split('\n')[0]!)).toMatchObject({ project: 'logs', deploymentId: writer.id, stream: 'build' });
    expect(await drainOf('logs', drain.body.id)).toMatchObject({ status: 'active', failures: 0, lastError: null });

    // A reader sees the drain and its state, not its URL's path and query or its secret; it may not add or remove drains.
    const reader = (await api('POST', '/api/tokens', { name: 'drain-reader', scope: 'read' })).body.token as string;
    const asReader = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      stack.inject({ method, url, headers: { authorization: `Bearer ${reader}` }, ...(payload ? { payload } : {}) });
    const seen = (await asReader('GET', '/api/projects/logs/drains')).json().items[0];
    expect(seen.url).toBe(`${new URL(rx.url).origin}/…`);
    expect(JSON.stringify(seen)).not.toContain('secret-in-the-url');
    expect((await asReader('POST', '/api/projects/logs/drains', { url: rx.url })).statusCode).toBe(403);
    expect((await asReader('DELETE', `/api/projects/logs/drains/${drain.body.id}`)).statusCode).toBe(403);
    expect((await api('DELETE', `/api/projects/logs/drains/${drain.body.id}`)).status).toBe(200);
    expect((await api('DELETE', `/api/projects/logs/drains/${drain.body.id}`)).status).toBe(404);
    await writer.close();
    await rx.close();
  }, 60_000);

  it('the CLI adds a drain (an https one\'s secret printed once), lists it, resumes and removes it; a bad URL is the API\'s refusal', async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)('node', ['apps/cli/bin/berth.mjs', 'drains', ...args], { cwd: repoRoot, env: { ...process.env, BERTH_URL: stack.apiUrl, BERTH_TOKEN: testToken, NO_COLOR: '1' } });
    expect((await api('POST', '/api/projects', { name: 'bycli' })).status).toBe(201);
    expect((await cli('bycli')).stdout).toMatch(/no log drains on bycli/);
    const added = (await cli('bycli', 'add', 'https://127.0.0.1:9/in')).stdout;
    const [, id] = /added drain (drn_\w+)/.exec(added) ?? [];
    expect(id, added).toBeDefined();
    expect(added).toMatch(/signing secret \(shown only now\): whsec_\w+/);
    expect((await cli('bycli', 'ls')).stdout).toMatch(new RegExp(`${id}\\s+https://127.0.0.1:9/in\\s+active`));
    expect((await cli('bycli', 'resume', id!)).stdout).toContain(`drain ${id} is tried again now`);
    expect((await cli('bycli', 'rm', id!)).stdout).toContain(`removed drain ${id}`);
    expect((await api('GET', '/api/projects/bycli/drains')).body.items).toEqual([]);
    await expect(cli('bycli', 'add', 'ftp://logs.example/')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/berth: 400 VALIDATION_FAILED/) });
    await expect(cli('bycli', 'rm')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/usage: berth drains/) });
  });

  it('refuses other schemes, plain http and local or private receivers (unless the operator allows them)', async () => {
    await api('POST', '/api/projects', { name: 'refused' });
    const app = await buildApp({ ...stack.apiDeps(), config: { ...stack.apiConfig, WEBHOOK_ALLOW_PRIVATE_HOSTS: false }, logger: createLogger('test', 'silent') });
    const post = (url: unknown) => app.inject({ method: 'POST', url: '/api/projects/refused/drains', headers: authHeaders, payload: { url } });
    for (const url of ['syslog+tcp://127.0.0.1:514', 'syslog+tls://10.0.0.8:6514', 'https://169.254.169.254/latest', 'https://[::1]/']) {
      const res = await post(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/local or private/) });
    }
    for (const url of ['http://logs.example/in', 'syslog+udp://logs.example:514', 'syslog+tcp://logs.example', 'ftp://logs.example/', 42]) {
      const res = await post(url);
      expect(res.statusCode, String(url)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await app.inject({ method: 'POST', url: '/api/projects/nope/drains', headers: authHeaders, payload: { url: 'https://logs.example/' } })).statusCode).toBe(404);
    await app.close();
  });
});

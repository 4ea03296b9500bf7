import { spawn } from 'node:child_process';
import net from 'node:net';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerProtocolPrefix, csrfProtocolPrefix, terminalProtocol } from '@berth/client/terminal-protocol';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { deploymentIn } from '@berth/testing/replicas';
import { repoRoot } from '@berth/testing/paths';
import { authHeaders, startStack, testToken, type Stack } from '@berth/testing/stack';
import { buildApp, type AppDeps } from '../../../apps/api/src/app.ts';
import { expectRefused, expectSession, openTerminal, personIn } from './terminal-setup.ts';

// A terminal into a running app (GET /api/deployments/:id/exec): a real app, a real WebSocket, real docker exec.
let stack: Stack;
let id: string;
const project = `term${Math.random().toString(36).slice(2, 8)}`;
const idleMs = 3000;

beforeAll(async () => {
  stack = await startStack({ router: false, env: { TERMINAL_IDLE_MS: String(idleMs), MAX_TERMINAL_SESSIONS_PER_USER: '2' } });
  const deployment = await createDeployment(stack, { archive: await zipTestApp('hello'), fields: { name: project } });
  id = deployment.id;
  expect((await settled(stack, id)).status).toBe('running');
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const auditRows = async (action: string) =>
  (await stack.db.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', id).orderBy('id').execute()) as any[];
/** The end row is written after the socket closes: waits for one that matches. */
const auditedEnd = (matches: (detail: any) => boolean) =>
  waitFor('the end of the session in the audit log', async () => (await auditRows('deployment.exec.end')).find((row) => matches(row.detail)), 5000);

describe('a terminal session', () => {
  it('runs a command as an argv, sends its output, then its exit code, and closes; both ends are audited', async () => {
    const session = await expectSession(openTerminal(stack, id, { command: ['sh', '-c', 'echo hello; exit 3'], headers: authHeaders }));
    const { final, closeCode } = await session.ended;
    expect(session.output()).toContain('hello');
    expect(final).toEqual({ type: 'exit', code: 3 });
    expect(closeCode).toBe(1000);
    const [start] = await auditRows('deployment.exec');
    expect(start).toMatchObject({ project, result: 'ok', detail: { command: ['sh', '-c', 'echo hello; exit 3'], replica: 1 } });
    const end = await auditedEnd((detail) => detail.exitCode === 3);
    expect(end).toMatchObject({ project, detail: { exitCode: 3, reason: 'exit', durationMs: expect.any(Number) } });
  });

  it('runs sh by default, reading stdin as typed; a resize reaches the TTY', async () => {
    const session = await expectSession(openTerminal(stack, id, { headers: authHeaders }));
    session.socket.send(JSON.stringify({ type: 'resize', cols: 91, rows: 17 }));
    session.socket.send(Buffer.from('stty size; echo "typed $((40+2))"; exit 5\n'), { binary: true });
    const { final } = await session.ended;
    expect(session.output()).toContain('17 91');
    expect(session.output()).toContain('typed 42');
    expect(final).toEqual({ type: 'exit', code: 5 });
  });

  it('closes a session nobody types in after TERMINAL_IDLE_MS, and audits why', async () => {
    const began = Date.now();
    const session = await expectSession(openTerminal(stack, id, { headers: authHeaders }));
    const { final, closeCode } = await session.ended;
    expect(Date.now() - began).toBeGreaterThanOrEqual(idleMs - 100);
    expect(final).toMatchObject({ type: 'closed', reason: 'idle' });
    expect(closeCode).toBe(4000);
    await auditedEnd((detail) => detail.reason === 'idle');
  }, 20_000);

  it('caps the sessions one caller has open (429 TOO_MANY_TERMINALS), and frees a slot when one ends', async () => {
    const open = [await expectSession(openTerminal(stack, id, { headers: authHeaders })), await expectSession(openTerminal(stack, id, { headers: authHeaders }))];
    await expectRefused(openTerminal(stack, id, { headers: authHeaders }), 429, 'TOO_MANY_TERMINALS');
    open[0]!.socket.close();
    await open[0]!.ended;
    const third = await expectSession(openTerminal(stack, id, { command: ['sh', '-c', 'exit 0'], headers: authHeaders }));
    expect((await third.ended).final).toEqual({ type: 'exit', code: 0 });
    open[1]!.socket.close();
    await open[1]!.ended;
  });

  it('ends a session once the token that opened it is revoked (closed: revoked), and audits why', async () => {
    const created = await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'short-lived', scope: 'deploy' } });
    expect(created.statusCode, created.body).toBe(201);
    const { id: tokenId, token } = created.json() as { id: string; token: string };
    const session = await expectSession(openTerminal(stack, id, { command: ['sleep', '60'], headers: { authorization: `Bearer ${token}` } }));
    expect((await stack.inject({ method: 'DELETE', url: `/api/tokens/${tokenId}` })).statusCode).toBe(200);
    const { final, closeCode } = await session.ended;
    expect(final).toMatchObject({ type: 'closed', reason: 'revoked' });
    expect(closeCode).toBe(4000);
    await auditedEnd((detail) => detail.reason === 'revoked');
  });
});

describe('who may open one: refused before the upgrade, as {error}', () => {
  const browser = (who: { cookie: string; csrf: string }, origin = stack.apiUrl) => ({
    headers: { cookie: `berth_session=${who.cookie}`, origin },
    protocols: [terminalProtocol, `${csrfProtocolPrefix}${who.csrf}`],
  });

  it('a deployer signed in from the dashboard may (Origin this host, the CSRF token as a subprotocol)', async () => {
    const deployer = await personIn(stack, project, 'deployer');
    const session = await expectSession(openTerminal(stack, id, { command: ['echo', 'from the browser'], ...browser(deployer) }));
    await session.ended;
    expect(session.output()).toContain('from the browser');
  });

  it('a token tab of the dashboard: its token as the subprotocol berth.bearer.<token> (a wrong one: 401)', async () => {
    const session = await expectSession(openTerminal(stack, id, { command: ['echo', 'token tab'], protocols: [terminalProtocol, `${bearerProtocolPrefix}${testToken}`], headers: { origin: stack.apiUrl } }));
    await session.ended;
    expect(session.output()).toContain('token tab');
    await expectRefused(openTerminal(stack, id, { protocols: [terminalProtocol, `${bearerProtocolPrefix}berth_wrong_token_0000000000`] }), 401, 'UNAUTHORIZED');
  });

  it('nobody: 401; a viewer: 403; an admin of another project: 404; a deploy key: 403', async () => {
    await expectRefused(openTerminal(stack, id), 401, 'UNAUTHORIZED');
    await expectRefused(openTerminal(stack, id, browser(await personIn(stack, project, 'viewer'))), 403, 'FORBIDDEN');
    const other = `other${Math.random().toString(36).slice(2, 8)}`;
    expect((await stack.inject({ method: 'POST', url: '/api/projects', payload: { name: other } })).statusCode).toBe(201);
    await expectRefused(openTerminal(stack, id, browser(await personIn(stack, other, 'admin'))), 404, 'NOT_FOUND');
    const key = (await stack.inject({ method: 'POST', url: `/api/projects/${project}/deploy-keys`, payload: { name: 'ci' } })).json().key;
    await expectRefused(openTerminal(stack, id, { headers: { authorization: `Bearer ${key}` } }), 403, 'FORBIDDEN');
    // Each refused attempt is in the audit log (written after the answer, in batches).
    const denied = await waitFor('the refused attempts audited', async () => {
      const rows = (await auditRows('deployment.exec')).filter((row) => row.result === 'denied');
      return rows.length >= 4 ? rows : undefined;
    }, 5000);
    expect(denied.map((row) => row.detail.status)).toEqual(expect.arrayContaining([401, 403, 404, 403]));
    expect(denied.find((row) => row.detail.status === 401)).toMatchObject({ actor_kind: 'anonymous' });
  });

  it("another site's page (cross-site WebSocket hijacking), or a signed-in page without its CSRF token or Origin: 403", async () => {
    const deployer = await personIn(stack, project, 'deployer');
    await expectRefused(openTerminal(stack, id, browser(deployer, 'https://evil.example')), 403, 'FORBIDDEN');
    await expectRefused(openTerminal(stack, id, { ...browser(deployer), protocols: [terminalProtocol] }), 403, 'FORBIDDEN');
    await expectRefused(openTerminal(stack, id, { ...browser(deployer), protocols: [terminalProtocol, `${csrfProtocolPrefix}forged`] }), 403, 'FORBIDDEN');
    await expectRefused(openTerminal(stack, id, { headers: { cookie: `berth_session=${deployer.cookie}` }, protocols: browser(deployer).protocols }), 403, 'FORBIDDEN');
    await expectRefused(openTerminal(stack, id, { headers: { ...authHeaders, origin: 'https://evil.example' } }), 403, 'FORBIDDEN');
  });

  it('a deployment that is stopped, or whose container is gone: 409 DEPLOYMENT_NOT_LIVE; a replica docker mode does not run: 404', async () => {
    await expectRefused(openTerminal(stack, await deploymentIn(stack, project, 'stopped'), { headers: authHeaders }), 409, 'DEPLOYMENT_NOT_LIVE');
    await expectRefused(openTerminal(stack, await deploymentIn(stack, project, 'running'), { headers: authHeaders }), 409, 'DEPLOYMENT_NOT_LIVE');
    await expectRefused(openTerminal(stack, id, { replica: 2, headers: authHeaders }), 404, 'NOT_FOUND');
  });

  it('an API that cannot reach Docker: 503 TERMINAL_UNAVAILABLE', async () => {
    const apart = async (deps: Partial<AppDeps>) => {
      const app = await buildApp({ ...stack.apiDeps(), ...deps });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      return { app, stack: { ...stack, apiUrl: url } as Stack };
    };
    const noDocker = await apart({ docker: new Docker({ socketPath: '/nonexistent/docker.sock' }) });
    try {
      await expectRefused(openTerminal(noDocker.stack, id, { headers: authHeaders }), 503, 'TERMINAL_UNAVAILABLE');
    } finally {
      await noDocker.app.close();
    }
  });

  it('a plain GET (no upgrade) is told to upgrade; an unknown query field is refused', async () => {
    const plain = await stack.inject({ method: 'GET', url: `/api/deployments/${id}/exec?cmd=true` });
    expect(plain.statusCode, plain.body).toBe(400);
    expect(plain.json().error.code).toBe('VALIDATION_FAILED');
    const odd = await stack.inject({ method: 'GET', url: `/api/deployments/${id}/exec?shell=bash` });
    expect(odd.statusCode, odd.body).toBe(400);
  });

  it('an upgrade request to any other path gets its plain answer, and its connection is closed (not held open for good)', async () => {
    const { port } = new URL(stack.apiUrl);
    for (const path of ['/healthz', '/api/deployments', '/nowhere']) {
      const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      const closed = new Promise((resolve) => socket.on('close', resolve));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}\r\n\r\n`);
      await waitFor(`the API closing the connection of an upgrade to ${path}`, async () => (await Promise.race([closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))])) || undefined, 5000);
      expect(answer, path).toMatch(/^HTTP\/1\.1 (200|401|404) /);
    }
  });
});

describe('berth exec (the real CLI)', () => {
  function berth(args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], { cwd: repoRoot, env: { ...process.env, BERTH_URL: stack.apiUrl, BERTH_TOKEN: testToken } });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (err += d));
      child.on('exit', (code) => resolve({ code, out, err }));
      child.stdin.end(input);
    });
  }

  it('runs the command after --, prints its output and exits with its code', async () => {
    const r = await berth(['exec', id, '--', 'sh', '-c', 'echo hello; exit 3']);
    expect(r.out, r.err).toContain('hello');
    expect(r.code, r.err).toBe(3);
  }, 30_000);

  it('runs sh by default and types a piped stdin into it', async () => {
    const r = await berth(['exec', id], 'echo "piped $((6*7))"\nexit 4\n');
    expect(r.out, r.err).toContain('piped 42');
    expect(r.code, r.err).toBe(4);
  }, 30_000);

  it("prints the API's refusal and exits 1", async () => {
    const stopped = await deploymentIn(stack, project, 'stopped');
    const r = await berth(['exec', stopped, '--', 'sh']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('409 DEPLOYMENT_NOT_LIVE');
  }, 30_000);
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DeploymentStatus } from '@berth/shared/deployment-state';
import { buildApp } from '../../../apps/api/src/app.ts';
import { testAppsDir } from '@berth/testing/archives';
import { deploymentIn, storedReplicas } from '@berth/testing/replicas';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// `berth scale` against a real API in swarm mode (SWARM_MAX_REPLICAS=5) and, for the refusal, one in
// docker mode. No worker: what is checked is what the CLI asks and prints, and the stored counts.
const root = path.resolve(testAppsDir, '..');
let stack: Stack;
let dockerApi: FastifyInstance;
let dockerApiUrl: string;

beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { BERTH_RUNTIME: 'swarm', SWARM_MAX_REPLICAS: '5' } });
  dockerApi = await buildApp({ ...stack.apiDeps(), config: { ...stack.apiConfig, BERTH_RUNTIME: 'docker' } });
  dockerApiUrl = await dockerApi.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await dockerApi?.close();
  await stack?.close();
});

const deployment = (project: string, status: DeploymentStatus, current = false) => deploymentIn(stack, project, status, { current });
const stored = (id: string) => storedReplicas(stack, id);

function berth(args: string[], apiUrl = stack.apiUrl): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], { cwd: root, env: { ...process.env, BERTH_URL: apiUrl, BERTH_TOKEN: testToken } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('berth scale', () => {
  it('scales a deployment by id', async () => {
    const id = await deployment('cliscale', 'running');
    const r = await berth(['scale', id, '3']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`${id}: 3 replicas`);
    expect(await stored(id)).toBe(3);
  }, 60_000);

  it('scales a project by name: its current release follows', async () => {
    const id = await deployment('cliproj', 'running', true);
    const r = await berth(['scale', 'cliproj', '2']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('cliproj: 2 replicas');
    expect(r.out).toContain(id);
    expect(await stored(id)).toBe(2);
  }, 60_000);

  it('prints the API refusals and exits 1: out of bounds, not live, unknown, docker mode', async () => {
    const id = await deployment('clibad', 'running');
    const stopped = await deployment('clibad', 'stopped');
    const cases: [string[], string, string?][] = [
      [['scale', id, '9'], '400 INVALID_REPLICAS'],
      [['scale', id, '0'], '400 INVALID_REPLICAS'],
      [['scale', stopped, '2'], '409 DEPLOYMENT_NOT_LIVE'],
      [['scale', 'nosuchthing', '2'], '404 NOT_FOUND'],
      [['scale', id, '2'], '409 REPLICAS_NEED_SWARM', dockerApiUrl],
    ];
    for (const [args, expected, url] of cases) {
      const r = await berth(args, url);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain(expected);
    }
    expect(await stored(id)).toBe(1);
  }, 90_000);

  it('refuses bad arguments with the usage line, asking the API nothing', async () => {
    for (const args of [['scale'], ['scale', 'x'], ['scale', 'x', 'three'], ['scale', 'x', '-1'], ['scale', 'x', '1', 'extra']]) {
      const r = await berth(args);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain('usage: berth scale');
    }
  }, 90_000);
});

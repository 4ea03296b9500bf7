import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from '../../../apps/api/src/routes/dashboard.ts';

let built: FastifyInstance;
let missing: FastifyInstance;
const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-dash-'));

beforeAll(async () => {
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Berth</title>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'not an asset');
  built = Fastify();
  await built.register(dashboardRoutes, { distDir: dir });
  missing = Fastify();
  await missing.register(dashboardRoutes, { distDir: path.join(dir, 'nope') });
});
afterAll(async () => {
  await built?.close();
  await missing?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serving the dashboard', () => {
  it('sends index.html with a strict CSP, nosniff, no referrer and no framing', async () => {
    const res = await built.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('sends hashed assets cacheable for good, and nothing outside assets/', async () => {
    const js = await built.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    for (const url of ['/assets/..%2Fsecret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/.hidden', '/assets/nope.js', '/assets/%00']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('not an asset');
      expect(res.json().error.code, url).toBe('NOT_FOUND');
    }
  });

  it('answers 503 with what to do when the dashboard is not built (the API still starts)', async () => {
    for (const url of ['/', '/assets/index-abc.js']) {
      const res = await missing.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'DASHBOARD_NOT_BUILT', message: expect.stringContaining('npm run build') });
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 24, door 10: a project could register any number of custom domains (each one a certificate
// Caddy would ask for). MAX_DOMAINS_PER_PROJECT bounds them, also against requests sent at once.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { MAX_DOMAINS_PER_PROJECT: '3' } });
  for (const name of ['capped', 'burst', 'other']) {
    const res = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: `https://example.com/acme/${name}.git`, name } });
    expect(res.statusCode).toBe(202);
  }
});
afterAll(async () => {
  await stack?.close();
});

const add = (project: string, hostname: string) => stack.inject({ method: 'POST', url: `/api/projects/${project}/domains`, payload: { hostname } });
const remove = (project: string, hostname: string) => stack.inject({ method: 'DELETE', url: `/api/projects/${project}/domains/${hostname}` });

describe('MAX_DOMAINS_PER_PROJECT', () => {
  it('refuses the domain past the limit with 409 LIMIT_REACHED; removing one makes room; other projects are not counted', async () => {
    for (const n of [1, 2, 3]) expect((await add('capped', `d${n}.capped.example.test`)).statusCode).toBe(201);
    const refused = await add('capped', 'd4.capped.example.test');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ error: { code: 'LIMIT_REACHED', message: expect.stringContaining('MAX_DOMAINS_PER_PROJECT') } });
    expect((await stack.inject({ method: 'GET', url: '/api/projects/capped/domains' })).json().items).toHaveLength(3);
    // The refused name was not kept: another project may have it.
    expect((await add('other', 'd4.capped.example.test')).statusCode).toBe(201);
    expect((await remove('capped', 'd1.capped.example.test')).statusCode).toBe(200);
    expect((await add('capped', 'd4b.capped.example.test')).statusCode).toBe(201);
  });

  it('twenty requests at once register exactly the limit', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => add('burst', `b${i}.burst.example.test`)));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(17);
    expect((await stack.inject({ method: 'GET', url: '/api/projects/burst/domains' })).json().items).toHaveLength(3);
  });
});

import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/http-errors.ts';
import { createBody, envPatchBody, envPutBody, patchBody, rollbackBody } from '../../src/project-input.ts';
import { scaleBody } from '../../src/routes/deployment-scale.ts';
import { domainAddBody } from '../../src/routes/domains.ts';
import { createTokenBody } from '../../src/routes/tokens.ts';
import { webhookCreateBody } from '../../src/routes/webhooks.ts';
import { installZodBodies, type ZodBody } from '../../src/zod-body.ts';

// Every JSON body the routes check with zod (zodBody): a bad value answers 400 VALIDATION_FAILED naming
// the field, and what was accepted while ajv (with coercion) checked these bodies is still accepted.
interface Case {
  body: ZodBody;
  good: unknown[];
  bad: { value: unknown; field: string }[];
}

const cases: Record<string, Case> = {
  'POST /api/projects': {
    body: createBody,
    good: [{ name: 'shop' }, { name: 'shop', port: '3000', env: { A: 'x' } }, { name: 'shop', gitUrl: null, port: null }],
    bad: [
      { value: { name: 'shop', port: 70000 }, field: 'port' },
      { value: { name: 'shop', port: 'abc' }, field: 'port' },
      { value: { name: 'shop', env: { 'BAD-NAME': 'x' } }, field: 'env' },
      { value: { name: 'shop', bogus: 1 }, field: 'bogus' },
      { value: {}, field: 'name' },
    ],
  },
  'PATCH /api/projects/:name': {
    body: patchBody,
    good: [{}, { port: '8080' }, { port: 8080, healthPath: '/up' }, { replicas: 2 }, { replicas: 'not a count' }],
    bad: [
      { value: { healthPath: 'up' }, field: 'healthPath' },
      { value: { rootDir: 'x'.repeat(501) }, field: 'rootDir' },
      { value: { name: 'renamed' }, field: 'name' },
    ],
  },
  'PUT /api/projects/:name/env': {
    body: envPutBody,
    good: [{ env: {} }, { env: { A: 'x' }, buildEnv: { B: 'y' } }],
    bad: [
      { value: {}, field: 'env' },
      { value: { env: { A: null } }, field: 'env.A' },
      { value: { env: { '1A': 'x' } }, field: 'env' },
    ],
  },
  'PATCH /api/projects/:name/env': {
    body: envPatchBody,
    good: [{}, { env: { A: null, B: 'x' } }, { buildEnv: { C: null } }],
    bad: [{ value: { env: { A: 'x'.repeat(32 * 1024 + 1) } }, field: 'env.A' }],
  },
  'POST /api/projects/:name/rollback': {
    body: rollbackBody,
    good: [{}, { deploymentId: 'abc123' }],
    bad: [
      { value: { deploymentId: 'BAD!' }, field: 'deploymentId' },
      { value: { deploymentId: 'abc', extra: true }, field: 'extra' },
    ],
  },
  'PATCH /api/deployments/:id': {
    body: scaleBody,
    // replicas itself is checked by checkReplicas (INVALID_REPLICAS); only other keys are VALIDATION_FAILED.
    good: [{ replicas: 2 }, { replicas: true }, {}],
    bad: [{ value: { replicas: 2, image: 'x' }, field: 'image' }],
  },
  'POST /api/projects/:name/domains': {
    body: domainAddBody,
    good: [{ hostname: 'app.example.com' }],
    bad: [
      { value: {}, field: 'hostname' },
      { value: { hostname: 42 }, field: 'hostname' },
      { value: { hostname: 'x'.repeat(254) }, field: 'hostname' },
      { value: { hostname: 'a.example.com', extra: 1 }, field: 'extra' },
    ],
  },
  'POST /api/tokens': {
    body: createTokenBody,
    good: [{ name: 'ci', scope: 'deploy' }],
    bad: [
      { value: { name: 'ci', scope: 'root' }, field: 'scope' },
      { value: { name: '', scope: 'read' }, field: 'name' },
      { value: { name: 'x'.repeat(101), scope: 'read' }, field: 'name' },
    ],
  },
  'POST /api/projects/:name/webhooks': {
    body: webhookCreateBody,
    good: [{ url: 'https://hooks.example.com/x', events: ['deployment.running'] }],
    bad: [
      { value: { url: 'https://hooks.example.com/x', events: [] }, field: 'events' },
      { value: { url: 'https://hooks.example.com/x', events: ['deployment.bogus'] }, field: 'events.0' },
      { value: { events: ['deployment.running'] }, field: 'url' },
    ],
  },
};

// The API's own settings: ajv coerces params (a route param declared integer arrives as a number).
const app = Fastify({ ajv: { customOptions: { coerceTypes: true, removeAdditional: false } } });

beforeAll(async () => {
  installErrorHandler(app);
  installZodBodies(app);
  Object.values(cases).forEach((c, i) => {
    app.post(`/case/${i}/:n`, { schema: { params: { type: 'object', properties: { n: { type: 'integer' } } }, body: c.body } }, async (request) => ({
      params: request.params,
      body: request.body,
    }));
  });
  await app.ready();
});
afterAll(() => app.close());

const send = (i: number, payload: unknown) => app.inject({ method: 'POST', url: `/case/${i}/7`, payload: payload as object });

describe.each(Object.entries(cases).map(([name, c], i) => ({ name, c, i })))('$name', ({ c, i }) => {
  it.each(c.good.map((value) => ({ value })))('accepts $value', async ({ value }) => {
    const res = await send(i, value);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().params).toEqual({ n: 7 });
  });

  it.each(c.bad)('answers 400 VALIDATION_FAILED naming $field for $value', async ({ value, field }) => {
    const res = await send(i, value);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toContain(field);
  });
});

it('a body the zod schema transforms reaches the handler parsed ("3000" is the port 3000)', async () => {
  const res = await send(0, { name: 'shop', port: '3000' });
  expect(res.json().body).toEqual({ name: 'shop', port: 3000 });
});

it('a route with no body at all parses {} (a bare rollback)', async () => {
  const res = await app.inject({ method: 'POST', url: '/case/4/7' });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().body).toEqual({});
});

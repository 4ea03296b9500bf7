import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '@berth/api/app';
import { EventRelay } from '@berth/api/event-relay';
import { createLogger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import { waitFor } from '@berth/testing/ports';
import { asSession, makePerson, makeProject, signIn, useAccountsStack } from './accounts-setup.ts';

// Both API processes remember a verified token for a minute: only the notices over Redis can explain
// a refusal on the other one, and the very next request there must be refused (no waiting).
const stack = useAccountsStack({ TOKEN_RECHECK_MS: '60000' });
let subscriber: Redis;
let relay: EventRelay;
let other: FastifyInstance;
beforeAll(async () => {
  // A second API on the same Postgres and Redis, with a subscription of its own (as a separate process has).
  subscriber = createRedis(inject('redisUrl'));
  relay = new EventRelay(subscriber, stack().instance, createLogger('test', 'silent'));
  await relay.start();
  other = await buildApp({ ...stack().apiDeps(), relay, config: { ...stack().apiConfig, TOKEN_RECHECK_MS: 60_000 }, logger: createLogger('test', 'silent') });
});
afterAll(async () => {
  await other?.close();
  await relay?.close();
});

/** A member of a new project with a personal token, let in by both APIs (so both remember the token). */
async function memberWithToken(): Promise<{ id: string; project: string; token: string; tokenId: string; read: (app: FastifyInstance) => Promise<number> }> {
  const person = await makePerson(stack());
  const project = await makeProject(stack());
  const added = await stack().inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: person.id, role: 'deployer' } });
  expect(added.statusCode, added.body).toBe(201);
  const made = await asSession(stack(), await signIn(stack(), person), { method: 'POST', url: '/api/tokens', payload: { name: 'ci', scope: 'deploy' } });
  expect(made.statusCode, made.body).toBe(201);
  const { token, id: tokenId } = made.json() as { token: string; id: string };
  const read = async (app: FastifyInstance) => (await app.inject({ method: 'GET', url: `/api/projects/${project}`, headers: { authorization: `Bearer ${token}` } })).statusCode;
  for (const app of [stack().api, other]) expect(await read(app)).toBe(200);
  return { id: person.id, project, token, tokenId, read };
}

describe('a credential change through one API process, on another', () => {
  it('refuses a revoked token, a disabled person’s token and a removed member’s token on the very next request', async () => {
    const revoked = await memberWithToken();
    expect((await stack().inject({ method: 'DELETE', url: `/api/tokens/${revoked.tokenId}` })).statusCode).toBe(200);
    expect(await revoked.read(other)).toBe(403);

    const disabled = await memberWithToken();
    expect((await stack().inject({ method: 'PATCH', url: `/api/users/${disabled.id}`, payload: { disabled: true } })).statusCode).toBe(200);
    expect(await disabled.read(other)).toBe(403);

    const removed = await memberWithToken();
    expect((await stack().inject({ method: 'DELETE', url: `/api/projects/${removed.project}/members/${removed.id}` })).statusCode).toBe(204);
    // No longer a member: the project is as if it did not exist, there and here.
    expect(await removed.read(other)).toBe(404);
    expect(await removed.read(stack().api)).toBe(404);

    const demoted = await memberWithToken();
    const patched = await stack().inject({ method: 'PATCH', url: `/api/projects/${demoted.project}/members/${demoted.id}`, payload: { role: 'viewer' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const deploy = await other.inject({ method: 'POST', url: '/api/deployments', headers: { authorization: `Bearer ${demoted.token}` }, payload: { gitUrl: 'https://example.com/a.git', name: demoted.project } });
    expect(deploy.statusCode, deploy.body).toBe(403);
  });

  it('trusts nothing it remembered while its subscription is down: the database decides, until it is back', async () => {
    const member = await memberWithToken();
    subscriber.disconnect();
    await waitFor('the subscription to be down', () => !relay.live, 5000);
    // Revoked straight in the database (no notice could reach it anyway): refused at once, not in a minute.
    await stack().db.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', member.tokenId).execute();
    expect(await member.read(other)).toBe(403);
    await subscriber.connect();
    await waitFor('the subscription to be back', () => relay.live, 5000);
    // Back: notices arrive again, and a change announced now is heard.
    const next = await memberWithToken();
    expect((await stack().inject({ method: 'DELETE', url: `/api/tokens/${next.tokenId}` })).statusCode).toBe(200);
    expect(await next.read(other)).toBe(403);
  });
});

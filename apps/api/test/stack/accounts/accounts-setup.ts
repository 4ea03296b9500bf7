import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { startStack, type Stack } from '@berth/testing/stack';

// What the accounts tests share: a stack without workers or Caddy (nothing here deploys),
// people made the way an owner makes them (an invitation, then the one-time link), sessions.

export const password = 'correct horse battery';

export interface Person {
  id: string;
  email: string;
  password: string;
}

export interface Session {
  cookie: string;
  csrf: string;
  /** Headers of a signed-in browser: the cookie and the CSRF token, no bearer token. */
  headers: Record<string, string>;
}

export function useAccountsStack(env: Record<string, string> = {}): () => Stack {
  let stack: Stack;
  beforeAll(async () => {
    // Every test signs in from 127.0.0.1: generous limits unless a file tests them.
    stack = await startStack({ workers: 0, router: false, env: { LOGIN_RATE_LIMIT_PER_ADDRESS: '1000', LOGIN_RATE_LIMIT_PER_ACCOUNT: '100', ...env } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  return () => stack;
}

let counter = 0;
/** A unique email for this file's run. */
export function newEmail(name = 'person'): string {
  return `${name}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}

/** Invites someone with the admin token and sets their password through the link. */
export async function makePerson(stack: Stack, opts: { role?: 'owner' | 'member'; email?: string } = {}): Promise<Person> {
  const email = opts.email ?? newEmail(opts.role ?? 'member');
  const invited = await stack.inject({ method: 'POST', url: '/api/users', payload: { email, role: opts.role ?? 'member' } });
  expect(invited.statusCode, invited.body).toBe(201);
  const { user, link } = invited.json();
  const setup = await stack.api.inject({ method: 'POST', url: '/api/auth/setup', payload: { token: link.token, password } });
  expect(setup.statusCode, setup.body).toBe(200);
  return { id: user.id, email, password };
}

/** POST /api/auth/login as a browser would (no bearer token). */
export function login(stack: Stack, payload: Record<string, unknown>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return stack.api.inject({ method: 'POST', url: '/api/auth/login', payload, headers });
}

export function sessionOf(res: LightMyRequestResponse): Session {
  expect(res.statusCode, res.body).toBe(200);
  const line = String(res.headers['set-cookie']);
  const cookie = /berth_session=([^;]+)/.exec(line)![1]!;
  const csrf = res.json().csrfToken as string;
  return { cookie, csrf, headers: { cookie: `berth_session=${cookie}`, 'x-berth-csrf': csrf } };
}

export async function signIn(stack: Stack, person: Person, extra: Record<string, unknown> = {}): Promise<Session> {
  return sessionOf(await login(stack, { email: person.email, password: person.password, ...extra }));
}

/** A request with a session's cookie and CSRF header (and nothing else). */
export function asSession(stack: Stack, session: Session, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return stack.api.inject({ ...opts, headers: { ...session.headers, ...(opts.headers as Record<string, string> | undefined) } });
}

/** A request with a bearer token (a personal token, a deploy key). */
export function asBearer(stack: Stack, secret: string, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return stack.api.inject({ ...opts, headers: { authorization: `Bearer ${secret}`, ...(opts.headers as Record<string, string> | undefined) } });
}

/** A project made with the admin token; `admin` (a person) becomes its admin. */
export async function makeProject(stack: Stack, admin?: Person): Promise<string> {
  const name = `p${Math.random().toString(36).slice(2, 9)}`;
  const created = await stack.inject({ method: 'POST', url: '/api/projects', payload: { name } });
  expect(created.statusCode, created.body).toBe(201);
  if (admin) {
    const added = await stack.inject({ method: 'POST', url: `/api/projects/${name}/members`, payload: { userId: admin.id, role: 'admin' } });
    expect(added.statusCode, added.body).toBe(201);
  }
  return name;
}

export function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
}

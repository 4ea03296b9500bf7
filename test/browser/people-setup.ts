import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { base32Decode, totpCode } from '@berth/shared/accounts/totp';
import { widths } from '@berth/testing/browser';
import type { Stack } from '@berth/testing/stack';

// What the people browser tests share: people made the way an owner makes them (an invitation, then the
// one-time link), projects with an admin, a second factor, and a browser context signed in with email and password.

export const password = 'correct horse battery staple';

export interface Person {
  id: string;
  email: string;
}

/** Invites `email` with the admin token and sets their password through the one-time link. */
export async function makePerson(stack: Stack, name: string, role: 'owner' | 'member' = 'member'): Promise<Person> {
  const email = `${name}-${Math.random().toString(36).slice(2, 7)}@example.com`;
  const invited = await stack.inject({ method: 'POST', url: '/api/users', payload: { email, role } });
  expect(invited.statusCode, invited.body).toBe(201);
  const { user, link } = invited.json();
  const setup = await stack.api.inject({ method: 'POST', url: '/api/auth/setup', payload: { token: link.token, password } });
  expect(setup.statusCode, setup.body).toBe(200);
  return { id: user.id, email };
}

/** A git project (its repository is never fetched: nothing here deploys) with these members. */
export async function makeProject(stack: Stack, name: string, members: Array<[Person, 'admin' | 'deployer' | 'viewer']>): Promise<void> {
  const created = await stack.inject({ method: 'POST', url: '/api/projects', payload: { name, gitUrl: 'http://127.0.0.1:9/repo.git', ref: 'main' } });
  expect(created.statusCode, created.body).toBe(201);
  for (const [person, role] of members) {
    const added = await stack.inject({ method: 'POST', url: `/api/projects/${name}/members`, payload: { userId: person.id, role } });
    expect(added.statusCode, added.body).toBe(201);
  }
}

/** Turns the second factor on for `person` (through a session of theirs); answers the authenticator's key. */
export async function enableTotp(stack: Stack, person: Person): Promise<Buffer> {
  const login = await stack.api.inject({ method: 'POST', url: '/api/auth/login', payload: { email: person.email, password } });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = /berth_session=([^;]+)/.exec(String(login.headers['set-cookie']))![1]!;
  const headers = { cookie: `berth_session=${cookie}`, 'x-berth-csrf': login.json().csrfToken as string };
  const begun = await stack.api.inject({ method: 'POST', url: '/api/auth/totp', headers });
  expect(begun.statusCode, begun.body).toBe(200);
  const key = base32Decode(begun.json().secret);
  const confirmed = await stack.api.inject({ method: 'POST', url: '/api/auth/totp/confirm', headers, payload: { code: totpCode(key, Date.now()) } });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return key;
}

/** A browser context of its own (its own cookies), signed in as `person` with email and password. */
export async function signedInAs(browser: Browser, stack: Stack, person: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: widths.desktop });
  const page = await context.newPage();
  await page.goto(`${stack.apiUrl}/`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Deployments' }).waitFor();
  return { context, page };
}

/** Signs the context's person out behind its back (as another tab or an expiry would): its cookie stops working. */
export async function endSessionOf(stack: Stack, context: BrowserContext): Promise<void> {
  const cookie = (await context.cookies()).find((c) => c.name === 'berth_session')!;
  const headers = { cookie: `berth_session=${cookie.value}` };
  const me = await stack.api.inject({ method: 'GET', url: '/api/auth/me', headers });
  const out = await stack.api.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...headers, 'x-berth-csrf': me.json().csrfToken as string } });
  expect(out.statusCode, out.body).toBe(204);
}

/** A project's members (user id → role), read with the admin token. */
export async function memberRoles(stack: Stack, project: string): Promise<Map<string, string>> {
  const res = await stack.inject({ method: 'GET', url: `/api/projects/${project}/members` });
  return new Map(res.json().items.map((m: { userId: string; role: string }) => [m.userId, m.role]));
}

/** The project names the Projects page lists. */
export async function listedProjects(page: Page): Promise<string[]> {
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  const list = page.getByRole('list', { name: 'Projects', exact: true });
  await list.or(page.getByText('No projects yet.')).first().waitFor();
  return (await list.getByRole('listitem').getByRole('link', { name: /^[a-z0-9-]+$/ }).allTextContents()).sort();
}

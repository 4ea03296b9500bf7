import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, totpStepSeconds } from '@berth/shared/accounts/totp';
import { launchBrowser, screenshots, widths } from '@berth/testing/browser';
import { startStack, type Stack } from '@berth/testing/stack';
import { enableTotp, endSessionOf, listedProjects, makePerson, makeProject, memberRoles, password, signedInAs, type Person } from './people-setup.ts';

// People in the dashboard: two admins, each signed in with email and password in a browser context of
// their own, see only their own project; a viewer gets "you cannot do this here" instead of buttons
// the API would refuse; members, tokens and the audit log, driven as a person would.
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];
let alice: Person;
let bob: Person;
let vera: Person;
let otto: Person;

beforeAll(async () => {
  // Nothing deploys: no workers, no Caddy. Every sign-in comes from 127.0.0.1: generous limits.
  stack = await startStack({ workers: 0, router: false, env: { LOGIN_RATE_LIMIT_PER_ADDRESS: '1000', LOGIN_RATE_LIMIT_PER_ACCOUNT: '200' } });
  browser = await launchBrowser();
  [alice, bob, vera, otto] = await Promise.all([makePerson(stack, 'alice'), makePerson(stack, 'bob'), makePerson(stack, 'vera'), makePerson(stack, 'otto', 'owner')]);
  await makeProject(stack, 'alice-shop', [[alice, 'admin'], [vera, 'viewer']]);
  await makeProject(stack, 'bob-blog', [[bob, 'admin']]);
}, 120_000);
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

async function session(person: Person): Promise<Page> {
  const { context, page } = await signedInAs(browser, stack, person);
  contexts.push(context);
  return page;
}

async function openProject(page: Page, name: string): Promise<void> {
  await page.goto(`${stack.apiUrl}/#/projects/${name}`);
  await page.getByRole('heading', { name: 'Releases' }).waitFor();
}

const cannot = (page: Page) => page.getByRole('note').filter({ hasText: 'You cannot do this here' });

describe('people in the dashboard', () => {
  it('signs two people in with email and password, side by side: each sees only their own project, and a reload keeps the session', async () => {
    const signIn = await (await freshContext()).newPage();
    await signIn.goto(`${stack.apiUrl}/`);
    await signIn.getByLabel('Email').waitFor();
    await screenshots(signIn, 'people-sign-in');
    await signIn.getByLabel('Email').fill(alice.email);
    await signIn.getByLabel('Password').fill('not the password');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => signIn.getByRole('alert').textContent()).toContain('wrong email or password');

    const asAlice = await session(alice);
    const asBob = await session(bob);
    expect(await listedProjects(asAlice)).toEqual(['alice-shop']);
    expect(await listedProjects(asBob)).toEqual(['bob-blog']);
    expect(await asAlice.getByText(alice.email).count()).toBe(1);
    await screenshots(asAlice, 'people-projects');
    // The cookie is httpOnly: no script reads it, and nothing is kept in storage.
    // (A string: the test's own type-check has no DOM library.)
    expect(await asAlice.evaluate<string>('document.cookie + JSON.stringify(sessionStorage)')).not.toContain('berth_session');

    // Another's project is not found (not "forbidden"): it does not exist for them.
    await asBob.goto(`${stack.apiUrl}/#/projects/alice-shop`);
    await expect.poll(() => asBob.getByRole('alert').first().textContent()).toContain('NOT_FOUND');

    await asAlice.reload();
    expect(await listedProjects(asAlice)).toEqual(['alice-shop']);
    await openProject(asAlice, 'alice-shop');
    expect(await asAlice.getByRole('button', { name: 'Deploy' }).count()).toBe(1);
    expect(await cannot(asAlice).count()).toBe(0);
    // After the reload the CSRF token came from GET /api/auth/me: a change still goes through.
    await asAlice.getByLabel('Variable name').fill('GREETING');
    await asAlice.getByLabel('Value').fill('hello');
    await asAlice.getByRole('button', { name: 'Set variable' }).click();
    await expect.poll(() => asAlice.getByRole('list', { name: 'Environment variables' }).getByText('GREETING').count()).toBe(1);
  }, 120_000);

  it('shows a viewer "you cannot do this here" instead of deploy, scale, env, domain and member controls', async () => {
    const asVera = await session(vera);
    expect(await listedProjects(asVera)).toEqual(['alice-shop']);
    await openProject(asVera, 'alice-shop');
    await expect.poll(() => cannot(asVera).count()).toBeGreaterThanOrEqual(5);
    for (const name of ['Deploy', 'Scale', 'Set variable', 'Add domain']) expect(await asVera.getByRole('button', { name }).count(), name).toBe(0);
    expect(await asVera.getByRole('button', { name: /^Unset/ }).count()).toBe(0);
    expect(await asVera.getByRole('link', { name: 'Members' }).count()).toBe(0);
    expect(await cannot(asVera).first().textContent()).toBe('You cannot do this here: deploying needs the deployer role, and you are a viewer of this project.');
    // Env names are for viewers too; values never are. The list arrives with its own request, after the notices (cold22 read it before).
    await expect.poll(() => asVera.getByRole('list', { name: 'Environment variables' }).getByText('GREETING').count()).toBe(1);
    await screenshots(asVera, 'people-viewer');

    // A deployment's page: no Cancel for a viewer (no worker runs here: it stays queued until the test cancels it).
    const queued = await stack.inject({ method: 'POST', url: '/api/projects/alice-shop/deployments', payload: {} });
    expect(queued.statusCode, queued.body).toBe(202);
    await asVera.goto(`${stack.apiUrl}/#/deployments/${queued.json().id}`);
    await expect.poll(() => cannot(asVera).textContent()).toContain('canceling, stopping, promoting, redeploying, scaling it or opening a terminal needs the deployer role');
    expect(await asVera.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    expect((await stack.inject({ method: 'POST', url: `/api/deployments/${queued.json().id}/cancel` })).statusCode).toBe(200);

    await asVera.goto(`${stack.apiUrl}/#/projects/alice-shop/members`);
    await expect.poll(() => cannot(asVera).textContent()).toContain('seeing and managing members needs the admin role');
    expect(await asVera.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    await asVera.getByRole('link', { name: 'Audit', exact: true }).click();
    await expect.poll(() => cannot(asVera).textContent()).toContain('the audit log is for owners and for project admins');
  }, 120_000);

  it('lets an admin add a person by email, change their role and remove them', async () => {
    const dana = await makePerson(stack, 'dana');
    const asAlice = await session(alice);
    await openProject(asAlice, 'alice-shop');
    await asAlice.getByRole('link', { name: 'Members' }).click();
    const table = asAlice.getByRole('table', { name: 'Members' });
    await expect.poll(() => table.getByRole('row').count()).toBe(3);

    await asAlice.getByLabel('Email').fill('nobody@example.com');
    await asAlice.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => asAlice.getByRole('alert').textContent()).toContain('NOT_FOUND');
    await asAlice.getByLabel('Email').fill(dana.email);
    await asAlice.getByLabel('Role for the new member').selectOption('deployer');
    await asAlice.getByRole('button', { name: 'Add member' }).click();
    const row = table.getByRole('row').filter({ hasText: dana.email });
    await expect.poll(() => row.getByLabel(`Role of ${dana.email}`).inputValue()).toBe('deployer');
    expect(await asAlice.getByRole('alert').count()).toBe(0);
    await screenshots(asAlice, 'people-members');

    await row.getByLabel(`Role of ${dana.email}`).selectOption('viewer');
    await expect.poll(async () => (await memberRoles(stack, 'alice-shop')).get(dana.id)).toBe('viewer');
    await asAlice.getByRole('button', { name: `Remove ${dana.email}` }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await memberRoles(stack, 'alice-shop')).has(dana.id)).toBe(false);
  }, 120_000);

  it('creates a project-limited token (its secret shown once, and it works), then revokes it', async () => {
    const asAlice = await session(alice);
    await asAlice.getByRole('link', { name: 'Tokens' }).click();
    await asAlice.getByLabel('Token name').fill('ci');
    await asAlice.getByLabel('Scope').selectOption('deploy');
    await asAlice.getByLabel('Only projects').fill('alice-shop');
    const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await asAlice.getByLabel('Expires').fill(inAMonth);
    await asAlice.getByRole('button', { name: 'Create token' }).click();
    const secret = (await asAlice.locator('.secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^berth_/);
    const row = asAlice.getByRole('table', { name: 'Tokens' }).getByRole('row').filter({ hasText: 'ci' });
    expect(await row.textContent()).toContain('alice-shop');
    expect(await row.textContent()).toContain('yours');
    await screenshots(asAlice, 'people-tokens');

    const asToken = (url: string) => stack.api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });
    expect((await asToken('/api/projects/alice-shop')).statusCode).toBe(200);
    expect((await asToken('/api/projects/bob-blog')).statusCode).toBe(404);
    await asAlice.reload();
    // Its expiry and its first use (recorded by the API) show; the secret does not.
    await expect.poll(() => row.textContent()).not.toContain('never');
    const kept = (await stack.inject({ method: 'GET', url: '/api/tokens' })).json().items.find((t: { name: string }) => t.name === 'ci');
    // The end of that day in the browser's time zone (whatever it is: within 14 hours of UTC's).
    expect(Math.abs(Date.parse(kept.expiresAt) - Date.parse(`${inAMonth}T23:59:59Z`))).toBeLessThan(15 * 3_600_000);
    expect(kept).toMatchObject({ scope: 'deploy', projects: ['alice-shop'], ownerUserId: alice.id, lastUsedAt: expect.any(String) });
    expect(await asAlice.locator('.secret-value').count()).toBe(0);

    await asAlice.getByRole('button', { name: 'Revoke ci' }).click();
    await expect.poll(() => row.textContent()).toContain('revoked');
    expect((await asToken('/api/projects/alice-shop')).statusCode).toBe(403);
  }, 120_000);

  it('shows the audit log to an owner: the sign-ins (one refused), filters, and older pages', async () => {
    // Enough refused sign-ins (an email nobody has) for a second page of them.
    for (let i = 0; i < 55; i += 1) await stack.api.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'mallory@example.com', password: 'wrong' } });
    const asOtto = await session(otto);
    await asOtto.getByRole('link', { name: 'Audit', exact: true }).click();
    const rows = asOtto.getByRole('table', { name: 'Audit rows' }).getByRole('row');
    await expect.poll(() => rows.count()).toBe(51);
    const mine = rows.filter({ hasText: otto.email }).filter({ hasText: 'auth.login' });
    expect(await mine.first().textContent()).toContain('ok');
    await screenshots(asOtto, 'people-audit');

    await asOtto.getByLabel('Action').fill('auth.login');
    await asOtto.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.filter({ hasNotText: 'auth.login' }).count()).toBe(1); // the header row
    // Older rows: alice's refused sign-in (a wrong password, in the first test) is on the second page.
    await asOtto.getByRole('button', { name: 'Older →' }).click();
    await expect.poll(() => rows.filter({ hasText: otto.email }).count()).toBe(0);
    expect(await rows.filter({ hasText: 'denied' }).filter({ hasText: alice.email }).count()).toBe(1);
    await asOtto.getByRole('button', { name: '← Newer' }).click();
    await expect.poll(() => rows.filter({ hasText: otto.email }).count()).toBeGreaterThan(0);

    // An actor's name filters to that actor's rows.
    await rows.filter({ hasText: otto.email }).first().getByRole('button', { name: otto.email }).click();
    await expect.poll(async () => (await rows.count()) > 1 && (await rows.filter({ hasNotText: otto.email }).count()) === 1).toBe(true);
    expect(await asOtto.getByLabel('Actor id').inputValue()).toBe(otto.id);
  }, 150_000);

  it('asks for the second factor after the password, and signs out for good', async () => {
    const key = await enableTotp(stack, bob);
    const page = await (await freshContext()).newPage();
    await page.goto(`${stack.apiUrl}/`);
    await page.getByLabel('Email').fill(bob.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    await screenshots(page, 'people-second-factor');
    // The next step's code: the current one was spent turning the factor on (a code works once).
    await code.fill(totpCode(key, Date.now() + totpStepSeconds * 1000));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await listedProjects(page)).toEqual(['bob-blog']);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').waitFor();
    await page.reload();
    await page.getByLabel('Email').waitFor();
    expect(await page.getByRole('heading', { name: 'Deployments' }).count()).toBe(0);
  }, 120_000);

  it('sets a password through an invitation link, then signs in with it; a session ended elsewhere sends the tab back to sign in', async () => {
    const email = `nina-${Math.random().toString(36).slice(2, 7)}@example.com`;
    const invited = await stack.inject({ method: 'POST', url: '/api/users', payload: { email } });
    const { link } = invited.json();
    expect(link.url).toMatch(new RegExp(`/#/setup/${link.token}$`));
    const page = await (await freshContext()).newPage();
    await page.goto(`${stack.apiUrl}/#/setup/${link.token}`);
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('The same again').fill(password);
    await screenshots(page, 'people-set-password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`The password of ${email} is set.`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await listedProjects(page)).toEqual([]);

    await endSessionOf(stack, page.context());
    await page.getByRole('link', { name: 'Tokens' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Your session has ended: sign in again.');
    expect(await page.getByLabel('Email').isVisible()).toBe(true);
  }, 120_000);
});

async function freshContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: widths.desktop });
  contexts.push(context);
  return context;
}

import { expect } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { testToken, type Stack } from '@berth/testing/stack';
import type { ContractValidator } from './openapi-validator.ts';

// Parts of openapi-contract.test.ts (kept here: that file is at its size limit): its cases for the runs' and jobs', backups', webhooks', log drains', request metrics' and the terminal's routes, and templateIn.

interface ContractCase {
  call: (method: string, url: string, opts?: Omit<InjectOptions, 'method' | 'url'>) => Promise<LightMyRequestResponse>;
  stack: Stack;
  contract: ContractValidator;
  templateOf: (method: string, url: string) => string;
}

/** The workers are closed by then: runs stay queued, so cancel and "run now" answer deterministically. */
export async function runsAndJobsCase({ call, stack, contract, templateOf }: ContractCase): Promise<void> {
  const runs = '/api/projects/shop/runs';
  const run = (await call('POST', runs, { payload: { command: 'echo hi' } })).json();
  expect(run).toMatchObject({ status: 'queued', kind: 'one-off' });
  expect((await call('POST', runs, { payload: { command: '' } })).statusCode).toBe(400);
  expect((await call('POST', '/api/projects/nosuchproject/runs', { payload: { command: 'true' } })).statusCode).toBe(404);
  expect((await call('POST', '/api/projects', { payload: { name: 'norelease' } })).statusCode).toBe(201);
  expect((await call('POST', '/api/projects/norelease/runs', { payload: { command: 'true' } })).json().error.code).toBe('NO_RELEASE');
  expect([(await call('GET', runs)).statusCode, (await call('GET', `${runs}/${run.id}`)).statusCode, (await call('GET', `${runs}/nosuchrun`)).statusCode]).toEqual([200, 200, 404]);
  expect((await call('GET', `${runs}/${run.id}/logs`)).statusCode).toBe(200);
  // No worker runs here: the run stays queued, and canceling it ends it at once.
  expect((await call('POST', `${runs}/${run.id}/cancel`)).json().status).toBe('canceled');
  expect((await call('POST', `${runs}/${run.id}/cancel`)).statusCode).toBe(409);
  const res = await fetch(`${stack.apiUrl}${runs}/${run.id}/events?token=${testToken}`);
  expect(contract.check('GET', templateOf('GET', `${runs}/${run.id}/events`), { status: res.status, contentType: res.headers.get('content-type') ?? '' })).toEqual([]);
  expect(await res.text()).toContain('event: end');
  expect((await call('GET', `${runs}/nosuchrun/events`)).statusCode).toBe(404);

  const jobs = '/api/projects/shop/jobs';
  expect((await call('POST', jobs, { payload: { name: 'nightly', schedule: '61 * * * *', command: 'true' } })).json().error.code).toBe('INVALID_SCHEDULE');
  expect((await call('POST', jobs, { payload: { name: 'nightly', schedule: '0 3 * * *', command: 'echo nightly', timezone: 'Europe/Berlin' } })).statusCode).toBe(201);
  expect((await call('POST', jobs, { payload: { name: 'nightly', schedule: '0 3 * * *', command: 'true' } })).statusCode).toBe(409);
  expect((await call('GET', jobs)).json().items).toHaveLength(1);
  expect((await call('PATCH', `${jobs}/nightly`, { payload: { schedule: '0 4 * * *' } })).json().schedule).toBe('0 4 * * *');
  expect((await call('PATCH', `${jobs}/nightly`, { payload: { timezone: 'Mars/Olympus' } })).statusCode).toBe(400);
  expect((await call('POST', `${jobs}/nightly/runs`)).json()).toMatchObject({ kind: 'job', status: 'queued' });
  expect((await call('POST', `${jobs}/nightly/runs`)).json().status).toBe('skipped');
  expect((await call('GET', `${jobs}/nightly/runs`)).json().items).toHaveLength(2);
  expect([(await call('DELETE', `${jobs}/nightly`)).statusCode, (await call('DELETE', `${jobs}/nightly`)).statusCode]).toEqual([200, 404]);
}

/** Service backups with no worker: they stay queued, so the one-at-a-time and not-finished answers are deterministic. */
export async function backupsCase({ call }: ContractCase): Promise<void> {
  expect((await call('POST', '/api/projects', { payload: { name: 'keep' } })).statusCode).toBe(201);
  expect((await call('POST', '/api/projects/keep/services', { payload: { type: 'redis' } })).statusCode).toBe(201);
  const backups = '/api/projects/keep/services/redis/backups';
  const backup = (await call('POST', backups)).json();
  expect(backup).toMatchObject({ kind: 'backup', status: 'queued', service: 'redis', type: 'redis' });
  expect([(await call('POST', backups)).statusCode, (await call('POST', '/api/projects/keep/services/nope/backups')).statusCode]).toEqual([409, 404]);
  expect((await call('GET', backups)).json().items).toHaveLength(1);
  expect([(await call('GET', `${backups}/${backup.id}/download`)).statusCode, (await call('GET', `${backups}/bad/download`)).statusCode]).toEqual([409, 400]);
  expect([(await call('POST', `${backups}/${backup.id}/restore`)).statusCode, (await call('POST', `${backups}/bkp000000000000/restore`)).statusCode]).toEqual([409, 404]);
  const schedule = '/api/projects/keep/services/redis/backup-schedule';
  const answers = [{ schedule: '0 3 * * *' }, { schedule: 'nightly' }, { schedule: null }].map(async (payload) => (await call('PUT', schedule, { payload })).statusCode);
  expect(await Promise.all(answers)).toEqual([200, 400, 200]);
}

/** Request metrics of a project and of one of its deployments: an answer, a bad step, and nobody's. */
export async function requestMetricsCase({ call }: ContractCase, deploymentId: string): Promise<void> {
  for (const [url, missing] of [['/api/projects/shop/request-metrics', '/api/projects/nosuch/request-metrics'], [`/api/deployments/${deploymentId}/request-metrics`, '/api/deployments/nosuchdeployment/request-metrics']] as const) {
    expect([(await call('GET', url)).statusCode, (await call('GET', `${url}?step=0`)).statusCode, (await call('GET', missing)).statusCode]).toEqual([200, 400, 404]);
  }
  expect((await call('GET', `/api/deployments/${deploymentId}/request-metrics?since=yesterday`)).statusCode).toBe(400);
}

/** The document's path a concrete URL belongs to (the one whose template matches it). */
export function templateIn(contract: ContractValidator): (method: string, url: string) => string {
  return (method, url) => {
    const path = url.split('?')[0]!;
    for (const template of Object.keys(contract.doc.paths)) {
      if (!contract.operation(method, template)) continue;
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`);
      if (pattern.test(path)) return template;
    }
    throw new Error(`no documented route for ${method} ${url}`);
  };
}

/** Webhooks: create, list, deliveries, redeliver, delete. */
export async function webhooksCase({ call }: ContractCase): Promise<void> {
  const created = await call('POST', '/api/projects/shop/webhooks', { payload: { url: 'http://127.0.0.1:9/hook', events: ['deployment.running'] } });
  expect(created.statusCode).toBe(201);
  const id = created.json().id;
  expect((await call('POST', '/api/projects/shop/webhooks', { payload: { url: 'ftp://x', events: [] } })).statusCode).toBe(400);
  expect((await call('GET', '/api/projects/shop/webhooks')).statusCode).toBe(200);
  expect((await call('GET', `/api/projects/shop/webhooks/${id}/deliveries`)).statusCode).toBe(200);
  expect((await call('POST', `/api/projects/shop/webhooks/${id}/deliveries/whd_nope/redeliver`)).statusCode).toBe(404);
  expect((await call('DELETE', `/api/projects/shop/webhooks/${id}`)).statusCode).toBe(200);
  expect((await call('DELETE', `/api/projects/shop/webhooks/${id}`)).statusCode).toBe(404);
}

/**
 * The terminal's route, asked without an upgrade (a running deployment: 400, not a WebSocket request): its
 * refusals are documented `{error}` answers (the WebSocket itself: test/stack/e2e/terminal.test.ts).
 */
export async function terminalCase({ call }: ContractCase, deploymentId: string): Promise<void> {
  const answers = [`/api/deployments/${deploymentId}/exec?cmd=true`, `/api/deployments/${deploymentId}/exec?shell=bash`, '/api/deployments/nosuchdeployment/exec'];
  expect(await Promise.all(answers.map(async (url) => (await call('GET', url)).statusCode))).toEqual([400, 400, 404]);
}

/** Log drains: add (syslog, and a refused scheme), list, resume, delete. */
export async function drainsCase({ call }: ContractCase): Promise<void> {
  const created = await call('POST', '/api/projects/shop/drains', { payload: { url: 'syslog+tcp://127.0.0.1:9' } });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await call('POST', '/api/projects/shop/drains', { payload: { url: 'ftp://127.0.0.1:9' } })).statusCode).toBe(400);
  expect((await call('GET', '/api/projects/shop/drains')).statusCode).toBe(200);
  expect((await call('POST', `/api/projects/shop/drains/${id}/resume`)).statusCode).toBe(202);
  expect((await call('DELETE', `/api/projects/shop/drains/${id}`)).statusCode).toBe(200);
  expect((await call('DELETE', `/api/projects/shop/drains/${id}`)).statusCode).toBe(404);
}

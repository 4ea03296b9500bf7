import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries, zipTestApp } from '@berth/testing/archives';
import { callApi, logLines, settled } from '@berth/testing/deployments';
import { multipartBody, request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { serviceStackEnv } from '@berth/testing/service-images';
import { docker, startStack, type Stack } from '@berth/testing/stack';

// Managed services (issue 29) on the real stack: Postgres and Redis from the local Debian-made
// images, private to their project's apps (not other projects', not builds', not the host's
// public addresses), restarted after a crash, their data kept on DELETE unless asked.
const run = promisify(execFile);
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    workers: 1,
    env: {
      ...(await serviceStackEnv()),
      VOLUME_MEASURE_INTERVAL_MS: '3000',
      MAX_SERVICES_PER_PROJECT: '2',
    },
  });
}, 660_000);
afterAll(async () => {
  await stack?.close();
}, 120_000);

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const service = async (project: string, name: string) => (await api('GET', `/api/projects/${project}/services`)).body.items.find((s: any) => s.name === name);
const runningService = async (project: string, name: string, check: (s: any) => boolean = () => true) => {
  let last: unknown;
  return waitFor(`${project}/${name} running`, async () => {
    const s = (last = await service(project, name));
    return s?.status === 'running' && check(s) ? s : undefined;
  }, 180_000, 250).catch((err: Error) => {
    throw new Error(`${err.message}; last seen: ${JSON.stringify(last)}`);
  });
};

async function deploy(project: string, archive: Buffer, fields: Record<string, string> = {}): Promise<any> {
  const res = await stack.inject({ method: 'POST', url: `/api/projects/${project}/deployments`, ...(await multipartBody(fields, { name: 'app.zip', data: archive })) });
  expect(res.statusCode, res.body).toBe(202);
  return settled(stack, res.json().id, 180_000);
}

/** Asks a prober app (by its host name: project or deployment id) what it reaches. */
async function ask(host: string, path: string): Promise<any> {
  return waitFor(`${host} to answer ${path} through Caddy`, async () => {
    const r = await request(`${stack.caddyUrl}${path}`, { host: `${host}.localhost` });
    return r.status === 200 && r.body.startsWith('{') ? JSON.parse(r.body) : undefined;
  }, 30_000, 100);
}
const probe = (host: string, target: string, port: number): Promise<{ connected: boolean; error?: string }> => ask(host, `/probe?host=${target}&port=${port}`);
const envKeys = async (host: string) => (await ask(host, '/info')).env as string[];
const appEnv = async (deploymentId: string) => (await docker.getContainer(`berth-${stack.instance}-${deploymentId}`).inspect()).Config.Env;

/** A client in a container of the service's own image, on the project's network (as an app would be), with `url`. */
async function client(image: string, network: string, command: string[]): Promise<string> {
  const { stdout } = await run('docker', ['run', '--rm', '--network', network, '--entrypoint', command[0]!, image, ...command.slice(1)], { timeout: 60_000 });
  return stdout.trim();
}

describe('services', () => {
  it('refuses bad input, an unknown project, a second name or variable, and past the limit', async () => {
    expect((await api('POST', '/api/projects', { name: 'doors' })).status).toBe(201);
    const bad = [{}, { type: 'mysql' }, { type: 'postgres', name: 'Db' }, { type: 'postgres', name: '1db' }, { type: 'postgres', version: '../x' }, { type: 'postgres', version: '16;rm' },
      { type: 'redis', envName: 'lower' }, { type: 'redis', envName: 'A=B' }, { type: 'redis', previews: 'yes' }, { type: 'redis', port: 1 }];
    for (const body of bad) expect([(await api('POST', '/api/projects/doors/services', body)).status, JSON.stringify(body)]).toEqual([400, JSON.stringify(body)]);
    expect((await api('POST', '/api/projects/nope/services', { type: 'redis' })).status).toBe(404);
    expect((await api('GET', '/api/projects/nope/services')).status).toBe(404);
    expect((await api('POST', '/api/projects/doors/services', { type: 'redis' })).status).toBe(201);
    expect((await api('POST', '/api/projects/doors/services', { type: 'redis', envName: 'OTHER_URL' })).body.error.code).toBe('CONFLICT');
    expect((await api('POST', '/api/projects/doors/services', { type: 'redis', name: 'two' })).body.error.code).toBe('CONFLICT');
    expect((await api('POST', '/api/projects/doors/services', { type: 'redis', name: 'two', envName: 'TWO_URL' })).status).toBe(201);
    expect((await api('POST', '/api/projects/doors/services', { type: 'redis', name: 'three', envName: 'THREE_URL' })).body.error.code).toBe('LIMIT_REACHED');
    expect((await api('DELETE', '/api/projects/doors/services/nope')).status).toBe(404);
    expect((await api('DELETE', '/api/projects/doors/services/two?deleteData=maybe')).status).toBe(400);
    // A version whose image is not on this machine: the service fails and says why (nothing is pulled).
    expect((await api('POST', '/api/projects', { name: 'lost' })).status).toBe(201);
    expect((await api('POST', '/api/projects/lost/services', { type: 'redis', version: '99' })).status).toBe(201);
    const failed = await waitFor('the lost service failed', async () => ((s) => (s?.status === 'failed' ? s : undefined))(await service('lost', 'redis')), 60_000, 250);
    expect(failed.statusMessage).toMatch(/berth\/redis:99/);
    expect((await api('DELETE', '/api/projects/lost')).status).toBe(200);
    // Deleting the project takes the services' containers, never their data volumes.
    const volume = (await service('doors', 'redis')).dataVolume;
    await waitFor('the doors volume made', () => docker.getVolume(volume).inspect().catch(() => undefined), 60_000, 250);
    expect((await api('DELETE', '/api/projects/doors')).status).toBe(200);
    await waitFor('the doors containers removed', async () => (await docker.listContainers({ all: true, filters: { label: ['dev.berth.project=doors', `dev.berth.instance=${stack.instance}`] } })).length === 0, 30_000, 250);
    expect((await docker.getVolume(volume).inspect()).Labels).toMatchObject({ 'dev.berth.service': 'redis' });
  }, 120_000);

  it('gives the apps their URLs on a network of their own, keeps everyone else out, restarts a crash and keeps data unless asked', async () => {
    for (const name of ['shop', 'other']) expect((await api('POST', '/api/projects', { name })).status).toBe(201);
    const pg = await api('POST', '/api/projects/shop/services', { type: 'postgres', name: 'db' });
    expect([pg.status, pg.body.envName, pg.body.version, pg.body.port]).toEqual([201, 'DATABASE_URL', '15', 5432]);
    expect((await api('POST', '/api/projects/shop/services', { type: 'redis', name: 'cache', envName: 'CACHE_URL' })).status).toBe(201);
    const cache = await runningService('shop', 'cache');
    const db = await runningService('shop', 'db');
    expect(JSON.stringify(db)).not.toMatch(/postgres:\/\//); // the password never shows

    const prober = await zipTestApp('prober');
    const app = await deploy('shop', prober);
    expect(app.status, app.errorMessage).toBe('running');
    expect(await envKeys('shop')).toEqual(expect.arrayContaining(['DATABASE_URL', 'CACHE_URL']));
    expect(await probe('shop', 'db', 5432)).toEqual({ connected: true });
    expect(await probe('shop', 'cache', 6379)).toEqual({ connected: true });

    // The app's own URLs work: rows and keys written with them from the project's network.
    const env = Object.fromEntries((await appEnv(app.id)).map((e) => e.split(/=(.*)/s).slice(0, 2)));
    const network = `berth-${stack.instance}-p-shop`;
    await client('berth/postgres:15', network, ['psql', env.DATABASE_URL, '-qc', 'create table notes (n int); insert into notes values (1), (2), (3)']);
    expect(await client('berth/redis:7', network, ['redis-cli', '-u', env.CACHE_URL, 'set', 'greeting', 'hello'])).toBe('OK');
    const wrong = env.DATABASE_URL.replace(/:[^:@/]+@/, ':wrong@');
    // A one-off run gets the URLs too, and its log masks their passwords as the app's log does.
    const printed = (await api('POST', '/api/projects/shop/runs', { command: 'echo $DATABASE_URL $CACHE_URL' })).body;
    const ran = await waitFor('the run ended', async () => {
      const body = (await api('GET', `/api/projects/shop/runs/${printed.id}`)).body;
      return ['queued', 'running'].includes(body.status) ? undefined : body;
    }, 60_000, 250);
    expect(ran.status, JSON.stringify(ran)).toBe('succeeded');
    const runLog = JSON.stringify((await api('GET', `/api/projects/shop/runs/${printed.id}/logs`)).body);
    expect(runLog).toContain('@db:5432');
    for (const url of [env.DATABASE_URL, env.CACHE_URL]) expect(runLog).not.toContain(new URL(url).password);
    await expect(client('berth/postgres:15', network, ['psql', wrong, '-c', 'select 1'])).rejects.toThrow(/password authentication failed/);

    // Another project's app, a preview (previews: false) and a build step cannot connect.
    const ip = (await docker.getContainer(db.container).inspect()).NetworkSettings.Networks[network]!.IPAddress;
    const stranger = await deploy('other', prober);
    expect(stranger.status).toBe('running');
    for (const [target, port] of [[ip, 5432], ['db', 5432], ['cache', 6379]] as const) expect((await probe('other', target, port)).connected).toBe(false);
    const preview = await deploy('shop', prober, { promote: 'false' });
    expect(await envKeys(preview.id)).not.toContain('DATABASE_URL');
    expect((await probe(preview.id, ip, 5432)).connected).toBe(false);
    const nonce = randomBytes(4).toString('hex');
    const build = await deploy('shop', await zipEntries([{ name: 'Dockerfile', content: [
      'FROM berth/node:24',
      `RUN echo ${nonce} && node -e "for (const [h, p] of [['${ip}', 5432], ['db', 5432]]) { const s = require('node:net').connect(p, h); const done = (r) => { console.log('probe ' + h + ' ' + r); s.destroy(); }; s.on('connect', () => done('CONNECTED')); s.on('error', (e) => done(e.code)); s.setTimeout(3000, () => done('TIMEOUT')); }"`,
      `CMD ["node", "-e", "require('node:http').createServer((q, s) => s.end('ok')).listen(3000)"]`,
    ].join('\n') }]));
    const probes = (await logLines(stack, build.id)).map((l) => l.line).filter((l) => l.startsWith('probe '));
    expect(probes).toHaveLength(2);
    expect(probes.join('\n')).not.toContain('CONNECTED');
    // Nothing published on the host: no port bindings, an internal network.
    const inspected = await docker.getContainer(db.container).inspect();
    expect(Object.values(inspected.NetworkSettings.Ports ?? {}).filter(Boolean)).toEqual([]);
    expect((await docker.getNetwork(network).inspect()).Internal).toBe(true);
    expect(inspected.HostConfig).toMatchObject({ RestartPolicy: { Name: 'unless-stopped' }, Memory: 512 * 1024 * 1024 });

    // A crash (SIGKILL): Docker restarts it, the upkeep records it, the rows are still there; the volume is measured.
    // (Killed from the host, as the kernel's OOM killer would: Docker counts its own `kill` as a stop, which it does not restart.)
    process.kill((await docker.getContainer(db.container).inspect()).State.Pid, 'SIGKILL');
    const back = await runningService('shop', 'db', (s) => s.restarts >= 1 && s.bytesUsed > 0);
    expect(back.restarts).toBeGreaterThanOrEqual(1);
    expect(await client('berth/postgres:15', network, ['psql', env.DATABASE_URL, '-tAc', 'select count(*) from notes'])).toBe('3');

    // DELETE keeps the data volume; with deleteData it goes.
    expect((await api('DELETE', '/api/projects/shop/services/db')).body.status).toBe('deleting');
    expect((await api('DELETE', '/api/projects/shop/services/cache?deleteData=true')).status).toBe(200);
    await waitFor('both services gone', async () => (await api('GET', '/api/projects/shop/services')).body.items.length === 0, 30_000, 250);
    expect(await docker.getContainer(db.container).inspect().catch(() => undefined)).toBeUndefined();
    expect((await docker.getVolume(db.dataVolume).inspect()).Name).toBe(db.dataVolume);
    expect(await docker.getVolume(cache.dataVolume).inspect().catch(() => undefined)).toBeUndefined();
  }, 600_000);
});

import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { docker, startStack, type Stack } from '@berth/testing/stack';

// Door 4 of issue 24: RUN steps ran on Docker's default bridge, where containers reach each
// other, so one build's step could connect to another build's listening process.

let stack: Stack;
/** A service of the host's listening on every address, as Redis or a metadata endpoint might. */
let hostService: Server;
beforeAll(async () => {
  stack = await startStack({ router: false });
  hostService = createServer((c) => c.end('host secret'));
  await new Promise<void>((resolve) => hostService.listen(0, '0.0.0.0', resolve));
});
afterAll(async () => {
  hostService?.close();
  await stack?.close();
});

/** Makes each run's steps new to the layer cache (a cached step would not run at all). */
const nonce = randomBytes(6).toString('hex');

/** A RUN step that listens on port 4000 for `seconds`, then lets the build go on. */
const listenerBuild = (seconds: number) =>
  [
    'FROM berth/node:24',
    `RUN echo ${nonce} && node -e "const srv = require('node:net').createServer((c) => c.end('hello')).listen(4000); setTimeout(() => { srv.close(); process.exit(0); }, ${seconds * 1000})"`,
    `CMD ["node", "-e", "require('node:http').createServer((q, s) => s.end('ok')).listen(3000)"]`,
  ].join('\n');

/** A RUN step that tries to connect to each target (host:port) and prints what it got. */
const probeBuild = (targets: string[]) => [
  'FROM berth/node:24',
  `ENV TARGETS="${targets.join(' ')}"`,
  `RUN echo ${nonce} && node -e "for (const t of process.env.TARGETS.split(' ')) { const [h, p] = t.split(':'); const s = require('node:net').connect(+p, h); const done = (r) => { console.log('probe ' + t + ' ' + r); s.destroy(); }; s.on('connect', () => done('CONNECTED')); s.on('error', (e) => done(e.code)); s.setTimeout(3000, () => done('TIMEOUT')); }"`,
  `CMD ["node", "-e", "require('node:http').createServer((q, s) => s.end('ok')).listen(3000)"]`,
].join('\n');

/** The host's address on the build network (where a step finds the host's services). */
async function buildGateway(): Promise<string> {
  const info = await docker.getNetwork('berth-builds').inspect();
  return info.IPAM!.Config![0]!.Gateway!;
}

/** The address of the container running the deployment's current build step, once it runs. */
async function stepAddress(deploymentId: string): Promise<string> {
  return waitFor(
    `the build of ${deploymentId} to run its listening step`,
    async () => {
      const lines = (await logLines(stack, deploymentId)).map((l) => l.line);
      const step = lines.flatMap((l) => /---> Running in ([0-9a-f]{12})/.exec(l)?.[1] ?? []).at(-1);
      if (!step || !lines.some((l) => l.includes('createServer'))) return undefined;
      const info = await docker.getContainer(step).inspect().catch(() => undefined);
      return Object.values(info?.NetworkSettings.Networks ?? {})[0]?.IPAddress || undefined;
    },
    60_000,
    100,
  );
}

it("a RUN step reaches neither another build's listening step, nor an app, nor the host's services at its gateway", { timeout: 180_000 }, async () => {
  const app = await createDeployment(stack, { archive: await zipEntries([{ name: 'Dockerfile', content: listenerBuild(0) }]), fields: { name: 'net-app' } });
  expect((await settled(stack, app.id)).status).toBe('running');
  const appInfo = await docker.getContainer(`berth-${stack.instance}-${app.id}`).inspect();
  const appIp = Object.values(appInfo.NetworkSettings.Networks)[0]!.IPAddress;

  const other = await createDeployment(stack, { archive: await zipEntries([{ name: 'Dockerfile', content: listenerBuild(120) }]), fields: { name: 'net-other' } });
  const otherIp = await stepAddress(other.id);

  const probe = await createDeployment(stack, {
    archive: await zipEntries([{ name: 'Dockerfile', content: probeBuild([`${otherIp}:4000`, `${appIp}:3000`, `${await buildGateway()}:${(hostService.address() as AddressInfo).port}`]) }]),
    fields: { name: 'net-probe' },
  });
  expect((await settled(stack, probe.id)).status).toBe('running');
  const lines = (await logLines(stack, probe.id)).map((l) => l.line).filter((l) => l.startsWith('probe '));
  expect(lines).toHaveLength(3);
  for (const line of lines) expect(line, lines.join('\n')).not.toContain('CONNECTED');
  // The listening step has done its part: cancel its build rather than wait it out.
  expect((await stack.inject({ method: 'POST', url: `/api/deployments/${other.id}/cancel` })).statusCode).toBe(200);
  expect((await settled(stack, other.id, 30_000)).status).toBe('canceled');
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { zipEntries, zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker, stackForFile } from '@berth/testing/stack';

// Issue 27: builds get the operator's extra CA certificates and proxy; the proxy's
// password ends up in no image (history, config or layer) and no log, the bundle not in
// the running image of a generated build.

const password = 's3cret-proxy-password';
const proxy = `http://builder:${password}@127.0.0.1:9/`;
const marker = `berth-test-ca-${Math.random().toString(36).slice(2)}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-build-trust-'));
// A real bundle (the host's) with a line naming it: text outside a certificate is ignored by readers.
writeFileSync(path.join(dir, 'ca.pem'), `# ${marker}\n${readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')}`);
const stack = stackForFile({
  env: { BUILD_CA_FILE: path.join(dir, 'ca.pem'), BUILD_HTTP_PROXY: proxy, BUILD_HTTPS_PROXY: proxy, BUILD_NO_PROXY: 'localhost' },
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function deploy(archive: Buffer, name: string) {
  const d = await createDeployment(stack(), { archive, fields: { name } });
  const final = await settled(stack(), d.id, 300_000);
  const lines = (await logLines(stack(), d.id)).map((l) => l.line);
  expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
  const ask = () => request(`${stack().caddyUrl}/`, { host: `${d.id}.localhost` });
  await waitFor(`${d.id} through caddy`, async () => ((await ask()).status === 200 ? true : undefined));
  return { id: d.id as string, lines, tag: `berth-${stack().instance}/${d.id}:latest` };
}

/** Whether `needle` appears anywhere in the image as `docker save` writes it: every layer's files, its config. */
async function imageHolds(tag: string, needles: string[]): Promise<string[]> {
  const found = new Set<string>();
  const longest = Math.max(...needles.map((n) => n.length));
  let tail = Buffer.alloc(0);
  for await (const chunk of (await docker.getImage(tag).get()) as AsyncIterable<Buffer>) {
    const window = Buffer.concat([tail, chunk]);
    for (const n of needles) if (window.includes(n)) found.add(n);
    tail = window.subarray(Math.max(0, window.length - longest));
  }
  return [...found];
}

async function history(tag: string): Promise<string> {
  const { stdout } = await promisify(execFile)('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag]);
  return stdout;
}

describe('build trust and proxies', { timeout: 600_000 }, () => {
  it('a generated build: its steps have the bundle and the proxy; the image keeps neither, the log masks the password', async () => {
    const build = [
      "import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';",
      'const ca = process.env.NODE_EXTRA_CA_CERTS;',
      // The marker spelled backwards: this file ships in the running image, which must not hold the marker.
      `const marker = '${[...marker].reverse().join('')}'.split('').reverse().join('');`,
      "console.log('build sees the bundle:', ca, existsSync(ca) && readFileSync(ca, 'utf8').includes(marker));",
      "console.log('build sees the proxy:', process.env.HTTPS_PROXY, process.env.no_proxy);",
      "mkdirSync('dist', { recursive: true });",
      "writeFileSync('dist/server.js', readFileSync('src/server.js', 'utf8'));",
    ].join('\n');
    const { id, lines, tag } = await deploy(await zipTestApp('node-built', { 'build.mjs': build, 'nonce.txt': String(Math.random()) }), 'trust-generated');
    expect(lines).toContain('build proxy: HTTP_PROXY, HTTPS_PROXY, NO_PROXY (and lower case) from the worker\'s settings, as build args kept out of the image\'s history');
    expect(lines).toContain('build trust: the install and build steps trust the extra CA certificates of BUILD_CA_FILE (/etc/berth/build-ca.pem; not in the running image)');
    expect(lines.find((l) => l.includes('COPY --from=berth/build-ca:'))).toMatch(/^ {2}COPY --from=berth\/build-ca:[0-9a-f]{24} \["\/ca.pem", "\/etc\/berth\/build-ca.pem"\]$/);
    expect(lines).toContain('build sees the bundle: /etc/berth/build-ca.pem true');
    // The step saw the proxy; the log masks its password.
    expect(lines).toContain('build sees the proxy: http://builder:••••••@127.0.0.1:9/ localhost');
    expect(lines.join('\n')).not.toContain(password);

    expect(await history(tag)).not.toContain(password);
    expect(JSON.stringify((await docker.getImage(tag).inspect()).Config)).not.toContain(password);
    // The scan finds what is there (build.mjs ships in /app), so finding nothing else means something.
    expect(await imageHolds(tag, [password, marker, 'build-ca.pem', 'build sees the bundle'])).toEqual(['build sees the bundle']);
    const env = await docker.getContainer(`berth-${stack().instance}-${id}`).inspect();
    expect(env.Config.Env.join('\n')).not.toMatch(/PROXY|NODE_EXTRA_CA_CERTS/i);
  });

  it("an app's own Dockerfile: the bundle at .berth-build-ca.pem in its context, the proxy as an undeclared build arg", async () => {
    const dockerfile = [
      'FROM berth/node:24',
      'WORKDIR /app',
      'COPY server.js /app/',
      // A build stage would copy it where its tools look; here the step only reads it.
      'COPY .berth-build-ca.pem /tmp/ca.pem',
      `RUN grep -c '${marker}' /tmp/ca.pem && test -n "$HTTPS_PROXY" && test -n "$http_proxy" && echo "proxy arg present" && rm /tmp/ca.pem`,
      'CMD ["node", "/app/server.js"]',
    ].join('\n');
    const server = "require('node:http').createServer((q, s) => s.end('own dockerfile')).listen(Number(process.env.PORT || 3000));";
    const zip = await zipEntries([
      { name: 'Dockerfile', content: dockerfile },
      { name: 'server.js', content: server },
      { name: 'nonce.txt', content: String(Math.random()) },
    ]);
    const { lines, tag } = await deploy(zip, 'trust-dockerfile');
    expect(lines).toContain('build trust: the extra CA certificates of BUILD_CA_FILE are at .berth-build-ca.pem in the build context');
    expect(lines).toContain('proxy arg present');
    expect(lines.join('\n')).not.toContain(password);
    expect(await history(tag)).not.toContain(password);
    expect(await imageHolds(tag, [password])).toEqual([]);
  });
});

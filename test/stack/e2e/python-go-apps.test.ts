import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testAppsDir, zipEntries, zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker, stackForFile } from '@berth/testing/stack';

// Issue 27: a Python and a Go app without a Dockerfile, standard library only (PyPI and the Go
// proxy are not reachable from CI), each live through Caddy. The base images are made from
// Debian's packages by the worker on first use (about 1.5 min each, in parallel, on a fresh
// machine). BUILD_CA_FILE as `npm run up` sets it: the build stages trust it, the apps do not carry it.

const stack = stackForFile({ env: { BUILD_CA_FILE: '/etc/ssl/certs/ca-certificates.crt' } });

async function deploy(app: string, project = `${app}-${Math.random().toString(36).slice(2, 8)}`, overrides: Record<string, string> = {}) {
  const started = Date.now();
  const d = await createDeployment(stack(), { archive: await zipTestApp(app, overrides), fields: { name: project } });
  // Making a base image on first use (mmdebstrap) takes 1.5 min on an idle machine, over 10 on a loaded one.
  const final = await settled(stack(), d.id, 1_200_000);
  const lines = (await logLines(stack(), d.id)).map((l) => l.line);
  expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
  const image = await docker.getImage(`berth-${stack().instance}/${d.id}:latest`).inspect();
  return { id: d.id as string, project, lines, image, seconds: (Date.now() - started) / 1000 };
}

async function answer(id: string, pathname: string) {
  const ask = () => request(`${stack().caddyUrl}${pathname}`, { host: `${id}.localhost` });
  await waitFor(`${id} through caddy`, async () => ((await ask()).status === 200 ? true : undefined));
  return JSON.parse((await ask()).body) as Record<string, unknown>;
}

let goProject: string | undefined;

describe('Python and Go apps without a Dockerfile', { timeout: 1_500_000 }, () => {
  it('both go live through Caddy, as nobody, from small images without the build CA', async () => {
    const [python, go] = await Promise.all([deploy('python-stdlib'), deploy('go-stdlib')]);
    goProject = go.project;

    expect(python.lines).toContain("detected python: 3.11 (.python-version: \"3.11\"; requirements.txt makes this a Python project)");
    expect(python.lines).toContain('detected install: pip install --no-cache-dir -r requirements.txt into a venv (its own layer, keyed on requirements.txt)');
    expect(python.lines).toContain('detected start: exec python main.py (main.py (no Procfile web line, gunicorn or uvicorn); it listens on $PORT itself)');
    expect(await answer(python.id, '/py')).toMatchObject({ app: 'python-stdlib', python: expect.stringMatching(/^3\.11\./), uid: 65534, venv: '/opt/venv', buildCa: false, pip: false, path: '/py' });
    expect(python.image.Config.User).toBe('65534:65534');

    expect(go.lines).toContain("detected go: 1.19 (go.mod's go line: 1.19; go.mod of module example.com/go-stdlib makes this a Go project)");
    expect(go.lines).toContain('detected modules: none required (standard library only: nothing downloaded)');
    expect(await answer(go.id, '/go')).toEqual({ app: 'go-stdlib', go: expect.stringMatching(/^go1\.19/), uid: 65534, certs: true, shell: false, path: '/go' });
    expect(go.image.Config.User).toBe('65534:65534');
    // scratch + CA certificates + passwd + a stripped binary.
    expect(go.image.Size).toBeLessThan(15_000_000);

    for (const { lines } of [python, go]) {
      expect(lines.some((l) => l.startsWith('build trust: the install and build steps trust'))).toBe(true);
    }
    console.log(`image sizes: python ${python.image.Size} B (${python.seconds} s), go ${go.image.Size} B (${go.seconds} s)`);
    console.log([python, go].map((d) => d.lines.find((l) => l.startsWith('image size:'))).join('\n'));
  });

  it('a one-line change, moved into a ./cmd/<name> layout (a library at the root), rebuilds on the compiled standard library and module layers', async () => {
    // The first test's project: its layers are this project's cache. One deploy checks both (a Go build is slow on a loaded machine).
    expect(goProject).toBeDefined();
    const main = readFileSync(path.join(testAppsDir, 'go-stdlib/main.go'), 'utf8').replace('"go-stdlib"', '"go-stdlib-v2"');
    const archive = await zipEntries([
      { name: 'go.mod', content: readFileSync(path.join(testAppsDir, 'go-stdlib/go.mod'), 'utf8') },
      { name: 'doc.go', content: '// Package gostdlib is the library; the program is cmd/server.\npackage gostdlib\n' },
      { name: 'cmd/server/main.go', content: main },
    ]);
    const started = Date.now();
    const d = await createDeployment(stack(), { archive, fields: { name: goProject! } });
    const final = await settled(stack(), d.id, 600_000);
    const lines = (await logLines(stack(), d.id)).map((l) => l.line);
    expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
    expect(lines).toContain('detected main package: ./cmd/server (the only folder under cmd/ with .go files; the package at rootDir is a library)');
    const cached = (step: string) => lines[lines.findIndex((l) => l.startsWith('Step') && l.includes(step)) + 1];
    expect(cached('go build -trimpath net/http encoding/json')).toBe(' ---> Using cache');
    expect(cached('go mod download')).toBe(' ---> Using cache');
    expect(await answer(d.id, '/cmd')).toMatchObject({ app: 'go-stdlib-v2', path: '/cmd', shell: false });
    console.log(`go: warm rebuild (into cmd/server), deployed in ${(Date.now() - started) / 1000} s`);
  });

  it('a go.mod newer than the toolchain fails with UNSUPPORTED_GO_VERSION before any build', async () => {
    const archive = await zipEntries([
      { name: 'go.mod', content: 'module x\n\ngo 1.99\n' },
      { name: 'main.go', content: 'package main\n\nfunc main() {}\n' },
    ]);
    const final = await settled(stack(), (await createDeployment(stack(), { archive })).id, 60_000);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'UNSUPPORTED_GO_VERSION' });
    expect(final.errorMessage).toMatch(/go\.mod asks for Go 1\.99 \(its go line\), newer than Berth's toolchain, Go 1\.19/);
  });
});

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';

const root = repoRoot;

it('docker-compose.yml is valid and matches the local stack', () => {
  // Debian's docker-compose (1.29) reads the same file as `docker compose`; it cannot start it here (no registry).
  const out = execFileSync('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config'], {
    encoding: 'utf8',
  });
  for (const service of ['redis:', 'postgres:', 'caddy:', 'migrate:', 'api:', 'worker:', 'router-sync:']) {
    expect(out).toContain(`  ${service}`);
  }
  expect(out).toMatch(/worker:[\s\S]*?replicas: 2/);
  // Caddy's admin API stays inside the network: only port 80 is published.
  expect(out).not.toMatch(/published: 2019|2019:2019/);
  expect(out).toContain('name: berth-apps');
  // The images run the compiled programs, as `npm run up` does; no runtime transpiler.
  expect(out).not.toContain('tsx');
  for (const program of ['apps/api/dist/main.js', 'apps/worker/dist/main.js', 'apps/router-sync/dist/main.js', 'migrations/dist/migrate-cli.js']) {
    expect(out).toContain(program);
  }
  // A worker has time to hand its jobs back before Docker kills it; every container's log rotates.
  expect(out).toMatch(/worker:[\s\S]*?stop_grace_period: 45s/);
  expect(out.match(/max-size: 10m/g)).toHaveLength(7);
});

it('the Dockerfile builds the compiled output and runs it with production dependencies only', () => {
  const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toContain('RUN npm run build');
  expect(dockerfile).toContain('npm ci --omit=dev');
  const runStage = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
  expect(runStage).not.toMatch(/tsx|COPY (apps|packages|migrations) /);
  expect(runStage).toContain('CMD ["node", "apps/api/dist/main.js"]');
  // npm ci needs every workspace's manifest, and the programs import the client and the dashboard's build.
  const workspaces = ['packages', 'apps'].flatMap((dir) =>
    readdirSync(path.join(root, dir)).map((name) => `${dir}/${name}`),
  );
  for (const workspace of [...workspaces, 'migrations']) expect(dockerfile).toContain(`COPY ${workspace}/package.json`);
  for (const built of ['packages/client/dist', 'apps/dashboard/dist', 'apps/dashboard/dist-dir.js']) {
    expect(runStage).toContain(`/berth/${built} `);
  }
});

it('the Caddyfile adapts for the local stack and for compose', () => {
  const adapt = (env: Record<string, string>) =>
    JSON.parse(
      execFileSync('caddy', ['adapt', '--adapter', 'caddyfile', '--config', path.join(root, 'Caddyfile')], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      }),
    );
  const local = adapt({});
  expect(local.admin.listen).toBe('localhost:2019');
  expect(local.apps.http.servers.srv0.listen).toEqual([':8080']);
  expect(JSON.stringify(local)).toContain('"dial":"127.0.0.1:3000"');
  // As docker-compose.yml runs it: admin on a unix socket, the API on the host's loopback.
  const compose = adapt({
    CADDY_HTTP_PORT: ':80',
    CADDY_ADMIN_LISTEN: 'unix//run/caddy-admin/admin.sock',
    API_UPSTREAM: '127.0.0.1:3000',
  });
  expect(compose.admin.listen).toBe('unix//run/caddy-admin/admin.sock');
  expect(compose.apps.http.servers.srv0.listen).toEqual([':80']);
  expect(JSON.stringify(compose)).toContain('"dial":"127.0.0.1:3000"');
  expect(JSON.stringify(compose)).not.toContain('encode'); // never compress in front of SSE
});

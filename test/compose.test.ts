import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { environmentFile, systemdUnits } from '@berth/supervisor/systemd-units';
import { requireTool } from '@berth/testing/tools';

const options = { root: '/opt/berth', node: process.execPath, envFile: '/etc/berth/berth.env', stopGraceSec: 45 };

it('has a unit per program: restarted on failure, after (and needing) the services it uses', () => {
  const units = systemdUnits(options);
  expect(Object.keys(units).sort()).toEqual([
    'berth-api.service',
    'berth-migrate.service',
    'berth-router-sync.service',
    'berth-worker@.service',
    'berth.target',
  ]);
  const field = (unit: string, key: string) =>
    units[unit]!.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
  for (const unit of ['berth-api.service', 'berth-worker@.service', 'berth-router-sync.service']) {
    expect(field(unit, 'Restart')).toEqual(['on-failure']);
    expect(field(unit, 'StartLimitBurst')).toEqual(['5']);
    expect(field(unit, 'EnvironmentFile')).toEqual(['/etc/berth/berth.env']);
    expect(field(unit, 'TimeoutStopSec')).toEqual(['45']);
    expect(field(unit, 'WorkingDirectory')).toEqual(['/opt/berth']);
    expect(field(unit, 'After')[0]).toContain('redis-server.service postgresql.service berth-migrate.service');
    expect(field(unit, 'Requires')[0]).toContain('berth-migrate.service');
  }
  expect(field('berth-api.service', 'ExecStart')).toEqual([`${process.execPath} apps/api/dist/main.js`]);
  expect(field('berth-worker@.service', 'ExecStart')).toEqual([`${process.execPath} apps/worker/dist/main.js`]);
  expect(field('berth-worker@.service', 'Environment')).toEqual(['WORKER_NAME=worker-%i']);
  expect(field('berth-worker@.service', 'Requires')[0]).toContain('docker.service');
  expect(field('berth-router-sync.service', 'After')[0]).toContain('docker.service caddy.service');
  expect(field('berth-router-sync.service', 'Wants')[0]).toContain('caddy.service');
  expect(field('berth-migrate.service', 'Type')).toEqual(['oneshot']);
  expect(field('berth.target', 'WantedBy')).toEqual(['multi-user.target']);
});

it('quotes settings for EnvironmentFile', () => {
  expect(environmentFile({ A: 'plain', B: 'with "quotes" and \\' })).toMatch(/\nA="plain"\nB="with \\"quotes\\" and \\\\"\n$/);
});

it('passes systemd-analyze verify', () => {
  requireTool('systemd-analyze', 'Debian: apt-get install systemd; scripts/lib/services.sh installs it');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-units-'));
  // The real checkout's layout: verify checks that ExecStart's program exists.
  const units = systemdUnits({ ...options, root: dir, envFile: path.join(dir, 'berth.env') });
  for (const [name, text] of Object.entries(units)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, 'berth.env'), environmentFile({ LOG_LEVEL: 'info' }));
  const files = ['berth.target', 'berth-migrate.service', 'berth-api.service', 'berth-worker@1.service', 'berth-router-sync.service'];
  // Exit status 0 and nothing said: no unknown keys, bad values or missing programs.
  const out = execFileSync('systemd-analyze', ['verify', '--man=no', ...files.map((f) => `./${f}`)], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toBe('');
  fs.rmSync(dir, { recursive: true });
});

/** How the units run Berth: from this checkout's compiled programs, with this Node. */
export interface UnitOptions {
  /** The checkout (WorkingDirectory; programs under apps/∗/dist). */
  root: string;
  /** Absolute path of the pinned Node binary. */
  node: string;
  /** The settings every program reads (REDIS_URL, DATABASE_URL, …), mode 0600. */
  envFile: string;
  /** SIGTERM, then this long, then SIGKILL: above a worker's SHUTDOWN_GRACE_MS, so it hands its jobs back. */
  stopGraceSec: number;
}

const header = '# Written by `npm run install-service` (apps/supervisor/src/systemd-units.ts); run it again rather than editing.\n';

/** The services Berth needs, as Debian names their units. */
const services = { docker: 'docker.service', redis: 'redis-server.service', postgres: 'postgresql.service', caddy: 'caddy.service' };

function service(o: UnitOptions, unit: { description: string; after: string[]; requires?: string[]; wants?: string[]; exec: string; env?: string[] }): string {
  const lines = [
    header,
    '[Unit]',
    `Description=${unit.description}`,
    'PartOf=berth.target',
    `After=network-online.target ${unit.after.join(' ')}`,
    `Wants=network-online.target ${(unit.wants ?? []).join(' ')}`.trimEnd(),
    ...(unit.requires?.length ? [`Requires=${unit.requires.join(' ')}`] : []),
    // Five crashes within a minute: systemd stops restarting it (`systemctl status` shows it failed).
    'StartLimitIntervalSec=60',
    'StartLimitBurst=5',
    '',
    '[Service]',
    'Type=simple',
    `WorkingDirectory=${o.root}`,
    `EnvironmentFile=${o.envFile}`,
    ...(unit.env ?? []).map((e) => `Environment=${e}`),
    `ExecStart=${o.node} ${unit.exec}`,
    'Restart=on-failure',
    'RestartSec=1',
    'KillSignal=SIGTERM',
    `TimeoutStopSec=${o.stopGraceSec}`,
    // Logs go to the journal (journald rotates them): journalctl -u berth-api
    'StandardOutput=journal',
    'StandardError=journal',
    '',
    '[Install]',
    'WantedBy=berth.target',
    '',
  ];
  return lines.join('\n');
}

/**
 * The systemd units for one host: `berth.target` groups them; the migrations
 * run once before the programs start; `berth-worker@N` is a template, one
 * instance per worker (`systemctl enable --now berth-worker@3` adds one).
 * A pure function of its options, like the Caddy config generator: the test
 * compares its output and runs `systemd-analyze verify` on it.
 */
export function systemdUnits(o: UnitOptions): Record<string, string> {
  const base = [services.redis, services.postgres, 'berth-migrate.service'];
  return {
    'berth.target': [
      header,
      '[Unit]',
      'Description=Berth, the platform (api, workers, router-sync)',
      'Wants=berth-api.service berth-router-sync.service',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n'),
    'berth-migrate.service': [
      header,
      '[Unit]',
      'Description=Berth database migrations (before the programs start)',
      'PartOf=berth.target',
      `After=network-online.target ${services.postgres}`,
      `Wants=network-online.target ${services.postgres}`,
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      `WorkingDirectory=${o.root}`,
      `EnvironmentFile=${o.envFile}`,
      `ExecStart=${o.node} migrations/dist/migrate-cli.js`,
      '',
    ].join('\n'),
    'berth-api.service': service(o, {
      description: 'Berth API',
      after: base,
      wants: [services.redis, services.postgres],
      requires: ['berth-migrate.service'],
      exec: 'apps/api/dist/main.js',
    }),
    'berth-worker@.service': service(o, {
      description: 'Berth worker %i',
      after: [...base, services.docker],
      wants: [services.redis, services.postgres],
      requires: ['berth-migrate.service', services.docker],
      exec: 'apps/worker/dist/main.js',
      env: ['WORKER_NAME=worker-%i'],
    }),
    'berth-router-sync.service': service(o, {
      description: 'Berth router-sync (Caddy routes)',
      after: [...base, services.docker, services.caddy],
      wants: [services.redis, services.postgres, services.caddy],
      requires: ['berth-migrate.service', services.docker],
      exec: 'apps/router-sync/dist/main.js',
    }),
  };
}

/** The settings file the units read: `KEY=value` lines (systemd's EnvironmentFile syntax, values quoted). */
export function environmentFile(settings: Record<string, string>): string {
  const quote = (v: string) => `"${v.replace(/(["\\])/g, '\\$1')}"`;
  return `${header}${Object.entries(settings)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join('\n')}\n`;
}

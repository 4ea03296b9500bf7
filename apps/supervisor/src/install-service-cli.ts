import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadInstallServiceConfig } from './config.ts';
import { environmentFile, systemdUnits } from './systemd-units.ts';

// `npm run install-service -- [--dir /etc/systemd/system] [--settings /etc/berth/berth.env] [--workers N]`:
// (not --env-file: Node takes that flag for itself, wherever it appears)
// writes Berth's systemd units and the settings they read (this platform's: scripts/lib/platform-env.sh);
// where systemd runs and the units went to its directory, enables and starts them.
const installConfig = loadInstallServiceConfig(process.env);
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/etc/systemd/system' },
    'settings': { type: 'string', default: '/etc/berth/berth.env' },
    workers: { type: 'string', default: installConfig.BERTH_WORKERS },
  },
});
const workers = Number(values.workers);
if (!Number.isInteger(workers) || workers < 0) throw new Error(`--workers needs a number, got ${values.workers}`);
const root = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const env = process.env;

/** The settings `npm run up` would run with, for the units' EnvironmentFile. */
const keys = [
  'REDIS_URL', 'DATABASE_URL', 'BERTH_INSTANCE', 'BASE_DOMAIN', 'API_PORT', 'PUBLIC_PORT', 'CADDY_ADMIN_URL',
  'CADDY_ADMIN_LISTEN', 'CADDY_HTTP_LISTEN', 'API_UPSTREAM', 'BERTH_SECRET_KEY_FILE', 'BERTH_NETWORK', 'WORKER_CONCURRENCY', 'LOG_LEVEL',
];
const settings = Object.fromEntries(keys.flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
const tokenFile = path.join(installConfig.BERTH_STATE_DIR ?? path.join(root, '.berth'), 'admin-token');
if (fs.existsSync(tokenFile)) settings.BERTH_ADMIN_TOKEN = fs.readFileSync(tokenFile, 'utf8').trim();
else settings.BERTH_ADMIN_TOKEN_FILE = tokenFile;

const units = systemdUnits({ root, node: process.execPath, envFile: values['settings'], stopGraceSec: 45 });
fs.mkdirSync(values.dir, { recursive: true });
for (const [name, text] of Object.entries(units)) fs.writeFileSync(path.join(values.dir, name), text, { mode: 0o644 });
fs.mkdirSync(path.dirname(values['settings']), { recursive: true, mode: 0o700 });
fs.writeFileSync(values['settings'], environmentFile(settings), { mode: 0o600 });
console.log(`wrote ${Object.keys(units).join(', ')} to ${values.dir}, and ${values['settings']}`);

const instances = Array.from({ length: workers }, (_, i) => `berth-worker@${i + 1}.service`);
const commands = [['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', 'berth.target', 'berth-api.service', 'berth-router-sync.service', ...instances]];
const systemdRuns = fs.existsSync('/run/systemd/system');
if (systemdRuns && path.resolve(values.dir) === '/etc/systemd/system') {
  for (const [cmd, ...args] of commands) execFileSync(cmd!, args, { stdio: 'inherit' });
  console.log('enabled and started; see: systemctl status berth.target; journalctl -u berth-api -f');
} else {
  console.log(`${systemdRuns ? 'units written elsewhere' : 'systemd is not running here'}; to enable them:`);
  for (const c of commands) console.log(`  ${c.join(' ')}`);
}

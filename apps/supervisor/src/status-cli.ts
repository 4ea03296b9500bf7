import { loadStatusConfig } from './config.ts';
import { formatStatus, problems } from './format-status.ts';
import { gatherStatus } from './platform-status.ts';

// `npm run status [-- --json]`: exit 0 when everything is up, 1 when something is down.
const config = loadStatusConfig(process.env);
const status = await gatherStatus({
  stateDir: config.BERTH_STATE_DIR,
  redisUrl: config.REDIS_URL,
  databaseUrl: config.DATABASE_URL,
  instance: config.BERTH_INSTANCE,
  caddyAdminUrl: config.CADDY_ADMIN_URL,
  dockerSocket: config.DOCKER_SOCKET,
  timeoutMs: config.BERTH_STATUS_TIMEOUT_MS,
});
console.log(process.argv.includes('--json') ? JSON.stringify({ ...status, problems: problems(status) }, null, 2) : formatStatus(status));
process.exit(problems(status).length === 0 ? 0 : 1);

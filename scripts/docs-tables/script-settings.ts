/**
 * Variables only the shell scripts read (scripts/*.sh, scripts/lib/*.sh): no program parses them with
 * zod, so they are listed here, for docs/settings.md. The programs' own settings (which
 * scripts/lib/platform-env.sh gives local values) are in their schemas (apps/*\/src/config.ts).
 */
export interface ScriptSetting {
  readonly name: string;
  /** The npm scripts (or script files) that read it. */
  readonly readBy: string;
  readonly default: string;
  readonly description: string;
}

export const scriptSettings: readonly ScriptSetting[] = [
  { name: 'BERTH_STATE_DIR', readBy: 'up, down, status, scale, restart, test', default: '`$PWD/.berth`', description: 'Where pids, the supervisor state, `logs/`, the local admin token and secret key live (the programs get it from the scripts)' },
  { name: 'BERTH_WORKERS', readBy: 'up', default: '`1`', description: 'Workers `npm run up` starts (`--workers N` overrides it)' },
  { name: 'BERTH_RUNTIME', readBy: 'up, scale, restart, test', default: '`docker`', description: '`swarm` starts the one-node swarm, the registry and the Caddy container too (`npm run up -- --swarm` sets it)' },
  { name: 'BERTH_ADMIN_TOKEN', readBy: 'up', default: 'generated into `$BERTH_STATE_DIR/admin-token`', description: 'The admin token `npm run up` hands the API' },
  { name: 'BERTH_SKIP_BUILD', readBy: 'up', default: '(unset)', description: '`1`: start without `npm run build` first (the compiled programs are current)' },
  { name: 'BERTH_STOP_GRACE_MS', readBy: 'down', default: '`45000`', description: 'How long `npm run down` waits after SIGTERM before SIGKILL' },
  { name: 'BERTH_PG_PORT', readBy: 'up, test', default: '`5432`', description: 'The port of the Postgres the scripts start or use (DATABASE_URL is built from it)' },
  { name: 'BERTH_REDIS_PORT', readBy: 'up, test', default: '`6379`', description: 'The port of the Redis the scripts start or use (REDIS_URL is built from it)' },
  { name: 'BERTH_SWARM_ADVERTISE_ADDR', readBy: 'up, test', default: "the Docker bridge's gateway", description: '`docker swarm init --advertise-addr` when this Docker is in no swarm yet; other nodes reach the manager there (set the LAN address for nodes on other machines)' },
  { name: 'BERTH_REGISTRY', readBy: 'up (swarm)', default: '`127.0.0.1:5000`', description: 'The registry `npm run up -- --swarm` starts on loopback (or uses, when one answers there)' },
  { name: 'CADDY_HTTPS_PORT', readBy: 'up (swarm)', default: '`8443`', description: "Swarm mode: the Caddy container's HTTPS port" },
  { name: 'CADDY_PUBLISH_HOST', readBy: 'up (swarm)', default: '`0.0.0.0`', description: "Swarm mode: the host address the Caddy container's ports are published on (`127.0.0.1` keeps them local)" },
  { name: 'BERTH_CACHE_DIR', readBy: 'every script (the Node runtime)', default: '`$XDG_CACHE_HOME/berth` (`~/.cache/berth`)', description: 'Where the pinned Node runtimes are downloaded to' },
  { name: 'CADDY_BINARY', readBy: 'make-caddy-image.sh (test, up --swarm)', default: '`caddy` on PATH', description: 'The Caddy binary the `berth/caddy` image is made from' },
];

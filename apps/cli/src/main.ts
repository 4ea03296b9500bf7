/**
 * berth — a small command line for the Berth API (`berth --help` lists the commands).
 *
 * BERTH_URL (default http://localhost:8080) and BERTH_TOKEN (default: .berth/admin-token) say where and who.
 * Commands that deploy show the build as it happens and exit 0 once the result is live, 1 if it failed;
 * an API error is printed as `berth: <status> <CODE>: <message>` with exit 1; bad arguments print a usage line.
 */
import { readFileSync } from 'node:fs';
import { CliError } from './berth-api.ts';
import { terminalSafe } from './terminal-text.ts';
const help = `usage: berth <command> [...]

  deploy <dir|archive|git-url> [--name N] [--port P] [--ref R] [--root-dir D] [--env K=V ...]
                                  a one-off deployment (its project is made on first use)
  deploy [<dir|archive>] --project P [--ref R] [--preview] [--env K=V ...]
                                  a release of project P: the archive, or (without a path) P's git settings
  redeploy <deploymentId>         the same source and env again
  promote <deploymentId>          point the project URL at a running deployment (e.g. a preview)
  rollback <project> [--to <deploymentId>]
                                  back to the previous release (or the one named); waits until it serves

  scale <deploymentId|project> <n>
                                  run n copies (swarm mode; docker runs 1): a project scales its current
                                  release now and its new releases; a deployment id scales that one
  migrate-runtime <swarm|docker>  after restarting with that BERTH_RUNTIME: move each running deployment
                                  over, one at a time (start new, switch its URL, stop old)

  run <project> -- <command...>   run a command once in the project's current release (its env, volumes,
                                  limits); prints its output, exits with its exit code

  exec <deploymentId> [--replica n] [-- <command...>]
                                  a terminal in a running deployment (default sh; deployer and up);
                                  exits with the command's exit code

  projects create <name> [--git URL] [--ref R] [--root-dir D] [--port P] [--health-path /p]
  projects list | show <name> | rm <name>
  env set <project> K=V [K=V ...] [--build]      env unset <project> K [K ...] [--build]
  env ls <project>                (names only: values are never shown); --preview: the env previews get
  domains add <project> <hostname> | verify <project> <hostname> | rm <project> <hostname> | ls <project>
  services add <project> postgres|redis [--name N] [--version V] [--env-name VAR] [--previews]
  services rm <project> <name> [--delete-data] | ls <project>     (docs/services.md)
  backups <project> <service> [ls | take | restore <id> | download <id> <file>]
  drains <project> [ls | add <url> | rm <id> | resume <id>]      (docs/drains.md)

  users create [--owner] <email>  a person, and the one-time link that sets their password (the first
                                  owner: npm run berth -- users create --owner you@example.com)
  users list

  logs <id> [--follow] | list | cancel <id> | rm <id> | --version

  secrets rotate-key              on the platform's machine: re-seal every stored secret under
                                  BERTH_SECRET_KEY (old keys in BERTH_OLD_SECRET_KEYS still open)
  audit verify                    on the platform's machine: check the audit log's hash chain

  BERTH_URL (default http://localhost:8080), BERTH_TOKEN (default .berth/admin-token)
`;

function cliVersion(): string {
  const manifest = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

type Command = (args: string[], name: string) => Promise<number>;

// Each command's module is loaded when that command runs: the operator commands (users, secrets, audit)
// bring the database client and the platform's settings, which cost every other call half a second.
const commands: Record<string, () => Promise<Command>> = {
  deploy: async () => (await import('./commands/deploy.ts')).deploy,
  redeploy: async () => (await import('./commands/deploy.ts')).redeploy,
  promote: async () => (await import('./commands/deploy.ts')).promote,
  rollback: async () => (await import('./commands/deploy.ts')).rollback,
  projects: async () => (await import('./commands/projects.ts')).projects,
  scale: async () => (await import('./commands/scale.ts')).scale,
  'migrate-runtime': async () => (await import('./commands/migrate-runtime.ts')).migrateRuntime,
  run: async () => (await import('./commands/run.ts')).run,
  exec: async () => (await import('./commands/exec.ts')).exec,
  env: async () => (await import('./commands/env.ts')).env,
  domains: async () => (await import('./commands/domains.ts')).domains,
  services: async () => (await import('./commands/services.ts')).services,
  backups: async () => (await import('./commands/backups.ts')).backups,
  drains: async () => (await import('./commands/drains.ts')).drains,
  users: async () => (await import('./commands/users.ts')).users,
  logs: async () => (await import('./commands/deployments.ts')).logs,
  secrets: async () => (await import('./commands/secrets.ts')).secrets,
  audit: async () => (await import('./commands/audit.ts')).audit,
  list: async () => (await import('./commands/deployments.ts')).list,
  cancel: async () => {
    const { stop } = await import('./commands/deployments.ts');
    return (args, name) => stop(name === 'rm' ? 'rm' : 'cancel', args);
  },
};
/** Singular spellings, and `rm` beside `cancel`. */
const aliases: Record<string, string> = { project: 'projects', domain: 'domains', service: 'services', backup: 'backups', drain: 'drains', user: 'users', rm: 'cancel' };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'version':
    case '--version':
      process.stdout.write(`berth ${cliVersion()} (Node ${process.version})\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(help);
      return 0;
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : Object.hasOwn(aliases, command) ? commands[aliases[command]!] : undefined;
  if (!load) {
    process.stderr.write(`berth: unknown command "${command}"\n${help}`);
    return 2;
  }
  return (await load())(rest, command);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // The message may carry the API's words (an error message): printed like every other line.
    process.stderr.write(`berth: ${terminalSafe(err instanceof CliError ? err.message : err instanceof Error ? String(err.stack) : String(err))}\n`);
    process.exit(1);
  },
);

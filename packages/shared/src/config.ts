import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Config helpers shared by the apps. Each app declares its own schema in
 * `src/config.ts`, parses `process.env` once at start and passes the frozen
 * result down; nothing else reads the environment.
 *
 * The schemas are also the settings catalog: every variable carries its
 * description (`.describe()`, or `setting()` when the program works its
 * default out itself), and docs/settings.md is generated from them
 * (`npm run docs:tables`; scripts/docs-tables/).
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}

/**
 * A setting's description, and the default the program works out itself when
 * the schema has none (`berth-<BERTH_INSTANCE>`), for docs/settings.md.
 */
export function setting<S extends z.ZodType>(schema: S, description: string, derivedDefault?: string): S {
  return schema.meta(derivedDefault === undefined ? { description } : { description, derivedDefault });
}

/**
 * Variables renamed: `{ OLD_NAME: 'NEW_NAME' }`. The old name is still read
 * (when the new one is not set), and each one set is reported through `warn`
 * at start, so an operator's settings keep working while they move.
 */
export function withRenamedVariables(
  source: Record<string, string | undefined>,
  renamed: Readonly<Record<string, string>>,
  warn: (message: string) => void,
): Record<string, string | undefined> {
  const env = { ...source };
  for (const [old, current] of Object.entries(renamed)) {
    if (env[old] === undefined) continue;
    if (env[current] === undefined) {
      env[current] = env[old];
      warn(`${old} is deprecated: it is read as ${current} for now; set ${current} instead`);
    } else {
      warn(`${old} is deprecated and ignored: ${current} is set too`);
    }
    delete env[old];
  }
  return env;
}

export const env = {
  runtime: z
    .enum(['docker', 'swarm'])
    .default('docker')
    .describe("docker: plain containers on this machine's Docker; swarm: one Swarm service per deployment (images through BERTH_REGISTRY, found by router-sync through the manager's API); `npm run up -- --swarm` sets it"),
  redisUrl: z.string().url('expected a redis:// URL').default('redis://127.0.0.1:6379').describe('Redis: the queue, pub/sub, log sequence counters, metrics'),
  databaseUrl: z.string().url('expected a postgres:// URL').default('postgres://berth:berth@127.0.0.1:5432/berth').describe('Postgres'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  instance: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'expected lowercase letters, digits and dashes (max 31)')
    .default('main')
    .describe('Names one installation: namespaces queue keys, channels, container labels and the app network'),
  baseDomain: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'expected a lowercase domain such as localhost')
    .default('localhost')
    .describe('Apps live at `<id>.<BASE_DOMAIN>` and `<project>.<BASE_DOMAIN>`, the API at `<BASE_DOMAIN>/api/`'),
  /** The app network's name; the programs default it to `berth-<BERTH_INSTANCE>`. */
  network: setting(
    z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/).optional(),
    'Docker network of the app containers (docker mode; in swarm mode each deployment gets a network of its own)',
    'berth-<BERTH_INSTANCE>',
  ),
  caddyAdminUrl: z
    .string()
    .url()
    .refine((u) => /^(http|unix):$/.test(new URL(u).protocol), 'expected an http:// or unix:// URL')
    .default('http://127.0.0.1:2019')
    .describe("Caddy's admin API: `http://host:port`, or `unix:///path/admin.sock` for one on a unix socket"),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  milliseconds: (fallback: number) => z.coerce.number().int().min(1).default(fallback),
  /** `true`/`false` (also 1/0, yes/no). */
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};

/**
 * Which runtime runs the apps, and how many copies (Swarm tasks) one release
 * may ask for: the API refuses replicas past the bound (and more than one in
 * docker mode), the worker builds service specs within it.
 */
export const runtimeEnv = {
  BERTH_RUNTIME: env.runtime,
  SWARM_MAX_REPLICAS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('The most replicas one deployment may run (1–100); set the same on the API and the workers'),
};

/** Where git and webhook URLs may point: the API checks them up front, the worker again before it connects. */
export const privateHostsEnv = {
  GIT_ALLOW_PRIVATE_HOSTS: env.flag(false).describe('Allow git URLs whose host is local or private (a git server on this machine or network); off, against SSRF'),
  WEBHOOK_ALLOW_PRIVATE_HOSTS: env.flag(false).describe('Allow webhook URLs whose host is local or private (a receiver on your own network); off, against SSRF'),
};

/** The variables every Berth program reads. */
export const commonEnv = {
  REDIS_URL: env.redisUrl,
  DATABASE_URL: env.databaseUrl,
  LOG_LEVEL: env.logLevel,
  BERTH_INSTANCE: env.instance,
  METRICS_PUBLISH_MS: env
    .milliseconds(5000)
    .describe("How often each process publishes its metrics to Redis for the API's /metrics (they expire after three periods)"),
};

export { z };

/** A PEM file of certificates a setting names, read at start: one that cannot be read, or holds none, is a ConfigError naming the setting. */
export function readCertificateFile(variable: string, file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError([`${variable}: ${file} holds no PEM certificate`]);
  return pem;
}

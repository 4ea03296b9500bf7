import { env, parseConfig, setting, z } from '@berth/shared/config';

/** The CLI's settings (`berth …`); each one's `.describe()` is its line in docs/settings.md (`npm run docs:tables`). */
export const cliEnv = z.object({
  BERTH_URL: z.string().default('http://localhost:8080').describe('Where the CLI finds the Berth API (through Caddy, or an API directly)'),
  BERTH_TOKEN: setting(z.string().optional(), 'The API token the CLI sends', 'the content of `.berth/admin-token`, when there is one'),
  BERTH_CLI_WAIT_MS: env
    .milliseconds(30_000)
    .describe("How long the CLI waits, once a deployment it made current runs, for it to show as the project's current one"),
});

export type CliConfig = Readonly<z.infer<typeof cliEnv>>;

export function loadCliConfig(source: Record<string, string | undefined>): CliConfig {
  return parseConfig(cliEnv, source);
}

/**
 * The CLI's connection to the Berth API: where (BERTH_URL), who (BERTH_TOKEN), through the one typed
 * client (@berth/client), with the API's failures turned into the CLI's own error (`berth: <message>`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ApiClient, ApiError } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';
import type { StreamEvent } from '@berth/client/types';
import { loadCliConfig } from './config.ts';

/** The CLI's settings, read once (apps/cli/src/config.ts). */
export const cliConfig = loadCliConfig(process.env);
const baseUrl = cliConfig.BERTH_URL.replace(/\/+$/, '');
const token =
  cliConfig.BERTH_TOKEN ??
  (existsSync('.berth/admin-token') ? readFileSync('.berth/admin-token', 'utf8').trim() : undefined);

const client = new ApiClient({ baseUrl, token });
/** Where the API is and the token, for what the typed client does not carry (the terminal's WebSocket). */
export const apiTarget = { baseUrl, token };

/** A failure the user caused or the API reported: printed as `berth: <message>`, exit 1. */
export class CliError extends Error {}

/** The API's error as the CLI prints it: `<status> <code>: <message>`, or why it could not be reached. */
function toCliError(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  return new CliError(err.status === 0 ? err.message : `${err.status} ${err.code}: ${err.message}`);
}

/** One API call with the typed client, e.g. `await berth((api) => api.getDeployment(id))`; its failure is a CliError. */
export async function berth<T>(call: (api: ApiClient) => Promise<T>): Promise<T> {
  try {
    return await call(client);
  } catch (err) {
    throw toCliError(err);
  }
}

/**
 * Reads an SSE stream; calls `onEvent` per event; resolves when the server
 * ends it for good (`end`). A dropped connection resumes with Last-Event-ID.
 */
export async function streamEvents(pathname: string, onEvent: (event: StreamEvent) => void): Promise<void> {
  await readEvents(client, pathname, { onEvent }).catch((err: unknown) => {
    throw err instanceof ApiError && err.status !== 0 ? new CliError(`event stream answered ${err.status}`) : toCliError(err);
  });
}

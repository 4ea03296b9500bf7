/** Talking to the Berth API: where (BERTH_URL), who (BERTH_TOKEN), through the shared client (@berth/client). */
import { existsSync, readFileSync } from 'node:fs';
import { ApiClient, ApiError } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';
import { loadCliConfig } from './config.ts';

export { seg } from '@berth/client/api-client';

/** The CLI's settings, read once (apps/cli/src/config.ts). */
export const cliConfig = loadCliConfig(process.env);
export const baseUrl = cliConfig.BERTH_URL.replace(/\/+$/, '');
const token =
  cliConfig.BERTH_TOKEN ??
  (existsSync('.berth/admin-token') ? readFileSync('.berth/admin-token', 'utf8').trim() : undefined);

const client = new ApiClient({ baseUrl, token });

/** A failure the user caused or the API reported: printed as `berth: <message>`, exit 1. */
export class CliError extends Error {}

/** The API's error as the CLI prints it: `<status> <code>: <message>`, or why it could not be reached. */
function toCliError(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  return new CliError(err.status === 0 ? err.message : `${err.status} ${err.code}: ${err.message}`);
}

export async function api(method: string, pathname: string, body?: RequestInit['body'], headers: Record<string, string> = {}): Promise<any> {
  return client.request(method, pathname, body ?? undefined, { headers }).catch((err: unknown) => {
    throw toCliError(err);
  });
}

/** A JSON request body. */
export function apiJson(method: string, pathname: string, body: unknown): Promise<any> {
  return api(method, pathname, JSON.stringify(body ?? {}), { 'content-type': 'application/json' });
}

/**
 * Reads an SSE stream; calls `onEvent` per event; resolves when the server
 * ends it for good (`end`). A dropped connection resumes with Last-Event-ID.
 */
export async function streamEvents(pathname: string, onEvent: (event: string, data: any) => void): Promise<void> {
  await readEvents(client, pathname, {
    onEvent: (e) => onEvent(e.event === 'other' ? e.name : e.event, e.data),
  }).catch((err: unknown) => {
    throw err instanceof ApiError && err.status !== 0 ? new CliError(`event stream answered ${err.status}`) : toCliError(err);
  });
}

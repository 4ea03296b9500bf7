/** Talking to the Berth API: where (BERTH_URL), who (BERTH_TOKEN), JSON calls and event streams. */
import { existsSync, readFileSync } from 'node:fs';

export const baseUrl = (process.env.BERTH_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
const token =
  process.env.BERTH_TOKEN ??
  (existsSync('.berth/admin-token') ? readFileSync('.berth/admin-token', 'utf8').trim() : undefined);

/** A failure the user caused or the API reported: printed as `berth: <message>`, exit 1. */
export class CliError extends Error {}

function authHeader(): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function api(method: string, pathname: string, body?: RequestInit['body'], headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${baseUrl}${pathname}`, {
    method,
    body,
    headers: { ...authHeader(), ...headers },
  }).catch((err: unknown) => {
    throw new CliError(`cannot reach Berth at ${baseUrl}: ${err instanceof Error ? err.message : String(err)}`);
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) throw new CliError(`${res.status} ${json?.error?.code ?? ''}: ${json?.error?.message ?? text}`);
  return json;
}

/** A JSON request body. */
export function apiJson(method: string, pathname: string, body: unknown): Promise<any> {
  return api(method, pathname, JSON.stringify(body ?? {}), { 'content-type': 'application/json' });
}

/** Reads an SSE stream; calls `onEvent` per event; resolves when the server ends it. */
export async function streamEvents(pathname: string, onEvent: (event: string, data: any) => void): Promise<void> {
  const res = await fetch(`${baseUrl}${pathname}`, {
    headers: { accept: 'text/event-stream', ...authHeader() },
  }).catch((err: unknown) => {
    throw new CliError(`cannot reach Berth at ${baseUrl}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (!res.ok || !res.body) throw new CliError(`event stream answered ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let sep: number;
    while ((sep = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, sep);
      buffer = buffer.slice(sep + 2);
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) onEvent(event, JSON.parse(data));
    }
  }
}

/** A path segment (a project name, a hostname) as the URL carries it. */
export const seg = (s: string) => encodeURIComponent(s);

import http from 'node:http';
import { onceMoreIfCut } from '@berth/shared/connection-cut';
import { runtimeWait } from './runtime-wait.ts';

/** Tests talk to the API with the stacks' admin token unless they set their own authorization. */
const defaultAuth = { authorization: 'Bearer berth_test_admin_token_0123456789' };
const withAuth = (url: string, headers: Record<string, string> = {}) =>
  url.includes('/api/') && !('authorization' in headers) ? { ...defaultAuth, ...headers } : headers;

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type RequestOptions = { host?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer };

/**
 * A plain request with an explicit Host header (to reach `<id>.localhost` through Caddy).
 * A GET whose fresh connection is reset before any answer is sent once more, as browsers,
 * curl and Go do for idempotent requests (RFC 9110 §9.2.2): a Caddy config reload
 * (a route or project URL appearing) can reset a connection it accepted just then.
 */
export async function request(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const idempotent = (options.method ?? 'GET') === 'GET' || options.method === 'HEAD';
  if (!idempotent) return requestOnce(url, options);
  return onceMoreIfCut(() => requestOnce(url, options), {
    secondCut: (again) => new Error(`${options.method ?? 'GET'} ${url} (host ${options.host ?? '-'}) was reset twice: ${String(again)}`, { cause: again }),
  });
}

function requestOnce(url: string, options: RequestOptions): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { ...(options.host ? { host: options.host } : {}), ...withAuth(url, options.headers) },
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface SseEvent {
  event: string;
  id?: string;
  data: any;
}

/** A live SSE connection that records every event it receives. */
export class SseClient {
  readonly events: SseEvent[] = [];
  rawBytes = 0;
  comments = 0;
  ended = false;
  response: http.IncomingMessage | undefined;
  private req: http.ClientRequest | undefined;
  private waiters: (() => void)[] = [];
  contentEncoding: string | undefined;

  static open(
    url: string,
    options: { host?: string; headers?: Record<string, string> } = {},
  ): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.req = http.get(
        url,
        {
          headers: {
            accept: 'text/event-stream',
            ...(options.host ? { host: options.host } : {}),
            ...withAuth(url, options.headers),
          },
          agent: false,
        },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`SSE ${url} answered ${res.statusCode}`));
            res.resume();
            return;
          }
          client.contentEncoding = res.headers['content-encoding'];
          client.response = res;
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            client.rawBytes += chunk.length;
            buffer += chunk;
            let sep: number;
            while ((sep = buffer.indexOf('\n\n')) !== -1) {
              client.parse(buffer.slice(0, sep));
              buffer = buffer.slice(sep + 2);
            }
          });
          res.on('end', () => {
            client.ended = true;
            client.notify();
          });
          res.on('error', () => {
            client.ended = true;
            client.notify();
          });
          resolve(client);
        },
      );
      client.req.on('error', reject);
    });
  }

  private parse(frame: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments++;
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    this.events.push({ event, ...(id !== undefined ? { id } : {}), data: parsed });
    this.notify();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves with the first recorded event matching, waiting for it if needed. */
  async waitFor(predicate: (e: SseEvent) => boolean, timeoutMs = runtimeWait(30_000)): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended without the awaited event; got ${this.summary()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for an SSE event; got ${this.summary()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitForEnd(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error(`stream did not end; got ${this.summary()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  logs(): { seq: number; stream: string; line: string }[] {
    return this.events.filter((e) => e.event === 'log').map((e) => e.data);
  }

  statuses(): string[] {
    return this.events.filter((e) => e.event === 'status').map((e) => e.data.status);
  }

  close(): void {
    this.req?.destroy();
  }

  private summary(): string {
    return this.events
      .slice(-5)
      .map((e) => `${e.event}:${JSON.stringify(e.data).slice(0, 120)}`)
      .join(' | ');
  }
}

/** Encodes a multipart/form-data body (for inject() and for requests with a Host header). */
export async function multipartBody(
  fields: Record<string, string>,
  file?: { field?: string; name: string; data: Buffer },
): Promise<{ headers: Record<string, string>; payload: Buffer }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append(file.field ?? 'projectArchive', new Blob([file.data]), file.name);
  const encoded = new Request('http://x/', { method: 'POST', body: form });
  return {
    headers: { 'content-type': encoded.headers.get('content-type')! },
    payload: Buffer.from(await encoded.arrayBuffer()),
  };
}

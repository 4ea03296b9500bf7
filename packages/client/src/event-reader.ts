/**
 * Server-Sent Events over fetch, so the token travels in a header (EventSource
 * can only put it in the URL). After a drop it reconnects with Last-Event-ID:
 * the API replays what came after that id, so no line is lost or doubled.
 */
import { ApiError, isAbort, type ApiClient } from './api-client.ts';
import type { StreamEvent } from './types.ts';

export interface EventReaderOptions {
  /** Called once per event, in order. */
  onEvent: (event: StreamEvent) => void;
  /** The stream is (re)connecting (true) or reading (false). */
  onConnection?: (connected: boolean) => void;
  /** The id of the last event already handled (a resumed view). */
  lastEventId?: string;
  /** Wait before reconnecting (ms). */
  retryMs?: number;
  /**
   * A 429 (this token has too many open streams) is waited out instead of
   * rejected: retried with backoff (retryMs doubling up to maxBusyWaitMs),
   * onBusy(true) while waiting, onBusy(false) once a stream is open. Off by
   * default: the CLI treats every 4xx as final.
   */
  retryWhenBusy?: boolean;
  onBusy?: (busy: boolean) => void;
  /** The longest wait between tries while busy (ms). */
  maxBusyWaitMs?: number;
  /**
   * Ends a connection once it has brought this many bytes and reconnects at
   * once from the last event id (the API's resume), so that no single
   * response grows without bound: a browser's work when a response of many
   * megabytes ends (a long log's replay) is one long task. Off by default.
   */
  segmentBytes?: number;
  signal?: AbortSignal;
}

/** How long frames are handled before a turn is given back to the host (keeps a browser's tasks short). */
const sliceMs = 8;
const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Events after which the server ends the stream for good: do not reconnect. */
const terminal = new Set(['end', 'unauthorized']);

/**
 * Reads `path` until the server sends a terminal event, the signal aborts, or
 * the API refuses the stream (4xx: rejects with its ApiError; a 429 too unless retryWhenBusy).
 * Network drops and server restarts are retried.
 */
export async function readEvents(client: ApiClient, path: string, options: EventReaderOptions): Promise<void> {
  let lastId = options.lastEventId;
  const retryMs = options.retryMs ?? 1000;
  let busyTries = 0;
  const opened = () => {
    if (busyTries > 0) options.onBusy?.(false);
    busyTries = 0;
  };
  for (;;) {
    if (options.signal?.aborted) return;
    let wait = retryMs;
    try {
      const done = await readOnce(client, path, lastId, { ...options, onConnection: (c) => (c && opened(), options.onConnection?.(c)) }, (id) => (lastId = id));
      if (done === 'segment') continue; // not a drop: straight on, no wait, no "reconnecting"
      if (done) return;
    } catch (err) {
      if (isAbort(err) || options.signal?.aborted) return;
      const busy = err instanceof ApiError && err.status === 429 && options.retryWhenBusy;
      if (!busy && err instanceof ApiError && err.status >= 400 && err.status < 500) throw err;
      if (busy) {
        if (busyTries === 0) options.onBusy?.(true);
        wait = Math.min(retryMs * 2 ** busyTries, options.maxBusyWaitMs ?? 30_000);
        busyTries += 1;
      }
    }
    options.onConnection?.(false);
    await sleep(wait, options.signal);
  }
}

async function readOnce(
  client: ApiClient,
  path: string,
  lastId: string | undefined,
  options: EventReaderOptions,
  setLastId: (id: string) => void,
): Promise<boolean | 'segment'> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (lastId !== undefined) headers['last-event-id'] = lastId;
  const res = await client.send(path, { headers, signal: options.signal, cache: 'no-store' });
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => '');
    let body: { error?: { code?: string; message?: string } } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? `event stream answered ${res.status}`);
  }
  options.onConnection?.(true);
  const parser = new FrameParser();
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  let received = 0;
  let resumable = lastId !== undefined;
  // The slice spans reads: chunks already buffered come back from read() as microtasks of the same task,
  // so a clock started per chunk let a replay's chunks run on for 50-100 ms in one task (seen in Chromium).
  let since = Date.now();
  try {
    for (;;) {
      if (options.segmentBytes && received >= options.segmentBytes && resumable) return 'segment';
      const asked = Date.now();
      const { value, done } = await reader.read();
      if (done) return false;
      if (Date.now() - asked > sliceMs) since = Date.now(); // it waited for the network: a new task began
      received += value.byteLength;
      parser.append(decoder.decode(value, { stream: true }));
      for (let frame = parser.next(); frame; frame = parser.next()) {
        // A replay arrives in large chunks: give the page (or the event loop) a turn every few milliseconds.
        if (Date.now() - since > sliceMs) {
          await yieldTurn();
          since = Date.now();
        }
        const event = toEvent(frame);
        if (!event) continue;
        if (event.id !== undefined) {
          setLastId(event.id);
          resumable = true;
        }
        options.onEvent(event);
        if (terminal.has(frame.event)) return true;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

interface Frame {
  event: string;
  id: string | undefined;
  data: string;
}

/** Splits text into SSE frames (blank-line separated); comments (heartbeats) are skipped. */
export class FrameParser {
  private buffer = '';
  /** Where the next frame starts: a cursor, since slicing the rest off after each frame would copy a replay's megabytes per frame. */
  private at = 0;

  append(text: string): void {
    this.buffer = this.buffer.slice(this.at) + (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
    this.at = 0;
  }

  /** The next whole frame, if one has arrived. */
  next(): Frame | undefined {
    for (;;) {
      const sep = this.buffer.indexOf('\n\n', this.at);
      if (sep === -1) return undefined;
      const frame = parseFrame(this.buffer.slice(this.at, sep));
      this.at = sep + 2;
      if (frame.data || frame.id !== undefined) return frame;
    }
  }

  /** Appends and returns every whole frame. */
  push(text: string): Frame[] {
    this.append(text);
    const frames: Frame[] = [];
    for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
    return frames;
  }
}

function parseFrame(raw: string): Frame {
  const frame: Frame = { event: 'message', id: undefined, data: '' };
  for (const line of raw.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue;
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') frame.event = value;
    else if (field === 'id') frame.id = value;
    else if (field === 'data') frame.data += frame.data ? `\n${value}` : value;
  }
  return frame;
}

function toEvent(frame: Frame): StreamEvent | undefined {
  let data: unknown;
  try {
    data = frame.data ? JSON.parse(frame.data) : undefined;
  } catch {
    return undefined;
  }
  switch (frame.event) {
    case 'log':
    case 'status':
    case 'end':
      return { event: frame.event, id: frame.id, data } as StreamEvent;
    default:
      return { event: 'other', name: frame.event, id: frame.id, data };
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

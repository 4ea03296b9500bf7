import type Docker from 'dockerode';
import { NewlineSplitter } from '@berth/shared/newline-splitter';
import { labels } from '@berth/shared/labels';
import type { ContainerEvent, ContainerEventAction } from './container-runtime.ts';

const actions: readonly ContainerEventAction[] = ['start', 'die', 'restart', 'oom', 'destroy', 'stop'];

/** Pause before reconnecting after the stream broke (or could not be opened). */
export const reconnectDelayMs = 1000;

interface RawEvent {
  Action?: unknown;
  time?: unknown;
  timeNano?: unknown;
  Actor?: { Attributes?: Record<string, unknown> };
}

/** One line of Docker's event stream as a ContainerEvent, or undefined when it is not one of ours. */
export function parseDockerEvent(line: string): ContainerEvent | undefined {
  let raw: RawEvent | null;
  try {
    raw = JSON.parse(line) as RawEvent | null;
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const action = actions.find((a) => a === raw.Action);
  const deploymentId = raw.Actor?.Attributes?.[labels.deployment];
  if (!action || typeof deploymentId !== 'string' || deploymentId === '') return undefined;
  const time =
    typeof raw.timeNano === 'number' ? Math.floor(raw.timeNano / 1e6) : typeof raw.time === 'number' ? raw.time * 1000 : Date.now();
  return { deploymentId, action, time };
}

/**
 * Follows Docker's container events for one installation until `signal`
 * aborts. A broken stream is reopened with `since` at the last event's second,
 * so Docker replays what happened during the break (events of that second
 * may come twice; the consumers re-check state, so a repeat is harmless).
 */
export async function watchDockerEvents(
  docker: Docker,
  instance: string,
  signal: AbortSignal,
  onEvent: (event: ContainerEvent) => void,
): Promise<void> {
  let since = Math.floor(Date.now() / 1000);
  while (!signal.aborted) {
    try {
      const stream = (await docker.getEvents({
        since,
        filters: { type: ['container'], event: [...actions], label: [`${labels.instance}=${instance}`] },
        abortSignal: signal,
      } as Docker.GetEventsOptions)) as NodeJS.ReadableStream;
      // Docker's events are small JSON lines; one past 1 MiB is not one of them.
      const lines = new NewlineSplitter({ maxPending: 1024 * 1024, overflow: 'drop' });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const line of lines.push(chunk.toString('utf8'))) {
          const event = parseDockerEvent(line);
          if (!event) continue;
          since = Math.max(since, Math.floor(event.time / 1000));
          onEvent(event);
        }
      }
    } catch {
      // the stream broke or the daemon is away: reconnect below
    }
    if (!signal.aborted) await abortableSleep(reconnectDelayMs, signal);
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

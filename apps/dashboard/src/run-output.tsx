import { useEffect, useRef, useState } from 'preact/hooks';
import { useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';
import type { LogLine, Run } from '@berth/client/types';
import { plainText } from './ansi.ts';
import { busyRetry } from './live.ts';
import { keys } from './queries.ts';
import { runEventsPath } from './resources-api.ts';
import { BusyNote, ErrorBox, RunBadge } from './status-badge.tsx';

interface RunEnd {
  status: Run['status'];
  exitCode: number | null;
  errorCode: string | null;
}

/** One run's output as it comes (its event stream: stored lines, then live ones, each once), its status and its exit. */
export function RunOutput({ client, project, run }: { client: ApiClient; project: string; run: Run }) {
  const queries = useQueryClient();
  const lines = useRef<LogLine[]>([]);
  const [, setVersion] = useState(0);
  const [status, setStatus] = useState<Run['status']>(run.status);
  const [end, setEnd] = useState<RunEnd>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const abort = new AbortController();
    readEvents(client, runEventsPath(project, run.id), {
      ...busyRetry,
      onBusy: setBusy,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.event === 'log') {
          if ((lines.current.at(-1)?.seq ?? 0) >= event.data.seq) return;
          lines.current.push(event.data);
          setVersion((v) => v + 1);
        } else if (event.event === 'status') {
          setStatus((event.data as unknown as Run).status);
        } else if (event.event === 'end') {
          const data = event.data as unknown as RunEnd;
          setStatus(data.status);
          setEnd(data);
          void queries.invalidateQueries({ queryKey: keys.runs(project) });
        }
      },
    }).catch(setError);
    return () => abort.abort();
  }, [run.id]);

  return (
    <section class="run-output" aria-label={`Run ${run.id}`}>
      <div class="row">
        <code>{run.command}</code>
        <span class="badges">
          <RunBadge status={status} />
          {end && <span class="small" aria-label="Exit">{end.exitCode === null ? (end.errorCode ?? 'no exit code') : `exit code ${end.exitCode}`}</span>}
        </span>
      </div>
      <BusyNote busy={busy} />
      <ErrorBox error={error} />
      <ol class="plain found-lines run-lines" aria-label="Run output">
        {lines.current.map((l) => (
          <li key={l.seq} class={`found-line ${l.stream}`}><code>{plainText(l.line)}</code></li>
        ))}
        {lines.current.length === 0 && <li class="found-line"><span class="dim small">{end ? 'No output.' : 'Waiting for output…'}</span></li>}
      </ol>
    </section>
  );
}

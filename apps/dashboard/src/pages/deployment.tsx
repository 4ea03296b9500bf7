import { useEffect, useRef, useState } from 'preact/hooks';
import { useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';
import type { Deployment, DeploymentStatus, LogLine } from '@berth/client/types';
import { DeploymentMetrics } from '../deployment-metrics.tsx';
import { RequestMetrics } from '../request-metrics.tsx';
import { LogView } from '../log-view.tsx';
import { ReplicasControl } from '../replicas-control.tsx';
import { BusyNote, ErrorBox, StatusBadge } from '../status-badge.tsx';
import { applyStatus, busyRetry } from '../live.ts';
import { keys, useDeployment, useProject } from '../queries.ts';
import { allows, NotAllowed } from '../not-allowed.tsx';
import type { Session } from '../session.ts';
import { TerminalPanel } from '../terminal-panel.tsx';

interface Step {
  status: DeploymentStatus;
  at: string;
}

/**
 * This deployment's own stream (status, then logs: build, then runtime): lines kept outside state and
 * rendered at most once per animation frame; statuses patched into the query cache, then refetched.
 */
function useDeploymentStream(client: ApiClient, id: string) {
  const queries = useQueryClient();
  const [steps, setSteps] = useState<Step[]>([]);
  const [connected, setConnected] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const lines = useRef<LogLine[]>([]);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    let frame = 0;
    let later: ReturnType<typeof setTimeout> | undefined;
    const reload = () => void queries.invalidateQueries({ queryKey: keys.deployment(id) });
    const schedule = () => (frame ||= requestAnimationFrame(() => ((frame = 0), setVersion((v) => v + 1))));
    readEvents(client, `/api/deployments/${id}/events?follow=runtime`, {
      ...busyRetry,
      // A long log's replay comes in responses of at most this size (event-reader.ts: segmentBytes).
      segmentBytes: 2 * 1024 * 1024,
      onBusy: setBusy,
      signal: abort.signal,
      onConnection: setConnected,
      onEvent: (event) => {
        switch (event.event) {
          case 'log': {
            const last = lines.current.at(-1);
            if (last && event.data.seq <= last.seq) return;
            lines.current.push(event.data);
            schedule();
            return;
          }
          case 'status':
            // The stream says the current status after its history, and again when it resumes (after a drop, or
            // for the next segment of a replay): a transition never repeats the status before it.
            setSteps((s) => (s.at(-1)?.status === event.data.status ? s : [...s, { status: event.data.status, at: event.data.at }]));
            applyStatus(queries, event.data);
            // The rest (current, queue position, finish time) comes with the deployment itself; a release that
            // just started running takes the project URL a moment later: look again then.
            reload();
            if (event.data.status === 'running') later = setTimeout(reload, 1500);
            return;
          case 'end':
            reload();
            return;
          case 'other':
            return;
        }
      },
    }).catch(setError);
    return () => {
      abort.abort();
      cancelAnimationFrame(frame);
      clearTimeout(later);
    };
  }, [id]);
  return { steps, connected, busy, error, lines: lines.current, version };
}

/**
 * Status timeline, live log, errors, and the actions the status allows. Whether this deployment serves the
 * project URL changes without a status event of its own (a promotion or rollback elsewhere): the global
 * stream (live.ts) refetches it on every status change anywhere, and the query refetches on focus.
 */
export function DeploymentPage({ client, id, session }: { client: ApiClient; id: string; session: Session }) {
  const queries = useQueryClient();
  const { data: deployment, error: loadError } = useDeployment(client, id);
  // What the caller may do here is its role in the deployment's project (the API's answer).
  const access = useProject(client, deployment?.project ?? '', deployment !== undefined).data?.access;
  const may = (action: Parameters<typeof allows>[1]) => allows(access, action);
  const stream = useDeploymentStream(client, id);
  const { steps, connected, busy, lines, version } = stream;
  const [actionError, setError] = useState<unknown>();
  const error = actionError ?? stream.error ?? loadError;

  const act = (action: () => Promise<Deployment>) => () =>
    action().then((d) => (queries.setQueryData(keys.deployment(id), d), setError(undefined)), setError);

  return (
    <section>
      <p><a href="#/">← Deployments</a></p>
      <div class="heading">
        <h1>{deployment ? `${deployment.project} · ${id}` : id}</h1>
        {deployment && <StatusBadge status={deployment.status} label />}
      </div>
      <ErrorBox error={error} />
      {deployment && <Summary d={deployment} />}
      {access && !may('deployment.stop') && <NotAllowed access={access} doing="canceling, stopping, promoting, redeploying, scaling it or opening a terminal" needs="deployer" />}
      {deployment && (
        <div class="actions">
          {may('deployment.cancel') && ['queued', 'fetching', 'building', 'starting'].includes(deployment.status) && (
            <button type="button" class="danger" onClick={act(() => client.cancelDeployment(id))}>Cancel</button>
          )}
          {may('deployment.stop') && deployment.status === 'running' && <button type="button" class="danger" onClick={act(() => client.stopDeployment(id))}>Stop</button>}
          {may('deployment.promote') && deployment.status === 'running' && !deployment.current && <button type="button" onClick={act(() => client.promote(id))}>Promote</button>}
          {may('deployment.redeploy') && !['queued', 'fetching', 'building'].includes(deployment.status) && (
            <button type="button" onClick={() => client.redeploy(id).then((d) => (location.hash = `#/deployments/${d.id}`), setError)}>
              Redeploy
            </button>
          )}
        </div>
      )}
      {deployment && may('deployment.scale') && (deployment.status === 'running' || deployment.status === 'crashed') && (
        <ReplicasControl
          value={deployment.replicas}
          what={id}
          onScale={(n) => client.scaleDeployment(id, n).then((d) => queries.setQueryData(keys.deployment(id), d))}
        />
      )}
      {deployment && (<>{may('deployment.exec') && deployment.status === 'running' && <TerminalPanel id={id} session={session} />}<Usage client={client} d={deployment} /></>)}
      <h2>Timeline</h2>
      <ol class="timeline" aria-label="Status timeline">
        {steps.map((s) => (
          <li key={s.at + s.status}>
            <StatusBadge status={s.status} /> <time dateTime={s.at}>{new Date(s.at).toLocaleTimeString()}</time>
          </li>
        ))}
      </ol>
      <h2>Logs {!connected && !busy && <span class="muted small" role="status">reconnecting…</span>}</h2>
      <BusyNote busy={busy} />
      <LogView lines={lines} version={version} fileName={`${id}.log`} />
    </section>
  );
}

/** What it uses (Resources) and what it serves (Requests). */
function Usage({ client, d }: { client: ApiClient; d: Deployment }) {
  return (
    <>
      <DeploymentMetrics client={client} id={d.id} status={d.status} />
      <RequestMetrics client={client} scope={{ deployment: d.id }} live={d.status === 'running'} />
    </>
  );
}

function Summary({ d }: { d: Deployment }) {
  const source =
    d.source.type === 'git'
      ? `${d.source.gitUrl ?? ''}${d.source.ref ? `@${d.source.ref}` : ''}`
      : d.source.type === 'image'
        ? `image ${d.source.image}${d.source.digest ? ` (${d.source.digest})` : ''}`
        : `archive (${d.source.format ?? '?'})`;
  return (
    <dl class="summary">
      <dt>URL</dt>
      <dd>{d.status === 'running' ? <a href={d.url} target="_blank" rel="noopener noreferrer">{d.url}</a> : d.url}</dd>
      <dt>Project URL</dt>
      <dd>{d.projectUrl}{d.current ? ' (serves this deployment)' : ''}</dd>
      <dt>Source</dt>
      <dd>{source}{'rootDir' in d.source && d.source.rootDir && d.source.rootDir !== '.' ? `, ${d.source.rootDir}` : ''}</dd>
      <dt>Port</dt>
      <dd>{d.port}</dd>
      <dt>Replicas</dt>
      <dd>{d.replicas}</dd>
      {d.envKeys.length > 0 && (<><dt>Env</dt><dd>{d.envKeys.join(', ')}</dd></>)}
      {d.status === 'queued' && d.queuePosition !== null && (<><dt>Queue position</dt><dd>{d.queuePosition}</dd></>)}
      {d.errorCode && (<><dt>Error</dt><dd class="error" role="alert">{d.errorCode}: {d.errorMessage}</dd></>)}
    </dl>
  );
}

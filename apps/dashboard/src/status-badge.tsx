import type { DeploymentStatus } from '@berth/client/types';

/** `label`: the badge that says the deployment's current status (tests and screen readers find it by "Status: <status>"). */
export function StatusBadge({ status, label }: { status: DeploymentStatus; label?: boolean }) {
  return (
    <span class={`badge s-${status}`} aria-label={label ? `Status: ${status}` : undefined}>
      {status}
    </span>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as { code?: string; message?: string };
  return <p role="alert" class="error">{e.code ? `${e.code}: ${e.message}` : String(error)}</p>;
}

/** Shown while the API has no free event stream for this token (429): the page keeps trying. */
export function BusyNote({ busy }: { busy: boolean }) {
  if (!busy) return null;
  return <p role="status" class="muted small">Live updates paused: waiting for a free stream slot…</p>;
}

/** A run's status (queued, running, succeeded, failed, canceled, skipped); found by "Run status: <status>". */
export function RunBadge({ status }: { status: string }) {
  return (
    <span class={`badge s-${status}`} aria-label={`Run status: ${status}`}>
      {status}
    </span>
  );
}

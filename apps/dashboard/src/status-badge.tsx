import type { DeploymentStatus } from '@berth/client/types';

export function StatusBadge({ status }: { status: DeploymentStatus }) {
  return <span class={`badge s-${status}`}>{status}</span>;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as { code?: string; message?: string };
  return <p role="alert" class="error">{e.code ? `${e.code}: ${e.message}` : String(error)}</p>;
}

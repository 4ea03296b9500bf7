import type { DeploymentRow, ProjectRow } from '@berth/shared/db';
import { isLive } from '@berth/shared/deployment-state';
import { processCount, webProcess, workerTypes } from '@berth/shared/process-types';

// A release's process types as the API shows them (berth.json `processes`, a Procfile): in a
// deployment what it declares, in its project how many of each run and whether they do.

const typeProperties = {
  type: { type: 'string', description: 'web (the container the URL routes to) or a process type besides web' },
  command: { type: ['string', 'null'], description: "run with sh -c in the release's image; null: the image's own command (web only)" },
} as const;

export const releaseProcessSchema = {
  type: 'object',
  properties: typeProperties,
  required: ['type', 'command'],
  additionalProperties: false,
} as const;

export const projectProcessSchema = {
  type: 'object',
  properties: {
    ...typeProperties,
    count: { type: 'integer', description: 'containers it runs: web its replicas, another type the project\'s count (PATCH { processes: { worker: 2 } }), 1 unless set' },
    state: {
      type: 'string',
      enum: ['running', 'stopped'],
      description: 'running: the current release is live, and Docker keeps its containers up (restarting one that exits); stopped: it is not (or the count is 0)',
    },
  },
  required: ['type', 'command', 'count', 'state'],
  additionalProperties: false,
} as const;

/** The release's process types, web first (its command null when the image's own runs). */
export function releaseProcesses(row: DeploymentRow): { type: string; command: string | null }[] {
  return [{ type: webProcess, command: row.processes?.web ?? null }, ...workerTypes(row.processes).map((type) => ({ type, command: row.processes![type]! }))];
}

/** The project's current release's processes, with how many of each run and whether they do. */
export function projectProcesses(project: ProjectRow, current: DeploymentRow | undefined) {
  if (!current) return [];
  const live = isLive(current.status);
  return releaseProcesses(current).map((p) => {
    const count = p.type === webProcess ? current.replicas : processCount(project.process_counts, p.type);
    return { ...p, count, state: live && count > 0 ? ('running' as const) : ('stopped' as const) };
  });
}

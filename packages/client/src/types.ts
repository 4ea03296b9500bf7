/**
 * The API's shapes as clients see them. Typed by hand from the route schemas
 * (apps/api/src/deployment-view.ts, project-view.ts) until the generated
 * OpenAPI types land in ./generated/.
 */
export const deploymentStatuses = [
  'queued',
  'fetching',
  'building',
  'starting',
  'running',
  'stopped',
  'crashed',
  'failed',
  'canceled',
] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

export type DeploymentSource =
  | { type: 'git'; gitUrl: string | null; ref: string | null; rootDir: string }
  | { type: 'archive'; format: 'zip' | 'tar.gz' | null; rootDir: string };

export interface Deployment {
  id: string;
  project: string;
  status: DeploymentStatus;
  errorCode: string | null;
  errorMessage: string | null;
  source: DeploymentSource;
  port: number;
  envKeys: string[];
  url: string;
  projectUrl: string;
  commitSha: string | null;
  promote: boolean;
  current: boolean;
  healthPath: string;
  releaseOf: string | null;
  retiredAt: string | null;
  queuePosition: number | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  links: { self: string; logs: string; events: string };
}

export interface DeploymentPage {
  items: Deployment[];
  nextCursor: string | null;
}

export interface LogLine {
  seq: number;
  ts: string;
  stream: 'build' | 'runtime' | 'system';
  line: string;
}

/** What an event stream carries, by SSE event name. */
export type StreamEvent =
  | { event: 'log'; id: string | undefined; data: LogLine & { deploymentId: string } }
  | {
      event: 'status';
      id: string | undefined;
      data: { deploymentId: string; status: DeploymentStatus; errorCode: string | null; errorMessage: string | null; at: string };
    }
  | { event: 'end'; id: string | undefined; data: { deploymentId: string; status: DeploymentStatus; lastSeq: number } }
  | { event: 'other'; name: string; id: string | undefined; data: unknown };

/** The body of POST /api/deployments from a git repository. */
export interface GitDeploymentRequest {
  gitUrl: string;
  ref?: string;
  rootDir?: string;
  name?: string;
  port?: number;
  env?: Record<string, string>;
}

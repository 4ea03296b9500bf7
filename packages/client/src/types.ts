/**
 * The API's shapes as clients see them, taken from the types generated from
 * the OpenAPI document (./generated/api.ts, `npm run openapi`): a route schema
 * that changes shows up here as a type error in the CLI or the dashboard.
 * Event streams are not JSON operations; their frames are typed by hand below.
 */
import { deploymentStatuses } from '@berth/shared/deployment-state';
import type { operations } from './generated/api.ts';

type Json<Op extends keyof operations, Status extends number> = operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer T } }>
  ? T
  : never;

export type Deployment = Json<'getDeployment', 200>;
export type DeploymentPage = Json<'listDeployments', 200>;
export type DeploymentStatus = Deployment['status'];
export type DeploymentSource = Deployment['source'];
export type ListQuery = NonNullable<operations['listDeployments']['parameters']['query']>;
export type Project = Json<'getProject', 200>;
/** A one-off run or a job's run (POST /api/projects/:name/runs). */
export type Run = Json<'getRun', 200>;
export type ProjectPage = Json<'listProjects', 200>;
export type EnvKeys = Json<'getProjectEnv', 200>;
export type Domain = Json<'addDomain', 201>;
/** A project's managed Postgres or Redis (issue 29). */
export type Service = Json<'addService', 201>;
export type ServiceBackup = Json<'backUpService', 202>;
export type AddServiceRequest = operations['addService']['requestBody']['content']['application/json'];
/** What DELETE /api/projects/:name answers: the project and the deployments it stopped. */
export type ProjectRemoval = Json<'deleteProject', 200>;
/** One page of a deployment's stored log (GET /api/deployments/:id/logs). */
export type LogPage = Json<'getDeploymentLogs', 200>;
export type LogQuery = NonNullable<operations['getDeploymentLogs']['parameters']['query']>;
/** One page of a project's log search (GET /api/projects/:name/logs), newest first. */
export type LogSearchPage = Json<'searchProjectLogs', 200>;
export type LogSearchQuery = operations['searchProjectLogs']['parameters']['query'];
/** The body of POST /api/projects. */
export type CreateProjectRequest = operations['createProject']['requestBody']['content']['application/json'];
/** The JSON body of POST /api/projects/:name/deployments (a git release; an archive goes as FormData). */
export type DeployProjectRequest = operations['deployProject']['requestBody']['content']['application/json'];
/** The body of POST /api/deployments from a git repository. */
export type GitDeploymentRequest = operations['createDeployment']['requestBody']['content']['application/json'];
/** What the caller may do in one project (GET /api/projects/:name): its role there and the project actions allowed. */
export type ProjectAccess = NonNullable<Project['access']>;

/** People: signing in, who the caller is, project members, personal tokens, the audit log. */
export type SignInRequest = operations['signIn']['requestBody']['content']['application/json'];
export type SignedIn = Json<'signIn', 200>;
export type WhoAmI = Json<'whoAmI', 200>;
export type UserView = SignedIn['user'];
export type Member = Json<'addMember', 201>;
export type MemberRole = Member['role'];
export type TokenInfo = Json<'revokeToken', 200>;
export type CreatedToken = Json<'createToken', 201>;
export type CreateTokenRequest = operations['createToken']['requestBody']['content']['application/json'];
export type AuditPage = Json<'listAudit', 200>;
export type AuditEntry = AuditPage['items'][number];
export type AuditQuery = NonNullable<operations['listAudit']['parameters']['query']>;

/** Every status, in lifecycle order (the domain's list, checked both ways against the document's union). */
export { deploymentStatuses };
type Listed = (typeof deploymentStatuses)[number];
const sameStatuses: [Exclude<DeploymentStatus, Listed>, Exclude<Listed, DeploymentStatus>] extends [never, never] ? true : false = true;
void sameStatuses;

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
export type LogDrain = Json<'createLogDrain', 201>;

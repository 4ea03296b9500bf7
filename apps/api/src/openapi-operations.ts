import { deploymentBody, eventStreamResponse, gitHookBody, projectDeployBody } from './openapi-bodies.ts';

/** What the contract says about each route: its stable name for generated clients and a one-line summary. */
export interface OperationDoc {
  operationId: string;
  summary: string;
  /** The body, for routes that read it themselves (no Fastify body schema). */
  body?: Record<string, unknown>;
  /** Answers the route writes by hand (no Fastify response schema). */
  responses?: Record<string, unknown>;
}

/**
 * Every documented route, keyed `METHOD url` as Fastify registers it. A route
 * missing here fails the app's start (openapi.ts), so a new route gets a name
 * before it ships; the contract test checks each one against real answers.
 */
export const operations: Record<string, OperationDoc> = {
  'GET /healthz': { operationId: 'getHealth', summary: 'Liveness: the process answers' },
  'GET /readyz': { operationId: 'getReadiness', summary: 'Readiness: the database answers' },
  'GET /api/openapi.json': { operationId: 'getOpenApi', summary: 'This document' },
  'GET /metrics': { operationId: 'getMetrics', summary: 'Prometheus metrics of every Berth process' },
  'POST /api/deployments': { operationId: 'createDeployment', summary: 'Deploy from a git URL (JSON) or an uploaded archive (multipart)', body: deploymentBody },
  'GET /api/deployments': { operationId: 'listDeployments', summary: 'List deployments, newest first' },
  'GET /api/deployments/{id}': { operationId: 'getDeployment', summary: 'One deployment' },
  'POST /api/deployments/{id}/cancel': { operationId: 'cancelDeployment', summary: 'Cancel a deployment that is not live yet' },
  'PATCH /api/deployments/{id}': { operationId: 'scaleDeployment', summary: 'Scale a running deployment (replicas)' },
  'DELETE /api/deployments/{id}': { operationId: 'stopDeployment', summary: 'Stop a deployment and remove its container' },
  'POST /api/deployments/{id}/redeploy': { operationId: 'redeployDeployment', summary: 'Deploy the same source again' },
  'POST /api/deployments/{id}/promote': { operationId: 'promoteDeployment', summary: 'Give a running deployment the project URL' },
  'GET /api/deployments/{id}/logs': { operationId: 'getDeploymentLogs', summary: 'Stored build and runtime log lines' },
  'GET /api/deployments/{id}/metrics': { operationId: 'getDeploymentMetrics', summary: 'CPU, memory, network and restarts of each replica over time' },
  'GET /api/deployments/{id}/events': { operationId: 'streamDeploymentEvents', summary: "A deployment's logs and status changes (Server-Sent Events)", responses: eventStreamResponse },
  'GET /api/events': { operationId: 'streamEvents', summary: 'Every status change, live (Server-Sent Events)', responses: eventStreamResponse },
  'POST /api/projects': { operationId: 'createProject', summary: 'Create a project' },
  'GET /api/projects': { operationId: 'listProjects', summary: 'List projects' },
  'GET /api/projects/{name}': { operationId: 'getProject', summary: 'One project' },
  'PATCH /api/projects/{name}': { operationId: 'updateProject', summary: "Change a project's settings (replicas scales its current release too)" },
  'DELETE /api/projects/{name}': { operationId: 'deleteProject', summary: 'Delete a project and stop its deployments' },
  'POST /api/projects/{name}/hook-secret': { operationId: 'rotateHookSecret', summary: "Make a new git hook secret (shown once)" },
  'GET /api/projects/{name}/env': { operationId: 'getProjectEnv', summary: "The project's environment variable names (values stay sealed)" },
  'PUT /api/projects/{name}/env': { operationId: 'replaceProjectEnv', summary: "Replace the project's environment" },
  'PATCH /api/projects/{name}/env': { operationId: 'patchProjectEnv', summary: 'Set or remove some environment variables' },
  'GET /api/projects/{name}/preview-env': { operationId: 'getProjectPreviewEnv', summary: "The names of the env the project's previews get (values stay sealed)" },
  'PUT /api/projects/{name}/preview-env': { operationId: 'replaceProjectPreviewEnv', summary: "Replace the env the project's previews get" },
  'PATCH /api/projects/{name}/preview-env': { operationId: 'patchProjectPreviewEnv', summary: "Set or remove some of the previews' environment variables" },
  'POST /api/projects/{name}/deployments': { operationId: 'deployProject', summary: "Deploy the project's git source (JSON) or an archive (multipart)", body: projectDeployBody },
  'POST /api/projects/{name}/rollback': { operationId: 'rollbackProject', summary: 'Give the project URL back to an earlier deployment' },
  'GET /api/projects/{name}/domains': { operationId: 'listDomains', summary: "The project's custom domains" },
  'POST /api/projects/{name}/domains': { operationId: 'addDomain', summary: 'Add a custom domain (pending until verified, unless DOMAIN_VERIFICATION=off)' },
  'POST /api/projects/{name}/domains/{hostname}/verify': { operationId: 'verifyDomain', summary: 'Check the TXT record _berth-challenge.<hostname> and, when it holds the token, serve the domain' },
  'DELETE /api/projects/{name}/domains/{hostname}': { operationId: 'removeDomain', summary: 'Remove a custom domain' },
  'GET /api/projects/{name}/volumes': { operationId: 'listVolumes', summary: "The project's volumes, with the bytes each holds" },
  'POST /api/projects/{name}/volumes': { operationId: 'addVolume', summary: 'Add a volume, mounted into every production release from the next one' },
  'DELETE /api/projects/{name}/volumes/{volume}': { operationId: 'removeVolume', summary: 'Remove a volume (409 VOLUME_IN_USE while a release mounts it, unless force)' },
  'POST /api/projects/{name}/runs': { operationId: 'startRun', summary: "Run a command once in the project's current release (409 NO_RELEASE without one)" },
  'GET /api/projects/{name}/runs': { operationId: 'listRuns', summary: "The project's runs (one-off and jobs'), newest first" },
  'GET /api/projects/{name}/runs/{run}': { operationId: 'getRun', summary: 'One run: its status and exit code' },
  'POST /api/projects/{name}/runs/{run}/cancel': { operationId: 'cancelRun', summary: 'Cancel a queued or running run (409 once it ended)' },
  'GET /api/projects/{name}/runs/{run}/logs': { operationId: 'getRunLogs', summary: "A run's stored output, a page at a time" },
  'GET /api/projects/{name}/runs/{run}/events': { operationId: 'streamRunEvents', summary: "A run's output and status, live, each line once, then `end` with its exit code (Server-Sent Events)", responses: eventStreamResponse },
  'GET /api/projects/{name}/jobs': { operationId: 'listJobs', summary: "The project's scheduled jobs, with their next tick" },
  'POST /api/projects/{name}/jobs': { operationId: 'addJob', summary: 'Add a scheduled job (400 INVALID_SCHEDULE for a bad cron or timezone)' },
  'PATCH /api/projects/{name}/jobs/{job}': { operationId: 'updateJob', summary: "Change a job's schedule, command, timeout or timezone" },
  'DELETE /api/projects/{name}/jobs/{job}': { operationId: 'removeJob', summary: 'Remove a job, its scheduler and its runs' },
  'GET /api/projects/{name}/jobs/{job}/runs': { operationId: 'listJobRuns', summary: "A job's runs, newest first (skipped ticks too)" },
  'POST /api/projects/{name}/jobs/{job}/runs': { operationId: 'runJobNow', summary: 'Run a job now (recorded skipped while its previous run goes)' },
  'GET /api/tls/allowed': { operationId: 'isTlsAllowed', summary: "Caddy's on-demand TLS ask: 200 when Berth serves the hostname (a verified custom domain)" },
  'GET /api/projects/{name}/webhooks': { operationId: 'listWebhooks', summary: "The project's outgoing webhooks" },
  'POST /api/projects/{name}/webhooks': { operationId: 'createWebhook', summary: 'Add an outgoing webhook (its secret is shown once)' },
  'DELETE /api/projects/{name}/webhooks/{id}': { operationId: 'deleteWebhook', summary: 'Remove an outgoing webhook' },
  'GET /api/projects/{name}/webhooks/{id}/deliveries': { operationId: 'listWebhookDeliveries', summary: "A webhook's recent deliveries" },
  'POST /api/projects/{name}/webhooks/{id}/deliveries/{deliveryId}/redeliver': { operationId: 'redeliverWebhook', summary: 'Send a delivery again' },
  'POST /api/hooks/git/{project}': { operationId: 'receiveGitHook', summary: 'A signed push from a git host (GitHub, Gitea or generic)', body: gitHookBody },
  'GET /api/tokens': { operationId: 'listTokens', summary: "List API tokens: one's own, or (owners) everyone's; never their secrets" },
  'POST /api/tokens': { operationId: 'createToken', summary: 'Make a personal access token, never above its owner (its secret is shown once)' },
  'DELETE /api/tokens/{id}': { operationId: 'revokeToken', summary: 'Revoke an API token' },
  'POST /api/auth/login': { operationId: 'signIn', summary: 'Sign in with email and password (and the second factor): a session cookie' },
  'POST /api/auth/logout': { operationId: 'signOut', summary: 'End this session' },
  'GET /api/auth/me': { operationId: 'whoAmI', summary: 'Who the caller is, their project roles, a session’s CSRF token' },
  'POST /api/auth/setup': { operationId: 'setPasswordWithLink', summary: 'Set a password through a one-time link (invitation, reset, first owner)' },
  'POST /api/auth/password': { operationId: 'changePassword', summary: 'Change one’s own password (other sessions end)' },
  'POST /api/auth/totp': { operationId: 'beginTotp', summary: 'Start turning on the second factor: a new TOTP secret' },
  'POST /api/auth/totp/confirm': { operationId: 'confirmTotp', summary: 'Turn the second factor on with a current code: recovery codes (shown once)' },
  'POST /api/auth/totp/disable': { operationId: 'disableTotp', summary: 'Turn the second factor off (asks for the password)' },
  'GET /api/users': { operationId: 'listUsers', summary: 'Everyone with an account (owners)' },
  'POST /api/users': { operationId: 'inviteUser', summary: 'Invite someone: their account and a one-time link (no mail is sent)' },
  'POST /api/users/{id}/reset': { operationId: 'resetUser', summary: 'A new one-time link that sets the password' },
  'PATCH /api/users/{id}': { operationId: 'updateUser', summary: 'Change an instance role, disable or enable an account' },
  'GET /api/projects/{name}/members': { operationId: 'listMembers', summary: "The project's members and their roles" },
  'POST /api/projects/{name}/members': { operationId: 'addMember', summary: 'Give someone a role in the project' },
  'PATCH /api/projects/{name}/members/{userId}': { operationId: 'changeMemberRole', summary: "Change a member's role" },
  'DELETE /api/projects/{name}/members/{userId}': { operationId: 'removeMember', summary: 'Take someone out of the project' },
  'GET /api/projects/{name}/deploy-keys': { operationId: 'listDeployKeys', summary: "The project's deploy keys (never their secrets)" },
  'POST /api/projects/{name}/deploy-keys': { operationId: 'createDeployKey', summary: 'Make a deploy key for CI: deploys this project only (shown once)' },
  'DELETE /api/projects/{name}/deploy-keys/{id}': { operationId: 'revokeDeployKey', summary: 'Revoke a deploy key' },
  'GET /api/audit': { operationId: 'listAudit', summary: 'The audit log, newest first, paged (owners: all; project admins: their projects)' },
  'GET /api/workers': { operationId: 'listWorkers', summary: 'The live workers, from their heartbeats' },
};

/**
 * Generated from packages/client/openapi.json by openapi-typescript (npm run openapi).
 * Do not edit: change the route schemas in apps/api and run the script again.
 */

export interface paths {
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description No credential needed.
         */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process answers
         * @description No credential needed.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: the database answers
         * @description No credential needed.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deployments, newest first
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listDeployments"];
        put?: never;
        /**
         * Deploy from a git URL (JSON) or an uploaded archive (multipart)
         * @description Access: `deployment.create`, which needs the deployer role in the project or its deploy key (a token: scope deploy or more).
         */
        post: operations["createDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One deployment
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getDeployment"];
        put?: never;
        post?: never;
        /**
         * Stop a deployment and remove its container
         * @description Access: `deployment.stop`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        delete: operations["stopDeployment"];
        options?: never;
        head?: never;
        /**
         * Scale a running deployment (replicas)
         * @description Access: `deployment.scale`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        patch: operations["scaleDeployment"];
        trace?: never;
    };
    "/api/deployments/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a deployment that is not live yet
         * @description Access: `deployment.cancel`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["cancelDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/redeploy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deploy the same source again
         * @description Access: `deployment.redeploy`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["redeployDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give a running deployment the project URL
         * @description Access: `deployment.promote`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["promoteDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a deployment the other runtime started on this installation's runtime (start new, switch, stop old)
         * @description Access: `deployment.redeploy`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["moveDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/exec": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A terminal in a running deployment (WebSocket; docs/api.md#terminal)
         * @description Access: `deployment.exec`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        get: operations["openTerminal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List projects
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listProjects"];
        put?: never;
        /**
         * Create a project
         * @description Access: `project.create`, which needs an instance member (a token: scope deploy or more).
         */
        post: operations["createProject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One project
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getProject"];
        put?: never;
        post?: never;
        /**
         * Delete a project and stop its deployments
         * @description Access: `project.delete`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["deleteProject"];
        options?: never;
        head?: never;
        /**
         * Change a project's settings (replicas scales its current release too; processes sets how many containers each process type besides web runs)
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        patch: operations["updateProject"];
        trace?: never;
    };
    "/api/projects/{name}/hook-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a new git hook secret (shown once)
         * @description Access: `project.hook-secret.rotate`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["rotateHookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/env": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's environment variable names (values stay sealed)
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getProjectEnv"];
        /**
         * Replace the project's environment
         * @description Access: `project.env.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        put: operations["replaceProjectEnv"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set or remove some environment variables
         * @description Access: `project.env.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        patch: operations["patchProjectEnv"];
        trace?: never;
    };
    "/api/projects/{name}/preview-env": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The names of the env the project's previews get (values stay sealed)
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getProjectPreviewEnv"];
        /**
         * Replace the env the project's previews get
         * @description Access: `project.env.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        put: operations["replaceProjectPreviewEnv"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set or remove some of the previews' environment variables
         * @description Access: `project.env.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        patch: operations["patchProjectPreviewEnv"];
        trace?: never;
    };
    "/api/projects/{name}/registry-auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the credentials the project's prebuilt images are pulled with (sealed; never shown)
         * @description Access: `project.env.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        put: operations["setProjectRegistryAuth"];
        post?: never;
        /**
         * Pull the project's prebuilt images without credentials again
         * @description Access: `project.env.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["clearProjectRegistryAuth"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deploy the project's git source or a prebuilt image (JSON: image), or an archive (multipart)
         * @description Access: `deployment.create`, which needs the deployer role in the project or its deploy key (a token: scope deploy or more).
         */
        post: operations["deployProject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give the project URL back to an earlier deployment
         * @description Access: `deployment.rollback`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["rollbackProject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stored build and runtime log lines
         * @description Access: `project.logs.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getDeploymentLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * CPU, memory, network and restarts of each replica over time
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getDeploymentMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/request-metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Requests to the project's apps through Caddy over time: by status class, with p50/p95/p99 latency
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getProjectRequestMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/request-metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Requests to one deployment through Caddy over time: by status class, with p50/p95/p99 latency
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getDeploymentRequestMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deployments/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A deployment's logs and status changes (Server-Sent Events)
         * @description Access: `project.logs.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["streamDeploymentEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every status change, live (Server-Sent Events)
         * @description Access: `project.logs.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's custom domains
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listDomains"];
        put?: never;
        /**
         * Add a custom domain (pending until verified, unless DOMAIN_VERIFICATION=off)
         * @description Access: `project.domains.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["addDomain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/domains/{hostname}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a custom domain
         * @description Access: `project.domains.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["removeDomain"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/domains/{hostname}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check the TXT record _berth-challenge.<hostname> and, when it holds the token, serve the domain
         * @description Access: `project.domains.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["verifyDomain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tls/allowed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Caddy's on-demand TLS ask: 200 when Berth serves the hostname (a verified custom domain)
         * @description No credential needed.
         */
        get: operations["isTlsAllowed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/volumes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's volumes, with the bytes each holds
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listVolumes"];
        put?: never;
        /**
         * Add a volume, mounted into every production release from the next one
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["addVolume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/volumes/{volume}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a volume (409 VOLUME_IN_USE while a release mounts it, unless force)
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["removeVolume"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search every stored log line of the project's deployments (substring or regex), newest first, paged
         * @description Access: `project.logs.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["searchProjectLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's managed services (Postgres, Redis): status, version, data bytes
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listServices"];
        put?: never;
        /**
         * Add a Postgres or Redis service, private to the project; its apps get its URL from their next release
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["addService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/services/{service}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a service (its data volume is kept unless deleteData)
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["removeService"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's runs (one-off and jobs'), newest first
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listRuns"];
        put?: never;
        /**
         * Run a command once in the project's current release (409 NO_RELEASE without one)
         * @description Access: `project.runs.start`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["startRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/runs/{run}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One run: its status and exit code
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/runs/{run}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a queued or running run (409 once it ended)
         * @description Access: `project.runs.start`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["cancelRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/runs/{run}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A run's stored output, a page at a time
         * @description Access: `project.logs.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["getRunLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/runs/{run}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A run's output and status, live, each line once, then `end` with its exit code (Server-Sent Events)
         * @description Access: `project.logs.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["streamRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's scheduled jobs, with their next tick
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listJobs"];
        put?: never;
        /**
         * Add a scheduled job (400 INVALID_SCHEDULE for a bad cron or timezone)
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["addJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/jobs/{job}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a job, its scheduler and its runs
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["removeJob"];
        options?: never;
        head?: never;
        /**
         * Change a job's schedule, command, timeout or timezone
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        patch: operations["updateJob"];
        trace?: never;
    };
    "/api/projects/{name}/jobs/{job}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A job's runs, newest first (skipped ticks too)
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listJobRuns"];
        put?: never;
        /**
         * Run a job now (recorded skipped while its previous run goes)
         * @description Access: `project.runs.start`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["runJobNow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/services/{service}/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A service's backups and restores, newest first
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listServiceBackups"];
        put?: never;
        /**
         * Take a backup of a service now (pg_dump or a Redis snapshot; compressed, encrypted, into BACKUP_DIR)
         * @description Access: `project.backups.create`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["backUpService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/services/{service}/backups/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put a backup back into its service (all of it or nothing)
         * @description Access: `project.backups.restore`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["restoreServiceBackup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/services/{service}/backups/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A backup, decrypted (gzip), once its whole file checks out
         * @description Access: `project.backups.download`, which needs the admin role in the project (a token: scope admin or more).
         */
        get: operations["downloadServiceBackup"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/services/{service}/backup-schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a service's backup schedule (cron, UTC; null: on demand only)
         * @description Access: `project.settings.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        put: operations["setServiceBackupSchedule"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's outgoing webhooks
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Add an outgoing webhook (its secret is shown once)
         * @description Access: `project.webhooks.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove an outgoing webhook
         * @description Access: `project.webhooks.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook's recent deliveries
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again
         * @description Access: `project.webhooks.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["redeliverWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/drains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's log drains, each with its state (active or paused, the last error)
         * @description Access: `project.read`, which needs the viewer role in the project or its deploy key (a token: scope read or more).
         */
        get: operations["listLogDrains"];
        put?: never;
        /**
         * Add a log drain: syslog+tcp://, syslog+tls:// or https:// (an https drain's secret is shown once)
         * @description Access: `project.drains.update`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["createLogDrain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/drains/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a log drain
         * @description Access: `project.drains.update`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        delete: operations["deleteLogDrain"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/drains/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Try a paused or backing-off log drain now
         * @description Access: `project.drains.update`, which needs the deployer role in the project (a token: scope deploy or more).
         */
        post: operations["resumeLogDrain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/hooks/git/{project}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A signed push from a git host (GitHub, Gitea or generic)
         * @description No credential needed.
         */
        post: operations["receiveGitHook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password (and the second factor): a session cookie
         * @description No credential needed.
         */
        post: operations["signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End this session
         * @description Access: `account.read`, which needs an instance member (a token: scope read or more).
         */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the caller is, their project roles, a session’s CSRF token
         * @description Access: `account.read`, which needs an instance member (a token: scope read or more).
         */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a password through a one-time link (invitation, reset, first owner)
         * @description No credential needed.
         */
        post: operations["setPasswordWithLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change one’s own password (other sessions end)
         * @description Access: `account.update`, which needs a signed-in person (not a token).
         */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start turning on the second factor: a new TOTP secret
         * @description Access: `account.update`, which needs a signed-in person (not a token).
         */
        post: operations["beginTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn the second factor on with a current code: recovery codes (shown once)
         * @description Access: `account.update`, which needs a signed-in person (not a token).
         */
        post: operations["confirmTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/totp/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn the second factor off (asks for the password)
         * @description Access: `account.update`, which needs a signed-in person (not a token).
         */
        post: operations["disableTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Everyone with an account (owners)
         * @description Access: `users.read`, which needs an instance owner (a token: scope admin or more).
         */
        get: operations["listUsers"];
        put?: never;
        /**
         * Invite someone: their account and a one-time link (no mail is sent)
         * @description Access: `users.manage`, which needs an instance owner (a token: scope admin or more).
         */
        post: operations["inviteUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new one-time link that sets the password
         * @description Access: `users.manage`, which needs an instance owner (a token: scope admin or more).
         */
        post: operations["resetUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an instance role, disable or enable an account
         * @description Access: `users.manage`, which needs an instance owner (a token: scope admin or more).
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/projects/{name}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's members and their roles
         * @description Access: `project.members.read`, which needs the admin role in the project (a token: scope read or more).
         */
        get: operations["listMembers"];
        put?: never;
        /**
         * Give someone a role in the project
         * @description Access: `project.members.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Take someone out of the project
         * @description Access: `project.members.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /**
         * Change a member's role
         * @description Access: `project.members.update`, which needs the admin role in the project (a token: scope admin or more).
         */
        patch: operations["changeMemberRole"];
        trace?: never;
    };
    "/api/projects/{name}/deploy-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The project's deploy keys (never their secrets)
         * @description Access: `project.deploy-keys.manage`, which needs the admin role in the project (a token: scope admin or more).
         */
        get: operations["listDeployKeys"];
        put?: never;
        /**
         * Make a deploy key for CI: deploys this project only (shown once)
         * @description Access: `project.deploy-keys.manage`, which needs the admin role in the project (a token: scope admin or more).
         */
        post: operations["createDeployKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{name}/deploy-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a deploy key
         * @description Access: `project.deploy-keys.manage`, which needs the admin role in the project (a token: scope admin or more).
         */
        delete: operations["revokeDeployKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API tokens: one's own, or (owners) everyone's; never their secrets
         * @description Access: `tokens.own.manage`, which needs an instance member (a token: scope admin or more).
         */
        get: operations["listTokens"];
        put?: never;
        /**
         * Make a personal access token, never above its owner (its secret is shown once)
         * @description Access: `tokens.own.manage`, which needs an instance member (a token: scope admin or more).
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API token
         * @description Access: `tokens.own.manage`, which needs an instance member (a token: scope admin or more).
         */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, newest first, paged (owners: all; project admins: their projects)
         * @description Access: `project.audit.read`, which needs the admin role in the project (a token: scope admin or more).
         */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics of every Berth process
         * @description Access: `instance.read`, which needs an instance owner (a token: scope read or more).
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The live workers, from their heartbeats
         * @description Access: `instance.read`, which needs an instance owner (a token: scope read or more).
         */
        get: operations["listWorkers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listDeployments: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                status?: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                project?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                            errorCode: string | null;
                            errorMessage: string | null;
                            source: {
                                /** @enum {string} */
                                type: "git";
                                /** @description credentials redacted */
                                gitUrl: string | null;
                                ref: string | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "archive";
                                /** @enum {string|null} */
                                format: "zip" | "tar.gz" | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "image";
                                /** @description the prebuilt image as asked (a tag or a digest) */
                                image: string;
                                /** @description the manifest digest the pull got: what runs (null until pulled) */
                                digest: string | null;
                            };
                            port: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            url: string;
                            projectUrl: string;
                            /** @description the commit a git source resolved to */
                            commitSha: string | null;
                            /** @description false for a preview: it never takes the project URL by itself */
                            promote: boolean;
                            /** @description whether the project URL serves this deployment now */
                            current: boolean;
                            healthPath: string;
                            /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                            replicas: number;
                            /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                            }[];
                            /** @description the release whose image this one runs (a rollback) */
                            releaseOf: string | null;
                            /** @description when the project URL moved away from it (it drains, then stops) */
                            retiredAt: string | null;
                            /** @description while queued: 1 = next to be taken */
                            queuePosition: number | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            links: {
                                self: string;
                                logs: string;
                                events: string;
                            };
                        }[];
                        /** @description pass as `cursor` for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    createDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    gitUrl?: string;
                    image?: string;
                    ref?: string;
                    rootDir?: string;
                    name?: string;
                    port?: number;
                    env?: {
                        [key: string]: string;
                    };
                    /** @enum {string} */
                    sourceType?: "git" | "upload" | "archive";
                    promote?: boolean | ("true" | "false");
                    healthPath?: string;
                };
                "multipart/form-data": {
                    /** @description the project as a .zip or .tar.gz (recognised by its first bytes) */
                    projectArchive: string;
                    gitUrl?: string;
                    image?: string;
                    ref?: string;
                    rootDir?: string;
                    name?: string;
                    port?: string;
                    env?: string;
                    sourceType?: string;
                    promote?: string;
                    healthPath?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    stopDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    scaleDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description copies to run, 1 to SWARM_MAX_REPLICAS (more than 1 needs BERTH_RUNTIME=swarm); stopping is DELETE */
                    replicas: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    cancelDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    redeployDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    promoteDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    moveDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description the installation's runtime (BERTH_RUNTIME): the deployment moves there
                     * @enum {string}
                     */
                    runtime: "docker" | "swarm";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    openTerminal: {
        parameters: {
            query?: {
                /** @description the command as an argv, one `cmd` per argument (default `sh`); never run through a shell */
                cmd?: string | string[];
                /** @description which replica (from 1; docker mode runs one; swarm mode: a task on the API's own node, by its slot) */
                replica?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listProjects: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            /** @description the stable URL: it serves the current release */
                            url: string;
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                            port: number | null;
                            healthPath: string;
                            /** @description copies a new release runs; changing it scales the current release too */
                            replicas: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            buildEnvKeys: string[];
                            /** @description the env previews get (PUT /api/projects/{name}/preview-env); names only */
                            previewEnvKeys: string[];
                            previewBuildEnvKeys: string[];
                            /** @description true: previews get the project's env with the preview env on top; false: the preview env only */
                            previewsInheritEnv: boolean;
                            /**
                             * @description start-first: the new release starts, then the old one stops; stop-first: the old one stops first (a gap)
                             * @enum {string}
                             */
                            deployStrategy: "start-first" | "stop-first";
                            /** @description run once in each new production image before the URL moves; null: berth.json's release, if any */
                            releaseCommand: string | null;
                            /** @description true: each preview gets volumes of its own (empty at first); false: previews get none (never production's) */
                            previewVolumes: boolean;
                            /** @description globs relative to the repository root: a push changing none of them builds nothing; null: every push builds */
                            watchPaths: string[] | null;
                            /** @description the newest push that built nothing (no changed file matched watchPaths) */
                            lastSkippedPush: {
                                sha: string;
                                branch: string;
                                at: string;
                                reason: string;
                            } | null;
                            /** @description whether prebuilt images are pulled with credentials (PUT /api/projects/{name}/registry-auth); they are never shown */
                            registryAuth: boolean;
                            /** @description the current release's processes (none without one): how many of each run, and whether they do */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                                /** @description containers it runs: web its replicas, another type the project's count (PATCH { processes: { worker: 2 } }), 1 unless set */
                                count: number;
                                /**
                                 * @description running: the current release is live, and Docker keeps its containers up (restarting one that exits); stopped: it is not (or the count is 0)
                                 * @enum {string}
                                 */
                                state: "running" | "stopped";
                            }[];
                            currentDeployment: {
                                id: string;
                                project: string;
                                /** @enum {string} */
                                status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                                errorCode: string | null;
                                errorMessage: string | null;
                                source: {
                                    /** @enum {string} */
                                    type: "git";
                                    /** @description credentials redacted */
                                    gitUrl: string | null;
                                    ref: string | null;
                                    rootDir: string;
                                } | {
                                    /** @enum {string} */
                                    type: "archive";
                                    /** @enum {string|null} */
                                    format: "zip" | "tar.gz" | null;
                                    rootDir: string;
                                } | {
                                    /** @enum {string} */
                                    type: "image";
                                    /** @description the prebuilt image as asked (a tag or a digest) */
                                    image: string;
                                    /** @description the manifest digest the pull got: what runs (null until pulled) */
                                    digest: string | null;
                                };
                                port: number;
                                /** @description env values are secrets: only their names are shown */
                                envKeys: string[];
                                url: string;
                                projectUrl: string;
                                /** @description the commit a git source resolved to */
                                commitSha: string | null;
                                /** @description false for a preview: it never takes the project URL by itself */
                                promote: boolean;
                                /** @description whether the project URL serves this deployment now */
                                current: boolean;
                                healthPath: string;
                                /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                                replicas: number;
                                /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                                processes: {
                                    /** @description web (the container the URL routes to) or a process type besides web */
                                    type: string;
                                    /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                    command: string | null;
                                }[];
                                /** @description the release whose image this one runs (a rollback) */
                                releaseOf: string | null;
                                /** @description when the project URL moved away from it (it drains, then stops) */
                                retiredAt: string | null;
                                /** @description while queued: 1 = next to be taken */
                                queuePosition: number | null;
                                createdAt: string;
                                updatedAt: string;
                                finishedAt: string | null;
                                links: {
                                    self: string;
                                    logs: string;
                                    events: string;
                                };
                            } | null;
                            /** @description kept releases, newest first (rollback targets) */
                            releases?: {
                                id: string;
                                project: string;
                                /** @enum {string} */
                                status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                                errorCode: string | null;
                                errorMessage: string | null;
                                source: {
                                    /** @enum {string} */
                                    type: "git";
                                    /** @description credentials redacted */
                                    gitUrl: string | null;
                                    ref: string | null;
                                    rootDir: string;
                                } | {
                                    /** @enum {string} */
                                    type: "archive";
                                    /** @enum {string|null} */
                                    format: "zip" | "tar.gz" | null;
                                    rootDir: string;
                                } | {
                                    /** @enum {string} */
                                    type: "image";
                                    /** @description the prebuilt image as asked (a tag or a digest) */
                                    image: string;
                                    /** @description the manifest digest the pull got: what runs (null until pulled) */
                                    digest: string | null;
                                };
                                port: number;
                                /** @description env values are secrets: only their names are shown */
                                envKeys: string[];
                                url: string;
                                projectUrl: string;
                                /** @description the commit a git source resolved to */
                                commitSha: string | null;
                                /** @description false for a preview: it never takes the project URL by itself */
                                promote: boolean;
                                /** @description whether the project URL serves this deployment now */
                                current: boolean;
                                healthPath: string;
                                /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                                replicas: number;
                                /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                                processes: {
                                    /** @description web (the container the URL routes to) or a process type besides web */
                                    type: string;
                                    /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                    command: string | null;
                                }[];
                                /** @description the release whose image this one runs (a rollback) */
                                releaseOf: string | null;
                                /** @description when the project URL moved away from it (it drains, then stops) */
                                retiredAt: string | null;
                                /** @description while queued: 1 = next to be taken */
                                queuePosition: number | null;
                                createdAt: string;
                                updatedAt: string;
                                finishedAt: string | null;
                                links: {
                                    self: string;
                                    logs: string;
                                    events: string;
                                };
                            }[];
                            /** @description where a git host sends push events (signed with the hook secret) */
                            hookUrl: string;
                            /** @description only in the answers that create or rotate it */
                            hookSecret?: string;
                            /** @description what the caller may do here (in the answers about one project, not in lists): clients offer only these actions */
                            access?: {
                                /**
                                 * @description the caller's role in the project (owners and instance tokens act as admin); null for a deploy key
                                 * @enum {string|null}
                                 */
                                role: "admin" | "deployer" | "viewer" | null;
                                /** @description the project actions the caller may take (its token scope counted) */
                                actions: ("project.read" | "project.logs.read" | "project.secrets.read" | "deployment.create" | "deployment.promote" | "deployment.rollback" | "deployment.redeploy" | "deployment.cancel" | "deployment.stop" | "deployment.scale" | "deployment.exec" | "project.runs.start" | "project.backups.create" | "project.backups.download" | "project.backups.restore" | "project.settings.update" | "project.env.update" | "project.hook-secret.rotate" | "project.domains.update" | "project.webhooks.update" | "project.drains.update" | "project.members.read" | "project.members.update" | "project.deploy-keys.manage" | "project.audit.read" | "project.delete")[];
                            };
                            disk?: {
                                imageBytes: number;
                                archiveBytes: number;
                            };
                            createdAt: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    createProject: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    gitUrl?: string | null;
                    ref?: string | null;
                    rootDir?: string;
                    port?: number | null;
                    healthPath?: string;
                    previewsInheritEnv?: boolean;
                    /** @enum {string} */
                    deployStrategy?: "start-first" | "stop-first";
                    releaseCommand?: string | null;
                    previewVolumes?: boolean;
                    watchPaths?: string[] | null;
                    name: string;
                    env?: {
                        [key: string]: string;
                    };
                    buildEnv?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description the stable URL: it serves the current release */
                        url: string;
                        /** @description credentials redacted */
                        gitUrl: string | null;
                        ref: string | null;
                        rootDir: string;
                        port: number | null;
                        healthPath: string;
                        /** @description copies a new release runs; changing it scales the current release too */
                        replicas: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        buildEnvKeys: string[];
                        /** @description the env previews get (PUT /api/projects/{name}/preview-env); names only */
                        previewEnvKeys: string[];
                        previewBuildEnvKeys: string[];
                        /** @description true: previews get the project's env with the preview env on top; false: the preview env only */
                        previewsInheritEnv: boolean;
                        /**
                         * @description start-first: the new release starts, then the old one stops; stop-first: the old one stops first (a gap)
                         * @enum {string}
                         */
                        deployStrategy: "start-first" | "stop-first";
                        /** @description run once in each new production image before the URL moves; null: berth.json's release, if any */
                        releaseCommand: string | null;
                        /** @description true: each preview gets volumes of its own (empty at first); false: previews get none (never production's) */
                        previewVolumes: boolean;
                        /** @description globs relative to the repository root: a push changing none of them builds nothing; null: every push builds */
                        watchPaths: string[] | null;
                        /** @description the newest push that built nothing (no changed file matched watchPaths) */
                        lastSkippedPush: {
                            sha: string;
                            branch: string;
                            at: string;
                            reason: string;
                        } | null;
                        /** @description whether prebuilt images are pulled with credentials (PUT /api/projects/{name}/registry-auth); they are never shown */
                        registryAuth: boolean;
                        /** @description the current release's processes (none without one): how many of each run, and whether they do */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                            /** @description containers it runs: web its replicas, another type the project's count (PATCH { processes: { worker: 2 } }), 1 unless set */
                            count: number;
                            /**
                             * @description running: the current release is live, and Docker keeps its containers up (restarting one that exits); stopped: it is not (or the count is 0)
                             * @enum {string}
                             */
                            state: "running" | "stopped";
                        }[];
                        currentDeployment: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                            errorCode: string | null;
                            errorMessage: string | null;
                            source: {
                                /** @enum {string} */
                                type: "git";
                                /** @description credentials redacted */
                                gitUrl: string | null;
                                ref: string | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "archive";
                                /** @enum {string|null} */
                                format: "zip" | "tar.gz" | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "image";
                                /** @description the prebuilt image as asked (a tag or a digest) */
                                image: string;
                                /** @description the manifest digest the pull got: what runs (null until pulled) */
                                digest: string | null;
                            };
                            port: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            url: string;
                            projectUrl: string;
                            /** @description the commit a git source resolved to */
                            commitSha: string | null;
                            /** @description false for a preview: it never takes the project URL by itself */
                            promote: boolean;
                            /** @description whether the project URL serves this deployment now */
                            current: boolean;
                            healthPath: string;
                            /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                            replicas: number;
                            /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                            }[];
                            /** @description the release whose image this one runs (a rollback) */
                            releaseOf: string | null;
                            /** @description when the project URL moved away from it (it drains, then stops) */
                            retiredAt: string | null;
                            /** @description while queued: 1 = next to be taken */
                            queuePosition: number | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            links: {
                                self: string;
                                logs: string;
                                events: string;
                            };
                        } | null;
                        /** @description kept releases, newest first (rollback targets) */
                        releases?: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                            errorCode: string | null;
                            errorMessage: string | null;
                            source: {
                                /** @enum {string} */
                                type: "git";
                                /** @description credentials redacted */
                                gitUrl: string | null;
                                ref: string | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "archive";
                                /** @enum {string|null} */
                                format: "zip" | "tar.gz" | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "image";
                                /** @description the prebuilt image as asked (a tag or a digest) */
                                image: string;
                                /** @description the manifest digest the pull got: what runs (null until pulled) */
                                digest: string | null;
                            };
                            port: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            url: string;
                            projectUrl: string;
                            /** @description the commit a git source resolved to */
                            commitSha: string | null;
                            /** @description false for a preview: it never takes the project URL by itself */
                            promote: boolean;
                            /** @description whether the project URL serves this deployment now */
                            current: boolean;
                            healthPath: string;
                            /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                            replicas: number;
                            /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                            }[];
                            /** @description the release whose image this one runs (a rollback) */
                            releaseOf: string | null;
                            /** @description when the project URL moved away from it (it drains, then stops) */
                            retiredAt: string | null;
                            /** @description while queued: 1 = next to be taken */
                            queuePosition: number | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            links: {
                                self: string;
                                logs: string;
                                events: string;
                            };
                        }[];
                        /** @description where a git host sends push events (signed with the hook secret) */
                        hookUrl: string;
                        /** @description only in the answers that create or rotate it */
                        hookSecret?: string;
                        /** @description what the caller may do here (in the answers about one project, not in lists): clients offer only these actions */
                        access?: {
                            /**
                             * @description the caller's role in the project (owners and instance tokens act as admin); null for a deploy key
                             * @enum {string|null}
                             */
                            role: "admin" | "deployer" | "viewer" | null;
                            /** @description the project actions the caller may take (its token scope counted) */
                            actions: ("project.read" | "project.logs.read" | "project.secrets.read" | "deployment.create" | "deployment.promote" | "deployment.rollback" | "deployment.redeploy" | "deployment.cancel" | "deployment.stop" | "deployment.scale" | "deployment.exec" | "project.runs.start" | "project.backups.create" | "project.backups.download" | "project.backups.restore" | "project.settings.update" | "project.env.update" | "project.hook-secret.rotate" | "project.domains.update" | "project.webhooks.update" | "project.drains.update" | "project.members.read" | "project.members.update" | "project.deploy-keys.manage" | "project.audit.read" | "project.delete")[];
                        };
                        disk?: {
                            imageBytes: number;
                            archiveBytes: number;
                        };
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description the stable URL: it serves the current release */
                        url: string;
                        /** @description credentials redacted */
                        gitUrl: string | null;
                        ref: string | null;
                        rootDir: string;
                        port: number | null;
                        healthPath: string;
                        /** @description copies a new release runs; changing it scales the current release too */
                        replicas: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        buildEnvKeys: string[];
                        /** @description the env previews get (PUT /api/projects/{name}/preview-env); names only */
                        previewEnvKeys: string[];
                        previewBuildEnvKeys: string[];
                        /** @description true: previews get the project's env with the preview env on top; false: the preview env only */
                        previewsInheritEnv: boolean;
                        /**
                         * @description start-first: the new release starts, then the old one stops; stop-first: the old one stops first (a gap)
                         * @enum {string}
                         */
                        deployStrategy: "start-first" | "stop-first";
                        /** @description run once in each new production image before the URL moves; null: berth.json's release, if any */
                        releaseCommand: string | null;
                        /** @description true: each preview gets volumes of its own (empty at first); false: previews get none (never production's) */
                        previewVolumes: boolean;
                        /** @description globs relative to the repository root: a push changing none of them builds nothing; null: every push builds */
                        watchPaths: string[] | null;
                        /** @description the newest push that built nothing (no changed file matched watchPaths) */
                        lastSkippedPush: {
                            sha: string;
                            branch: string;
                            at: string;
                            reason: string;
                        } | null;
                        /** @description whether prebuilt images are pulled with credentials (PUT /api/projects/{name}/registry-auth); they are never shown */
                        registryAuth: boolean;
                        /** @description the current release's processes (none without one): how many of each run, and whether they do */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                            /** @description containers it runs: web its replicas, another type the project's count (PATCH { processes: { worker: 2 } }), 1 unless set */
                            count: number;
                            /**
                             * @description running: the current release is live, and Docker keeps its containers up (restarting one that exits); stopped: it is not (or the count is 0)
                             * @enum {string}
                             */
                            state: "running" | "stopped";
                        }[];
                        currentDeployment: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                            errorCode: string | null;
                            errorMessage: string | null;
                            source: {
                                /** @enum {string} */
                                type: "git";
                                /** @description credentials redacted */
                                gitUrl: string | null;
                                ref: string | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "archive";
                                /** @enum {string|null} */
                                format: "zip" | "tar.gz" | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "image";
                                /** @description the prebuilt image as asked (a tag or a digest) */
                                image: string;
                                /** @description the manifest digest the pull got: what runs (null until pulled) */
                                digest: string | null;
                            };
                            port: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            url: string;
                            projectUrl: string;
                            /** @description the commit a git source resolved to */
                            commitSha: string | null;
                            /** @description false for a preview: it never takes the project URL by itself */
                            promote: boolean;
                            /** @description whether the project URL serves this deployment now */
                            current: boolean;
                            healthPath: string;
                            /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                            replicas: number;
                            /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                            }[];
                            /** @description the release whose image this one runs (a rollback) */
                            releaseOf: string | null;
                            /** @description when the project URL moved away from it (it drains, then stops) */
                            retiredAt: string | null;
                            /** @description while queued: 1 = next to be taken */
                            queuePosition: number | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            links: {
                                self: string;
                                logs: string;
                                events: string;
                            };
                        } | null;
                        /** @description kept releases, newest first (rollback targets) */
                        releases?: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                            errorCode: string | null;
                            errorMessage: string | null;
                            source: {
                                /** @enum {string} */
                                type: "git";
                                /** @description credentials redacted */
                                gitUrl: string | null;
                                ref: string | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "archive";
                                /** @enum {string|null} */
                                format: "zip" | "tar.gz" | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "image";
                                /** @description the prebuilt image as asked (a tag or a digest) */
                                image: string;
                                /** @description the manifest digest the pull got: what runs (null until pulled) */
                                digest: string | null;
                            };
                            port: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            url: string;
                            projectUrl: string;
                            /** @description the commit a git source resolved to */
                            commitSha: string | null;
                            /** @description false for a preview: it never takes the project URL by itself */
                            promote: boolean;
                            /** @description whether the project URL serves this deployment now */
                            current: boolean;
                            healthPath: string;
                            /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                            replicas: number;
                            /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                            }[];
                            /** @description the release whose image this one runs (a rollback) */
                            releaseOf: string | null;
                            /** @description when the project URL moved away from it (it drains, then stops) */
                            retiredAt: string | null;
                            /** @description while queued: 1 = next to be taken */
                            queuePosition: number | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            links: {
                                self: string;
                                logs: string;
                                events: string;
                            };
                        }[];
                        /** @description where a git host sends push events (signed with the hook secret) */
                        hookUrl: string;
                        /** @description only in the answers that create or rotate it */
                        hookSecret?: string;
                        /** @description what the caller may do here (in the answers about one project, not in lists): clients offer only these actions */
                        access?: {
                            /**
                             * @description the caller's role in the project (owners and instance tokens act as admin); null for a deploy key
                             * @enum {string|null}
                             */
                            role: "admin" | "deployer" | "viewer" | null;
                            /** @description the project actions the caller may take (its token scope counted) */
                            actions: ("project.read" | "project.logs.read" | "project.secrets.read" | "deployment.create" | "deployment.promote" | "deployment.rollback" | "deployment.redeploy" | "deployment.cancel" | "deployment.stop" | "deployment.scale" | "deployment.exec" | "project.runs.start" | "project.backups.create" | "project.backups.download" | "project.backups.restore" | "project.settings.update" | "project.env.update" | "project.hook-secret.rotate" | "project.domains.update" | "project.webhooks.update" | "project.drains.update" | "project.members.read" | "project.members.update" | "project.deploy-keys.manage" | "project.audit.read" | "project.delete")[];
                        };
                        disk?: {
                            imageBytes: number;
                            archiveBytes: number;
                        };
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        stopped: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    updateProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    gitUrl?: string | null;
                    ref?: string | null;
                    rootDir?: string;
                    port?: number | null;
                    healthPath?: string;
                    previewsInheritEnv?: boolean;
                    /** @enum {string} */
                    deployStrategy?: "start-first" | "stop-first";
                    releaseCommand?: string | null;
                    previewVolumes?: boolean;
                    watchPaths?: string[] | null;
                    /** @description copies to run, 1 to SWARM_MAX_REPLICAS (more than 1 needs BERTH_RUNTIME=swarm); stopping is DELETE; new releases take it, and the current release is scaled to it at once */
                    replicas?: number;
                    processes?: {
                        [key: string]: number;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description the stable URL: it serves the current release */
                        url: string;
                        /** @description credentials redacted */
                        gitUrl: string | null;
                        ref: string | null;
                        rootDir: string;
                        port: number | null;
                        healthPath: string;
                        /** @description copies a new release runs; changing it scales the current release too */
                        replicas: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        buildEnvKeys: string[];
                        /** @description the env previews get (PUT /api/projects/{name}/preview-env); names only */
                        previewEnvKeys: string[];
                        previewBuildEnvKeys: string[];
                        /** @description true: previews get the project's env with the preview env on top; false: the preview env only */
                        previewsInheritEnv: boolean;
                        /**
                         * @description start-first: the new release starts, then the old one stops; stop-first: the old one stops first (a gap)
                         * @enum {string}
                         */
                        deployStrategy: "start-first" | "stop-first";
                        /** @description run once in each new production image before the URL moves; null: berth.json's release, if any */
                        releaseCommand: string | null;
                        /** @description true: each preview gets volumes of its own (empty at first); false: previews get none (never production's) */
                        previewVolumes: boolean;
                        /** @description globs relative to the repository root: a push changing none of them builds nothing; null: every push builds */
                        watchPaths: string[] | null;
                        /** @description the newest push that built nothing (no changed file matched watchPaths) */
                        lastSkippedPush: {
                            sha: string;
                            branch: string;
                            at: string;
                            reason: string;
                        } | null;
                        /** @description whether prebuilt images are pulled with credentials (PUT /api/projects/{name}/registry-auth); they are never shown */
                        registryAuth: boolean;
                        /** @description the current release's processes (none without one): how many of each run, and whether they do */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                            /** @description containers it runs: web its replicas, another type the project's count (PATCH { processes: { worker: 2 } }), 1 unless set */
                            count: number;
                            /**
                             * @description running: the current release is live, and Docker keeps its containers up (restarting one that exits); stopped: it is not (or the count is 0)
                             * @enum {string}
                             */
                            state: "running" | "stopped";
                        }[];
                        currentDeployment: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                            errorCode: string | null;
                            errorMessage: string | null;
                            source: {
                                /** @enum {string} */
                                type: "git";
                                /** @description credentials redacted */
                                gitUrl: string | null;
                                ref: string | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "archive";
                                /** @enum {string|null} */
                                format: "zip" | "tar.gz" | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "image";
                                /** @description the prebuilt image as asked (a tag or a digest) */
                                image: string;
                                /** @description the manifest digest the pull got: what runs (null until pulled) */
                                digest: string | null;
                            };
                            port: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            url: string;
                            projectUrl: string;
                            /** @description the commit a git source resolved to */
                            commitSha: string | null;
                            /** @description false for a preview: it never takes the project URL by itself */
                            promote: boolean;
                            /** @description whether the project URL serves this deployment now */
                            current: boolean;
                            healthPath: string;
                            /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                            replicas: number;
                            /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                            }[];
                            /** @description the release whose image this one runs (a rollback) */
                            releaseOf: string | null;
                            /** @description when the project URL moved away from it (it drains, then stops) */
                            retiredAt: string | null;
                            /** @description while queued: 1 = next to be taken */
                            queuePosition: number | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            links: {
                                self: string;
                                logs: string;
                                events: string;
                            };
                        } | null;
                        /** @description kept releases, newest first (rollback targets) */
                        releases?: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                            errorCode: string | null;
                            errorMessage: string | null;
                            source: {
                                /** @enum {string} */
                                type: "git";
                                /** @description credentials redacted */
                                gitUrl: string | null;
                                ref: string | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "archive";
                                /** @enum {string|null} */
                                format: "zip" | "tar.gz" | null;
                                rootDir: string;
                            } | {
                                /** @enum {string} */
                                type: "image";
                                /** @description the prebuilt image as asked (a tag or a digest) */
                                image: string;
                                /** @description the manifest digest the pull got: what runs (null until pulled) */
                                digest: string | null;
                            };
                            port: number;
                            /** @description env values are secrets: only their names are shown */
                            envKeys: string[];
                            url: string;
                            projectUrl: string;
                            /** @description the commit a git source resolved to */
                            commitSha: string | null;
                            /** @description false for a preview: it never takes the project URL by itself */
                            promote: boolean;
                            /** @description whether the project URL serves this deployment now */
                            current: boolean;
                            healthPath: string;
                            /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                            replicas: number;
                            /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                            processes: {
                                /** @description web (the container the URL routes to) or a process type besides web */
                                type: string;
                                /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                                command: string | null;
                            }[];
                            /** @description the release whose image this one runs (a rollback) */
                            releaseOf: string | null;
                            /** @description when the project URL moved away from it (it drains, then stops) */
                            retiredAt: string | null;
                            /** @description while queued: 1 = next to be taken */
                            queuePosition: number | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            links: {
                                self: string;
                                logs: string;
                                events: string;
                            };
                        }[];
                        /** @description where a git host sends push events (signed with the hook secret) */
                        hookUrl: string;
                        /** @description only in the answers that create or rotate it */
                        hookSecret?: string;
                        /** @description what the caller may do here (in the answers about one project, not in lists): clients offer only these actions */
                        access?: {
                            /**
                             * @description the caller's role in the project (owners and instance tokens act as admin); null for a deploy key
                             * @enum {string|null}
                             */
                            role: "admin" | "deployer" | "viewer" | null;
                            /** @description the project actions the caller may take (its token scope counted) */
                            actions: ("project.read" | "project.logs.read" | "project.secrets.read" | "deployment.create" | "deployment.promote" | "deployment.rollback" | "deployment.redeploy" | "deployment.cancel" | "deployment.stop" | "deployment.scale" | "deployment.exec" | "project.runs.start" | "project.backups.create" | "project.backups.download" | "project.backups.restore" | "project.settings.update" | "project.env.update" | "project.hook-secret.rotate" | "project.domains.update" | "project.webhooks.update" | "project.drains.update" | "project.members.read" | "project.members.update" | "project.deploy-keys.manage" | "project.audit.read" | "project.delete")[];
                        };
                        disk?: {
                            imageBytes: number;
                            archiveBytes: number;
                        };
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    rotateHookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hookUrl: string;
                        hookSecret: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getProjectEnv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        envKeys: string[];
                        buildEnvKeys: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    replaceProjectEnv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    env: {
                        [key: string]: string;
                    };
                    buildEnv?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        envKeys: string[];
                        buildEnvKeys: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchProjectEnv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    env?: {
                        [key: string]: string | null;
                    };
                    buildEnv?: {
                        [key: string]: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        envKeys: string[];
                        buildEnvKeys: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getProjectPreviewEnv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        envKeys: string[];
                        buildEnvKeys: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    replaceProjectPreviewEnv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    env: {
                        [key: string]: string;
                    };
                    buildEnv?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        envKeys: string[];
                        buildEnvKeys: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patchProjectPreviewEnv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    env?: {
                        [key: string]: string | null;
                    };
                    buildEnv?: {
                        [key: string]: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        envKeys: string[];
                        buildEnvKeys: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    setProjectRegistryAuth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    username: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description whether pulls sign in (the credentials are never shown) */
                        registryAuth: boolean;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    clearProjectRegistryAuth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description whether pulls sign in (the credentials are never shown) */
                        registryAuth: boolean;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deployProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ref?: string;
                    image?: string;
                    promote?: boolean;
                    env?: {
                        [key: string]: string;
                    };
                };
                "multipart/form-data": {
                    /** @description the project as a .zip or .tar.gz (recognised by its first bytes) */
                    projectArchive: string;
                    promote?: string;
                    env?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    rollbackProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    deploymentId?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        status: "queued" | "fetching" | "building" | "starting" | "running" | "stopped" | "crashed" | "failed" | "canceled";
                        errorCode: string | null;
                        errorMessage: string | null;
                        source: {
                            /** @enum {string} */
                            type: "git";
                            /** @description credentials redacted */
                            gitUrl: string | null;
                            ref: string | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "archive";
                            /** @enum {string|null} */
                            format: "zip" | "tar.gz" | null;
                            rootDir: string;
                        } | {
                            /** @enum {string} */
                            type: "image";
                            /** @description the prebuilt image as asked (a tag or a digest) */
                            image: string;
                            /** @description the manifest digest the pull got: what runs (null until pulled) */
                            digest: string | null;
                        };
                        port: number;
                        /** @description env values are secrets: only their names are shown */
                        envKeys: string[];
                        url: string;
                        projectUrl: string;
                        /** @description the commit a git source resolved to */
                        commitSha: string | null;
                        /** @description false for a preview: it never takes the project URL by itself */
                        promote: boolean;
                        /** @description whether the project URL serves this deployment now */
                        current: boolean;
                        healthPath: string;
                        /** @description copies it should run (Swarm mode; docker mode runs one): PATCH to scale */
                        replicas: number;
                        /** @description its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode) */
                        processes: {
                            /** @description web (the container the URL routes to) or a process type besides web */
                            type: string;
                            /** @description run with sh -c in the release's image; null: the image's own command (web only) */
                            command: string | null;
                        }[];
                        /** @description the release whose image this one runs (a rollback) */
                        releaseOf: string | null;
                        /** @description when the project URL moved away from it (it drains, then stops) */
                        retiredAt: string | null;
                        /** @description while queued: 1 = next to be taken */
                        queuePosition: number | null;
                        createdAt: string;
                        updatedAt: string;
                        finishedAt: string | null;
                        links: {
                            self: string;
                            logs: string;
                            events: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getDeploymentLogs: {
        parameters: {
            query?: {
                since?: number;
                limit?: number;
                stream?: "build" | "runtime" | "system";
                format?: "json" | "text";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        lines: {
                            seq: number;
                            ts: string;
                            /** @enum {string} */
                            stream: "build" | "runtime" | "system";
                            line: string;
                        }[];
                        /** @description pass as `since` for the next page */
                        nextSince: number;
                        hasMore: boolean;
                    };
                    "text/plain": string;
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getDeploymentMetrics: {
        parameters: {
            query?: {
                /** @description from when (default: 15 minutes ago) */
                since?: string;
                /** @description seconds between points (default: about 300 points over the range, at least 10 s) */
                step?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        since: string;
                        /** @description seconds between points */
                        step: number;
                        replicas: {
                            container: string;
                            points: {
                                at: string;
                                /** @description CPU cores in use on average since the point before (1: one core busy) */
                                cpu: number | null;
                                memoryBytes: number;
                                /** @description the container's memory limit (the host's memory when it has none) */
                                memoryLimitBytes: number;
                                netRxBytesPerSecond: number | null;
                                netTxBytesPerSecond: number | null;
                                restarts: number;
                            }[];
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getProjectRequestMetrics: {
        parameters: {
            query?: {
                /** @description from when (default: 15 minutes ago) */
                since?: string;
                /** @description seconds between points (default: about 300 points over the range, at least 10 s) */
                step?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        project: string;
                        since: string;
                        /** @description seconds between points */
                        step: number;
                        /** @description steps that saw requests, oldest first */
                        points: {
                            /** @description the start of the step */
                            at: string;
                            /** @description every request, 1xx and odd codes included */
                            requests: number;
                            requestsPerSecond: number;
                            status: {
                                "2xx": number;
                                "3xx": number;
                                "4xx": number;
                                "5xx": number;
                            };
                            /** @description median latency in seconds: the upper bound of its histogram bucket (at most 41 % above the true value); null with no requests */
                            p50: number | null;
                            /** @description 95th percentile latency in seconds: the upper bound of its histogram bucket (at most 41 % above the true value); null with no requests */
                            p95: number | null;
                            /** @description 99th percentile latency in seconds: the upper bound of its histogram bucket (at most 41 % above the true value); null with no requests */
                            p99: number | null;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getDeploymentRequestMetrics: {
        parameters: {
            query?: {
                /** @description from when (default: 15 minutes ago) */
                since?: string;
                /** @description seconds between points (default: about 300 points over the range, at least 10 s) */
                step?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        project: string;
                        since: string;
                        /** @description seconds between points */
                        step: number;
                        /** @description steps that saw requests, oldest first */
                        points: {
                            /** @description the start of the step */
                            at: string;
                            /** @description every request, 1xx and odd codes included */
                            requests: number;
                            requestsPerSecond: number;
                            status: {
                                "2xx": number;
                                "3xx": number;
                                "4xx": number;
                                "5xx": number;
                            };
                            /** @description median latency in seconds: the upper bound of its histogram bucket (at most 41 % above the true value); null with no requests */
                            p50: number | null;
                            /** @description 95th percentile latency in seconds: the upper bound of its histogram bucket (at most 41 % above the true value); null with no requests */
                            p95: number | null;
                            /** @description 99th percentile latency in seconds: the upper bound of its histogram bucket (at most 41 % above the true value); null with no requests */
                            p99: number | null;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    streamDeploymentEvents: {
        parameters: {
            query?: {
                /** @description the API token (string), for clients that cannot send headers */
                token?: unknown;
                /** @description the last seq (integer) the client has, when it cannot send Last-Event-ID */
                since?: unknown;
                /** @description `runtime` keeps the stream open while the deployment runs */
                follow?: unknown;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a text/event-stream; reconnect with Last-Event-ID (or ?since=) to resume without gaps */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description the API token (string), for clients that cannot send headers */
                token?: unknown;
                /** @description the last seq (integer) the client has, when it cannot send Last-Event-ID */
                since?: unknown;
                /** @description only this deployment: an alias of GET /api/deployments/{id}/events (the same stream), kept for older clients; use that instead */
                deployment?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a text/event-stream; reconnect with Last-Event-ID (or ?since=) to resume without gaps */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listDomains: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            hostname: string;
                            project: string;
                            /** @description https://<hostname>, with the port when Caddy serves HTTPS on another than 443 */
                            url: string;
                            createdAt: string;
                            /**
                             * @description pending: not routed and no certificate until verified (POST …/domains/:hostname/verify); verified: served
                             * @enum {string}
                             */
                            status: "pending" | "verified";
                            verifiedAt: string | null;
                            /** @description while pending: the DNS record to create before asking to verify */
                            verification?: {
                                /** @enum {string} */
                                type: "TXT";
                                /** @description _berth-challenge.<hostname> */
                                name: string;
                                /** @description this domain's token */
                                value: string;
                            };
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    addDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a lowercase DNS name outside BASE_DOMAIN, e.g. app.example.com */
                    hostname: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hostname: string;
                        project: string;
                        /** @description https://<hostname>, with the port when Caddy serves HTTPS on another than 443 */
                        url: string;
                        createdAt: string;
                        /**
                         * @description pending: not routed and no certificate until verified (POST …/domains/:hostname/verify); verified: served
                         * @enum {string}
                         */
                        status: "pending" | "verified";
                        verifiedAt: string | null;
                        /** @description while pending: the DNS record to create before asking to verify */
                        verification?: {
                            /** @enum {string} */
                            type: "TXT";
                            /** @description _berth-challenge.<hostname> */
                            name: string;
                            /** @description this domain's token */
                            value: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    removeDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                hostname: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hostname: string;
                        project: string;
                        /** @description https://<hostname>, with the port when Caddy serves HTTPS on another than 443 */
                        url: string;
                        createdAt: string;
                        /**
                         * @description pending: not routed and no certificate until verified (POST …/domains/:hostname/verify); verified: served
                         * @enum {string}
                         */
                        status: "pending" | "verified";
                        verifiedAt: string | null;
                        /** @description while pending: the DNS record to create before asking to verify */
                        verification?: {
                            /** @enum {string} */
                            type: "TXT";
                            /** @description _berth-challenge.<hostname> */
                            name: string;
                            /** @description this domain's token */
                            value: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    verifyDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                hostname: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hostname: string;
                        project: string;
                        /** @description https://<hostname>, with the port when Caddy serves HTTPS on another than 443 */
                        url: string;
                        createdAt: string;
                        /**
                         * @description pending: not routed and no certificate until verified (POST …/domains/:hostname/verify); verified: served
                         * @enum {string}
                         */
                        status: "pending" | "verified";
                        verifiedAt: string | null;
                        /** @description while pending: the DNS record to create before asking to verify */
                        verification?: {
                            /** @enum {string} */
                            type: "TXT";
                            /** @description _berth-challenge.<hostname> */
                            name: string;
                            /** @description this domain's token */
                            value: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    isTlsAllowed: {
        parameters: {
            query?: {
                /** @description the name Caddy is about to get a certificate for */
                domain?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description no body */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description no body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listVolumes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            project: string;
                            mountPath: string;
                            /** @description the Docker named volume (by id: one made again under the same name starts empty) */
                            dockerVolume: string;
                            /** @description as the workers last measured it (every REAPER_INTERVAL_MS); null until then */
                            bytesUsed: number | null;
                            measuredAt: string | null;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    addVolume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description e.g. data */
                    name: string;
                    /** @description absolute folder in the container, e.g. /data; not / nor a system folder (/etc, /proc, /usr...) */
                    mountPath: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        project: string;
                        mountPath: string;
                        /** @description the Docker named volume (by id: one made again under the same name starts empty) */
                        dockerVolume: string;
                        /** @description as the workers last measured it (every REAPER_INTERVAL_MS); null until then */
                        bytesUsed: number | null;
                        measuredAt: string | null;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    removeVolume: {
        parameters: {
            query?: {
                /** @description remove it although a running release mounts it (its data goes once no container uses it) */
                force?: boolean;
            };
            header?: never;
            path: {
                name: string;
                volume: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        project: string;
                        mountPath: string;
                        /** @description the Docker named volume (by id: one made again under the same name starts empty) */
                        dockerVolume: string;
                        /** @description as the workers last measured it (every REAPER_INTERVAL_MS); null until then */
                        bytesUsed: number | null;
                        measuredAt: string | null;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    searchProjectLogs: {
        parameters: {
            query: {
                /** @description a substring (case-insensitive), or with regex=true a POSIX regular expression */
                q: string;
                regex?: boolean;
                since?: string;
                until?: string;
                /** @description only this deployment of the project */
                deployment?: string;
                stream?: "build" | "runtime" | "system";
                limit?: number;
                /** @description the `next` of the page before */
                before?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            deploymentId: string;
                            seq: number;
                            ts: string;
                            stream: string;
                            line: string;
                        }[];
                        /** @description pass as `before` for older matches; null when there are none */
                        next: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listServices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description its host name on the project's network */
                            name: string;
                            project: string;
                            /** @enum {string} */
                            type: "postgres" | "redis";
                            version: string;
                            image: string;
                            /** @description the variable the apps get its URL in (the password is in the URL; never shown here) */
                            envName: string;
                            previews: boolean;
                            port: number;
                            /** @description creating, starting, running, unhealthy, restarting, stopped, failed (statusMessage says why: an image missing) or deleting, as the workers last saw it */
                            status: string;
                            statusMessage: string | null;
                            /** @description times Docker restarted it after it exited */
                            restarts: number;
                            container: string;
                            /** @description the Docker volume holding its data (kept on DELETE unless deleteData) */
                            dataVolume: string;
                            /** @description the data volume, as the workers last measured it; null until then */
                            bytesUsed: number | null;
                            measuredAt: string | null;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    addService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    type: "postgres" | "redis";
                    /** @description its host name for the apps; defaults to the type */
                    name?: string;
                    /** @description the image's tag (BERTH_POSTGRES_IMAGE / BERTH_REDIS_IMAGE with this tag); defaults to the setting's */
                    version?: string;
                    /** @description the variable the apps get the URL in; DATABASE_URL (postgres) or REDIS_URL (redis) by default */
                    envName?: string;
                    /** @description true: the project's previews get it too (the same data); false (default): production releases only */
                    previews?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description its host name on the project's network */
                        name: string;
                        project: string;
                        /** @enum {string} */
                        type: "postgres" | "redis";
                        version: string;
                        image: string;
                        /** @description the variable the apps get its URL in (the password is in the URL; never shown here) */
                        envName: string;
                        previews: boolean;
                        port: number;
                        /** @description creating, starting, running, unhealthy, restarting, stopped, failed (statusMessage says why: an image missing) or deleting, as the workers last saw it */
                        status: string;
                        statusMessage: string | null;
                        /** @description times Docker restarted it after it exited */
                        restarts: number;
                        container: string;
                        /** @description the Docker volume holding its data (kept on DELETE unless deleteData) */
                        dataVolume: string;
                        /** @description the data volume, as the workers last measured it; null until then */
                        bytesUsed: number | null;
                        measuredAt: string | null;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    removeService: {
        parameters: {
            query?: {
                /** @description remove its data volume too (default: the volume is kept) */
                deleteData?: boolean;
            };
            header?: never;
            path: {
                name: string;
                service: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description its host name on the project's network */
                        name: string;
                        project: string;
                        /** @enum {string} */
                        type: "postgres" | "redis";
                        version: string;
                        image: string;
                        /** @description the variable the apps get its URL in (the password is in the URL; never shown here) */
                        envName: string;
                        previews: boolean;
                        port: number;
                        /** @description creating, starting, running, unhealthy, restarting, stopped, failed (statusMessage says why: an image missing) or deleting, as the workers last saw it */
                        status: string;
                        statusMessage: string | null;
                        /** @description times Docker restarted it after it exited */
                        restarts: number;
                        container: string;
                        /** @description the Docker volume holding its data (kept on DELETE unless deleteData) */
                        dataVolume: string;
                        /** @description the data volume, as the workers last measured it; null until then */
                        bytesUsed: number | null;
                        measuredAt: string | null;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listRuns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            kind: "one-off" | "job";
                            command: string;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled" | "skipped";
                            /** @description the command's exit code; null until it ends, or when it was killed (timeout, cancel) or never started */
                            exitCode: number | null;
                            /** @description why it failed: RUN_FAILED (non-zero exit), RUN_TIMED_OUT, RUN_IMAGE_GONE, NO_RELEASE, ORPHANED, CANCELED */
                            errorCode: string | null;
                            errorMessage: string | null;
                            /** @description the release whose image, env and volumes it ran with */
                            deploymentId: string | null;
                            timeoutMs: number;
                            createdAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    startRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description run with /bin/sh -c in the current release image, e.g. "npm run migrate" */
                    command: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        kind: "one-off" | "job";
                        command: string;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed" | "canceled" | "skipped";
                        /** @description the command's exit code; null until it ends, or when it was killed (timeout, cancel) or never started */
                        exitCode: number | null;
                        /** @description why it failed: RUN_FAILED (non-zero exit), RUN_TIMED_OUT, RUN_IMAGE_GONE, NO_RELEASE, ORPHANED, CANCELED */
                        errorCode: string | null;
                        errorMessage: string | null;
                        /** @description the release whose image, env and volumes it ran with */
                        deploymentId: string | null;
                        timeoutMs: number;
                        createdAt: string;
                        startedAt: string | null;
                        finishedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        kind: "one-off" | "job";
                        command: string;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed" | "canceled" | "skipped";
                        /** @description the command's exit code; null until it ends, or when it was killed (timeout, cancel) or never started */
                        exitCode: number | null;
                        /** @description why it failed: RUN_FAILED (non-zero exit), RUN_TIMED_OUT, RUN_IMAGE_GONE, NO_RELEASE, ORPHANED, CANCELED */
                        errorCode: string | null;
                        errorMessage: string | null;
                        /** @description the release whose image, env and volumes it ran with */
                        deploymentId: string | null;
                        timeoutMs: number;
                        createdAt: string;
                        startedAt: string | null;
                        finishedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    cancelRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        kind: "one-off" | "job";
                        command: string;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed" | "canceled" | "skipped";
                        /** @description the command's exit code; null until it ends, or when it was killed (timeout, cancel) or never started */
                        exitCode: number | null;
                        /** @description why it failed: RUN_FAILED (non-zero exit), RUN_TIMED_OUT, RUN_IMAGE_GONE, NO_RELEASE, ORPHANED, CANCELED */
                        errorCode: string | null;
                        errorMessage: string | null;
                        /** @description the release whose image, env and volumes it ran with */
                        deploymentId: string | null;
                        timeoutMs: number;
                        createdAt: string;
                        startedAt: string | null;
                        finishedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getRunLogs: {
        parameters: {
            query?: {
                since?: number;
                limit?: number;
            };
            header?: never;
            path: {
                name: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        lines: {
                            seq: number;
                            ts: string;
                            /** @enum {string} */
                            stream: "build" | "runtime" | "system";
                            line: string;
                        }[];
                        /** @description pass as `since` for the next page */
                        nextSince: number;
                        hasMore: boolean;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    streamRunEvents: {
        parameters: {
            query?: {
                token?: unknown;
                since?: unknown;
            };
            header?: never;
            path: {
                name: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a text/event-stream; reconnect with Last-Event-ID (or ?since=) to resume without gaps */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            project: string;
                            schedule: string;
                            command: string;
                            timeoutSeconds: number;
                            timezone: string | null;
                            /** @description the next tick */
                            nextRunAt: string;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    addJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description cron: 5 fields (minute hour day month weekday), or 6 with seconds first */
                    schedule: string;
                    /** @description run with /bin/sh -c in the current release image */
                    command: string;
                    /** @description killed and recorded failed (RUN_TIMED_OUT) past it; default RUN_TIMEOUT_MS */
                    timeoutSeconds?: number;
                    /** @description IANA name the schedule is read in (default UTC) */
                    timezone?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        project: string;
                        schedule: string;
                        command: string;
                        timeoutSeconds: number;
                        timezone: string | null;
                        /** @description the next tick */
                        nextRunAt: string;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    removeJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                job: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        project: string;
                        schedule: string;
                        command: string;
                        timeoutSeconds: number;
                        timezone: string | null;
                        /** @description the next tick */
                        nextRunAt: string;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    updateJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                job: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description cron: 5 fields (minute hour day month weekday), or 6 with seconds first */
                    schedule?: string;
                    /** @description run with /bin/sh -c in the current release image */
                    command?: string;
                    /** @description killed and recorded failed (RUN_TIMED_OUT) past it; default RUN_TIMEOUT_MS */
                    timeoutSeconds?: number;
                    /** @description IANA name the schedule is read in (default UTC) */
                    timezone?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        project: string;
                        schedule: string;
                        command: string;
                        timeoutSeconds: number;
                        timezone: string | null;
                        /** @description the next tick */
                        nextRunAt: string;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listJobRuns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                job: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            project: string;
                            /** @enum {string} */
                            kind: "one-off" | "job";
                            command: string;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled" | "skipped";
                            /** @description the command's exit code; null until it ends, or when it was killed (timeout, cancel) or never started */
                            exitCode: number | null;
                            /** @description why it failed: RUN_FAILED (non-zero exit), RUN_TIMED_OUT, RUN_IMAGE_GONE, NO_RELEASE, ORPHANED, CANCELED */
                            errorCode: string | null;
                            errorMessage: string | null;
                            /** @description the release whose image, env and volumes it ran with */
                            deploymentId: string | null;
                            timeoutMs: number;
                            createdAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    runJobNow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                job: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @enum {string} */
                        kind: "one-off" | "job";
                        command: string;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed" | "canceled" | "skipped";
                        /** @description the command's exit code; null until it ends, or when it was killed (timeout, cancel) or never started */
                        exitCode: number | null;
                        /** @description why it failed: RUN_FAILED (non-zero exit), RUN_TIMED_OUT, RUN_IMAGE_GONE, NO_RELEASE, ORPHANED, CANCELED */
                        errorCode: string | null;
                        errorMessage: string | null;
                        /** @description the release whose image, env and volumes it ran with */
                        deploymentId: string | null;
                        timeoutMs: number;
                        createdAt: string;
                        startedAt: string | null;
                        finishedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listServiceBackups: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                service: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            project: string;
                            service: string;
                            /** @enum {string} */
                            type: "postgres" | "redis";
                            /**
                             * @description a backup taken, or a restore of backupId into the service
                             * @enum {string}
                             */
                            kind: "backup" | "restore";
                            /** @description a restore's backup */
                            backupId: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed";
                            /** @description a backup: its stored file's size (compressed, encrypted); a restore: the dump's size it applied */
                            bytes: number | null;
                            errorCode: string | null;
                            /** @description why it failed, in a sentence without the data */
                            errorMessage: string | null;
                            /** @description the tool's last output lines, which may quote the service's rows: only for callers who may read the project's secrets (null for others) */
                            errorDetail: string | null;
                            createdAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    backUpService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                service: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        service: string;
                        /** @enum {string} */
                        type: "postgres" | "redis";
                        /**
                         * @description a backup taken, or a restore of backupId into the service
                         * @enum {string}
                         */
                        kind: "backup" | "restore";
                        /** @description a restore's backup */
                        backupId: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed";
                        /** @description a backup: its stored file's size (compressed, encrypted); a restore: the dump's size it applied */
                        bytes: number | null;
                        errorCode: string | null;
                        /** @description why it failed, in a sentence without the data */
                        errorMessage: string | null;
                        /** @description the tool's last output lines, which may quote the service's rows: only for callers who may read the project's secrets (null for others) */
                        errorDetail: string | null;
                        createdAt: string;
                        startedAt: string | null;
                        finishedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    restoreServiceBackup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                service: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a new service of the project, of the backup's type and its service's version, made for this restore (the backup's service is left untouched); absent: into the backup's own service */
                    into?: string;
                    /** @description with into: the variable the apps get the new service's URL in; defaults to the name in capitals, - as _, and _URL (copy-db: COPY_DB_URL) */
                    envName?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        service: string;
                        /** @enum {string} */
                        type: "postgres" | "redis";
                        /**
                         * @description a backup taken, or a restore of backupId into the service
                         * @enum {string}
                         */
                        kind: "backup" | "restore";
                        /** @description a restore's backup */
                        backupId: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "succeeded" | "failed";
                        /** @description a backup: its stored file's size (compressed, encrypted); a restore: the dump's size it applied */
                        bytes: number | null;
                        errorCode: string | null;
                        /** @description why it failed, in a sentence without the data */
                        errorMessage: string | null;
                        /** @description the tool's last output lines, which may quote the service's rows: only for callers who may read the project's secrets (null for others) */
                        errorDetail: string | null;
                        createdAt: string;
                        startedAt: string | null;
                        finishedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    downloadServiceBackup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                service: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the backup, decrypted: gzip of pg_dump's custom format (Postgres) or of a Redis RDB snapshot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/gzip": string;
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    setServiceBackupSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                service: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description cron in UTC: 5 fields (minute hour day month weekday), or 6 with seconds first; null: on demand only */
                    schedule: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        service: string;
                        schedule: string | null;
                        nextBackupAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            project: string;
                            /** @description shown whole only to callers who may read the project's secrets (its admins); others see its origin */
                            url: string;
                            events: ("deployment.running" | "deployment.failed" | "deployment.canceled" | "deployment.crashed" | "deployment.stopped" | "release.promoted" | "release.rolled_back" | "job.failed" | "backup.failed")[];
                            /** @description only in the answer that created it: it signs every delivery (X-Berth-Signature) */
                            secret?: string;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                    events: ("deployment.running" | "deployment.failed" | "deployment.canceled" | "deployment.crashed" | "deployment.stopped" | "release.promoted" | "release.rolled_back" | "job.failed" | "backup.failed")[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @description shown whole only to callers who may read the project's secrets (its admins); others see its origin */
                        url: string;
                        events: ("deployment.running" | "deployment.failed" | "deployment.canceled" | "deployment.crashed" | "deployment.stopped" | "release.promoted" | "release.rolled_back" | "job.failed" | "backup.failed")[];
                        /** @description only in the answer that created it: it signs every delivery (X-Berth-Signature) */
                        secret?: string;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @description shown whole only to callers who may read the project's secrets (its admins); others see its origin */
                        url: string;
                        events: ("deployment.running" | "deployment.failed" | "deployment.canceled" | "deployment.crashed" | "deployment.stopped" | "release.promoted" | "release.rolled_back" | "job.failed" | "backup.failed")[];
                        /** @description only in the answer that created it: it signs every delivery (X-Berth-Signature) */
                        secret?: string;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            event: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                            attempts: number;
                            lastStatusCode: number | null;
                            lastError: string | null;
                            durationMs: number | null;
                            redeliveryOf: string | null;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    redeliverWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        event: string;
                        /** @enum {string} */
                        status: "pending" | "succeeded" | "failed";
                        attempts: number;
                        lastStatusCode: number | null;
                        lastError: string | null;
                        durationMs: number | null;
                        redeliveryOf: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listLogDrains: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            project: string;
                            /** @description an https URL is shown whole only to callers who may read the project's secrets (its admins); others see its origin */
                            url: string;
                            /** @enum {string} */
                            kind: "syslog" | "https";
                            /**
                             * @description paused: LOG_DRAIN_PAUSE_AFTER batches in a row failed; still tried, and a delivered batch makes it active again
                             * @enum {string}
                             */
                            status: "active" | "paused";
                            /** @description failed batches in a row */
                            failures: number;
                            lastError: string | null;
                            /** @description no attempt before this (the back-off after a failure) */
                            retryAt: string | null;
                            /** @description when a batch was last delivered */
                            deliveredAt: string | null;
                            /** @description https drains, only in the answer that created it: it signs every batch (X-Berth-Signature) */
                            secret?: string;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    createLogDrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @description an https URL is shown whole only to callers who may read the project's secrets (its admins); others see its origin */
                        url: string;
                        /** @enum {string} */
                        kind: "syslog" | "https";
                        /**
                         * @description paused: LOG_DRAIN_PAUSE_AFTER batches in a row failed; still tried, and a delivered batch makes it active again
                         * @enum {string}
                         */
                        status: "active" | "paused";
                        /** @description failed batches in a row */
                        failures: number;
                        lastError: string | null;
                        /** @description no attempt before this (the back-off after a failure) */
                        retryAt: string | null;
                        /** @description when a batch was last delivered */
                        deliveredAt: string | null;
                        /** @description https drains, only in the answer that created it: it signs every batch (X-Berth-Signature) */
                        secret?: string;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    deleteLogDrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @description an https URL is shown whole only to callers who may read the project's secrets (its admins); others see its origin */
                        url: string;
                        /** @enum {string} */
                        kind: "syslog" | "https";
                        /**
                         * @description paused: LOG_DRAIN_PAUSE_AFTER batches in a row failed; still tried, and a delivered batch makes it active again
                         * @enum {string}
                         */
                        status: "active" | "paused";
                        /** @description failed batches in a row */
                        failures: number;
                        lastError: string | null;
                        /** @description no attempt before this (the back-off after a failure) */
                        retryAt: string | null;
                        /** @description when a batch was last delivered */
                        deliveredAt: string | null;
                        /** @description https drains, only in the answer that created it: it signs every batch (X-Berth-Signature) */
                        secret?: string;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    resumeLogDrain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        /** @description an https URL is shown whole only to callers who may read the project's secrets (its admins); others see its origin */
                        url: string;
                        /** @enum {string} */
                        kind: "syslog" | "https";
                        /**
                         * @description paused: LOG_DRAIN_PAUSE_AFTER batches in a row failed; still tried, and a delivered batch makes it active again
                         * @enum {string}
                         */
                        status: "active" | "paused";
                        /** @description failed batches in a row */
                        failures: number;
                        lastError: string | null;
                        /** @description no attempt before this (the back-off after a failure) */
                        retryAt: string | null;
                        /** @description when a batch was last delivered */
                        deliveredAt: string | null;
                        /** @description https drains, only in the answer that created it: it signs every batch (X-Berth-Signature) */
                        secret?: string;
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    receiveGitHook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "pong" | "ignored" | "skipped" | "deploy" | "preview" | "stopped";
                        reason?: string;
                        deploymentId?: string;
                        url?: string;
                        stopped?: string[];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "pong" | "ignored" | "skipped" | "deploy" | "preview" | "stopped";
                        reason?: string;
                        deploymentId?: string;
                        url?: string;
                        stopped?: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    /** @description the authenticator app's current code, when the account has TOTP on */
                    totp?: string;
                    /** @description or one of the recovery codes (each works once) */
                    recoveryCode?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            /** @enum {string} */
                            role: "owner" | "member";
                            /** @description false until the person has used their one-time link */
                            hasPassword: boolean;
                            totpEnabled: boolean;
                            disabledAt: string | null;
                            createdAt: string;
                        };
                        /** @description send as the x-berth-csrf header on every request that changes something */
                        csrfToken: string;
                        /** @description the latest the session can last (it ends sooner when idle) */
                        expiresAt?: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the signed-in person, or the personal token’s owner; null for an instance token or deploy key */
                        user: {
                            id: string;
                            email: string;
                            /** @enum {string} */
                            role: "owner" | "member";
                            /** @description false until the person has used their one-time link */
                            hasPassword: boolean;
                            totpEnabled: boolean;
                            disabledAt: string | null;
                            createdAt: string;
                        } | null;
                        actor: {
                            kind: string;
                            id: string | null;
                            name: string | null;
                        };
                        /** @description project → role, for a person */
                        projects: {
                            [key: string]: string;
                        };
                        /** @description a session’s CSRF token (a reloaded page gets it here) */
                        csrfToken?: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    setPasswordWithLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            /** @enum {string} */
                            role: "owner" | "member";
                            /** @description false until the person has used their one-time link */
                            hasPassword: boolean;
                            totpEnabled: boolean;
                            disabledAt: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    beginTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description base32, for typing into an authenticator app */
                        secret: string;
                        /** @description the same as an otpauth:// URI (show it as a QR code) */
                        otpauthUri: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    confirmTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description each works once instead of a code; shown only here */
                        recoveryCodes: string[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    disableTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                };
            };
        };
        responses: {
            /** @description no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            email: string;
                            /** @enum {string} */
                            role: "owner" | "member";
                            /** @description false until the person has used their one-time link */
                            hasPassword: boolean;
                            totpEnabled: boolean;
                            disabledAt: string | null;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    inviteUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    /**
                     * @default member
                     * @enum {string}
                     */
                    role?: "owner" | "member";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            /** @enum {string} */
                            role: "owner" | "member";
                            /** @description false until the person has used their one-time link */
                            hasPassword: boolean;
                            totpEnabled: boolean;
                            disabledAt: string | null;
                            createdAt: string;
                        };
                        link: {
                            /** @description the dashboard page that sets the password; shown only here */
                            url: string;
                            /** @description the link secret (POST /api/auth/setup takes it); shown only here */
                            token: string;
                            expiresAt: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    resetUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        link: {
                            /** @description the dashboard page that sets the password; shown only here */
                            url: string;
                            /** @description the link secret (POST /api/auth/setup takes it); shown only here */
                            token: string;
                            expiresAt: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role?: "owner" | "member";
                    /** @description true: sessions and tokens stop at once; false: may sign in again (old sessions and tokens stay revoked) */
                    disabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            /** @enum {string} */
                            role: "owner" | "member";
                            /** @description false until the person has used their one-time link */
                            hasPassword: boolean;
                            totpEnabled: boolean;
                            disabledAt: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            userId: string;
                            email: string;
                            /** @enum {string} */
                            role: "admin" | "deployer" | "viewer";
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description who (an existing user: an owner invites people first) */
                    email?: string;
                    /** @description or their id */
                    userId?: string;
                    /** @enum {string} */
                    role: "admin" | "deployer" | "viewer";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        userId: string;
                        email: string;
                        /** @enum {string} */
                        role: "admin" | "deployer" | "viewer";
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    changeMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "admin" | "deployer" | "viewer";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        userId: string;
                        email: string;
                        /** @enum {string} */
                        role: "admin" | "deployer" | "viewer";
                        createdAt: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listDeployKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            project: string;
                            name: string;
                            /** @description the user who made it (null: an instance token) */
                            createdBy: string | null;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    createDeployKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description what uses it, e.g. "github-actions" */
                    name: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        name: string;
                        /** @description the user who made it (null: an instance token) */
                        createdBy: string | null;
                        createdAt: string;
                        lastUsedAt: string | null;
                        revokedAt: string | null;
                        /** @description the secret (berthdk_…): Authorization: Bearer <key>; shown only here */
                        key: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    revokeDeployKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        project: string;
                        name: string;
                        /** @description the user who made it (null: an instance token) */
                        createdBy: string | null;
                        createdAt: string;
                        lastUsedAt: string | null;
                        revokedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            /** @enum {string} */
                            scope: "read" | "deploy" | "admin";
                            /** @description whose personal token it is; null: an instance token (owner-level within its scope) */
                            ownerUserId: string | null;
                            /** @description the only projects it may touch; null: all its owner may */
                            projects: string[] | null;
                            expiresAt: string | null;
                            /** @description recorded at most once a minute */
                            lastUsedAt: string | null;
                            createdAt: string;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    scope: "read" | "deploy" | "admin";
                    /** @description limit the token to these projects */
                    projects?: string[];
                    /**
                     * Format: date-time
                     * @description when it stops working (ISO 8601, in the future)
                     */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @enum {string} */
                        scope: "read" | "deploy" | "admin";
                        /** @description whose personal token it is; null: an instance token (owner-level within its scope) */
                        ownerUserId: string | null;
                        /** @description the only projects it may touch; null: all its owner may */
                        projects: string[] | null;
                        expiresAt: string | null;
                        /** @description recorded at most once a minute */
                        lastUsedAt: string | null;
                        createdAt: string;
                        revokedAt: string | null;
                        /** @description the secret; shown only here */
                        token: string;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @enum {string} */
                        scope: "read" | "deploy" | "admin";
                        /** @description whose personal token it is; null: an instance token (owner-level within its scope) */
                        ownerUserId: string | null;
                        /** @description the only projects it may touch; null: all its owner may */
                        projects: string[] | null;
                        expiresAt: string | null;
                        /** @description recorded at most once a minute */
                        lastUsedAt: string | null;
                        createdAt: string;
                        revokedAt: string | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listAudit: {
        parameters: {
            query?: {
                /** @description only this project's rows */
                project?: string;
                /** @description only rows of this actor id (a user, token or deploy key id) */
                actor?: string;
                /** @description an action (`member.add`), or all of a kind (`member.*`) */
                action?: string;
                /** @description rows older than this id: the previous page's nextBefore */
                before?: number;
                /** @description rows per page (50 unless asked) */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: number;
                            at: string;
                            /** @enum {string} */
                            actorKind: "user" | "token" | "deploy-key" | "system" | "anonymous";
                            actorId: string | null;
                            actorName: string | null;
                            action: string;
                            targetKind: string | null;
                            targetId: string | null;
                            project: string | null;
                            clientAddress: string | null;
                            /** @enum {string} */
                            result: "ok" | "denied" | "failed";
                            detail: {
                                [key: string]: unknown;
                            };
                        }[];
                        /** @description pass as before for the next (older) page; null on the last */
                        nextBefore: number | null;
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the Prometheus text exposition format (version 0.0.4) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
    listWorkers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description its name in logs */
                            id: string;
                            host: string;
                            pid: number;
                            /** @description jobs it runs at once */
                            concurrency: number;
                            /** @description ids of the deployments it is working on */
                            running: string[];
                            startedAt: string;
                            lastHeartbeat: string;
                        }[];
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
            /** @description an error, with a stable code (README: Lifecycle and error codes) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description a stable code from the error registry (@berth/shared/errors) */
                            code: string;
                            message: string;
                        };
                    };
                };
            };
        };
    };
}

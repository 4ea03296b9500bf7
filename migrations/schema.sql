CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';
CREATE FUNCTION public.audit_log_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    declare
      cutoff timestamptz := nullif(current_setting('berth.audit_prune_before', true), '')::timestamptz;
    begin
      if tg_op = 'DELETE' and cutoff is not null and cutoff <= now() - interval '1 day' and old.at < cutoff then
        return old;
      end if;
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$;
CREATE FUNCTION public.audit_log_prune(keep interval) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public'
    AS $$
    declare
      cutoff timestamptz := now() - keep;
      bound bigint;
      removed bigint;
    begin
      if keep < interval '1 day' then
        raise exception 'audit retention is at least one day, not %', keep using errcode = 'invalid_parameter_value';
      end if;
      select coalesce((select min(id) from audit_log where at >= cutoff), (select max(id) from audit_log)) into bound;
      perform set_config('berth.audit_prune_before', cutoff::text, true);
      delete from audit_log where id < bound and at < cutoff;
      get diagnostics removed = row_count;
      perform set_config('berth.audit_prune_before', '', true);
      return removed;
    end $$;
CREATE FUNCTION public.webhook_outbox_notice() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      perform pg_notify('webhook_outbox', '');
      return null;
    end $$;
CREATE TABLE public.api_tokens (
    id text NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    scope text DEFAULT 'admin'::text NOT NULL,
    owner_user_id text,
    projects text[],
    expires_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT api_tokens_scope_check CHECK ((scope = ANY (ARRAY['admin'::text, 'deploy'::text, 'read'::text])))
);
CREATE TABLE public.app_metric_rollups (
    deployment_id text NOT NULL,
    container text NOT NULL,
    at timestamp with time zone NOT NULL,
    cpu_ns bigint NOT NULL,
    memory_bytes bigint NOT NULL,
    memory_limit_bytes bigint NOT NULL,
    net_rx_bytes bigint NOT NULL,
    net_tx_bytes bigint NOT NULL,
    restarts integer DEFAULT 0 NOT NULL
);
CREATE TABLE public.app_metric_samples (
    deployment_id text NOT NULL,
    container text NOT NULL,
    at timestamp with time zone NOT NULL,
    cpu_ns bigint NOT NULL,
    memory_bytes bigint NOT NULL,
    memory_limit_bytes bigint NOT NULL,
    net_rx_bytes bigint NOT NULL,
    net_tx_bytes bigint NOT NULL,
    restarts integer DEFAULT 0 NOT NULL
);
CREATE TABLE public.app_request_metrics (
    deployment_id text NOT NULL,
    at timestamp with time zone NOT NULL,
    requests integer NOT NULL,
    status_2xx integer NOT NULL,
    status_3xx integer NOT NULL,
    status_4xx integer NOT NULL,
    status_5xx integer NOT NULL,
    latency_counts integer[] NOT NULL
);
CREATE TABLE public.app_request_rollups (
    deployment_id text NOT NULL,
    at timestamp with time zone NOT NULL,
    requests integer NOT NULL,
    status_2xx integer NOT NULL,
    status_3xx integer NOT NULL,
    status_4xx integer NOT NULL,
    status_5xx integer NOT NULL,
    latency_counts integer[] NOT NULL
);
CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_kind text NOT NULL,
    actor_id text,
    actor_name text,
    action text NOT NULL,
    target_kind text,
    target_id text,
    project text,
    client_address text,
    result text NOT NULL,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    CONSTRAINT audit_log_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'token'::text, 'deploy-key'::text, 'system'::text, 'anonymous'::text]))),
    CONSTRAINT audit_log_result_check CHECK ((result = ANY (ARRAY['ok'::text, 'denied'::text, 'failed'::text])))
);
CREATE SEQUENCE public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;
CREATE TABLE public.backups (
    id text NOT NULL,
    project text NOT NULL,
    service_id text NOT NULL,
    service_name text NOT NULL,
    service_type text NOT NULL,
    kind text NOT NULL,
    backup_id text,
    status text NOT NULL,
    bytes bigint,
    error_code text,
    error_message text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    error_detail text,
    CONSTRAINT backups_kind_check CHECK ((kind = ANY (ARRAY['backup'::text, 'restore'::text]))),
    CONSTRAINT backups_service_type_check CHECK ((service_type = ANY (ARRAY['postgres'::text, 'redis'::text]))),
    CONSTRAINT backups_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'running'::text, 'succeeded'::text, 'failed'::text])))
);
CREATE TABLE public.deploy_keys (
    id text NOT NULL,
    project text NOT NULL,
    name text NOT NULL,
    key_hash text NOT NULL,
    created_by text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);
CREATE TABLE public.deployment_archives (
    deployment_id text NOT NULL,
    data bytea NOT NULL
);
CREATE TABLE public.deployment_log_chunks (
    deployment_id text NOT NULL,
    first_seq bigint NOT NULL,
    last_seq bigint NOT NULL,
    first_ts timestamp with time zone NOT NULL,
    last_ts timestamp with time zone NOT NULL,
    body text NOT NULL
);
CREATE TABLE public.deployment_logs (
    deployment_id text NOT NULL,
    seq bigint NOT NULL,
    ts timestamp with time zone NOT NULL,
    stream text NOT NULL,
    line text NOT NULL
);
CREATE TABLE public.deployment_transitions (
    id bigint NOT NULL,
    deployment_id text NOT NULL,
    status text NOT NULL,
    error_code text,
    error_message text,
    at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE SEQUENCE public.deployment_transitions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.deployment_transitions_id_seq OWNED BY public.deployment_transitions.id;
CREATE TABLE public.deployments (
    id text NOT NULL,
    project text NOT NULL,
    status text NOT NULL,
    error_code text,
    error_message text,
    source_type text NOT NULL,
    git_url text,
    git_ref text,
    root_dir text DEFAULT ''::text NOT NULL,
    archive_format text,
    port integer NOT NULL,
    env jsonb DEFAULT '{}'::jsonb NOT NULL,
    image text,
    container_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    commit_sha text,
    promote boolean DEFAULT true NOT NULL,
    health_path text DEFAULT '/'::text NOT NULL,
    env_sealed text,
    build_env_sealed text,
    release_of text,
    retired_at timestamp with time zone,
    image_bytes bigint,
    branch text,
    commit_author text,
    commit_message text,
    replicas integer DEFAULT 1 NOT NULL,
    processes jsonb,
    source_image text,
    image_digest text,
    runtime text,
    CONSTRAINT deployments_replicas_check CHECK ((replicas >= 1)),
    CONSTRAINT deployments_runtime_check CHECK ((runtime = ANY (ARRAY['docker'::text, 'swarm'::text]))),
    CONSTRAINT deployments_source_type_check CHECK ((source_type = ANY (ARRAY['git'::text, 'archive'::text, 'image'::text]))),
    CONSTRAINT deployments_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'fetching'::text, 'building'::text, 'starting'::text, 'running'::text, 'stopped'::text, 'crashed'::text, 'failed'::text, 'canceled'::text])))
);
CREATE TABLE public.domains (
    hostname text NOT NULL,
    project text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    verification_token text,
    verified_at timestamp with time zone
);
CREATE TABLE public.hook_deliveries (
    project text NOT NULL,
    delivery_id text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.jobs (
    id text NOT NULL,
    project text NOT NULL,
    name text NOT NULL,
    schedule text NOT NULL,
    command text NOT NULL,
    timeout_seconds integer,
    timezone text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.kysely_migration (
    name character varying(255) NOT NULL,
    "timestamp" character varying(255) NOT NULL
);
CREATE TABLE public.kysely_migration_lock (
    id character varying(255) NOT NULL,
    is_locked integer DEFAULT 0 NOT NULL
);
CREATE TABLE public.log_drain_cursors (
    drain_id text NOT NULL,
    deployment_id text NOT NULL,
    last_seq bigint NOT NULL
);
CREATE TABLE public.log_drains (
    id text NOT NULL,
    project text NOT NULL,
    url text NOT NULL,
    secret_sealed text,
    status text DEFAULT 'active'::text NOT NULL,
    failures integer DEFAULT 0 NOT NULL,
    last_error text,
    retry_at timestamp with time zone,
    lease_owner text,
    lease_until timestamp with time zone,
    delivered_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT log_drains_status_check CHECK ((status = ANY (ARRAY['active'::text, 'paused'::text])))
);
CREATE TABLE public.project_members (
    project text NOT NULL,
    user_id text NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_members_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'deployer'::text, 'viewer'::text])))
);
CREATE TABLE public.projects (
    name text NOT NULL,
    current_deployment_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    id text NOT NULL,
    git_url text,
    git_ref text,
    root_dir text DEFAULT ''::text NOT NULL,
    port integer,
    health_path text DEFAULT '/'::text NOT NULL,
    env_sealed text,
    build_env_sealed text,
    hook_secret_sealed text,
    replicas integer DEFAULT 1 NOT NULL,
    preview_env_sealed text,
    preview_build_env_sealed text,
    previews_inherit_env boolean DEFAULT false NOT NULL,
    deploy_strategy text DEFAULT 'start-first'::text NOT NULL,
    release_command text,
    preview_volumes boolean DEFAULT false NOT NULL,
    process_counts jsonb DEFAULT '{}'::jsonb NOT NULL,
    registry_auth_sealed text,
    watch_paths jsonb,
    last_skipped_push jsonb,
    CONSTRAINT projects_deploy_strategy_check CHECK ((deploy_strategy = ANY (ARRAY['start-first'::text, 'stop-first'::text]))),
    CONSTRAINT projects_replicas_check CHECK ((replicas >= 1))
);
CREATE TABLE public.run_logs (
    run_id text NOT NULL,
    seq bigint NOT NULL,
    ts timestamp with time zone NOT NULL,
    stream text NOT NULL,
    line text NOT NULL
);
CREATE TABLE public.runs (
    id text NOT NULL,
    project text NOT NULL,
    kind text NOT NULL,
    job_id text,
    command text NOT NULL,
    status text NOT NULL,
    exit_code integer,
    error_code text,
    error_message text,
    deployment_id text,
    timeout_ms integer NOT NULL,
    cancel_requested boolean DEFAULT false NOT NULL,
    worker text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    CONSTRAINT runs_kind_check CHECK ((kind = ANY (ARRAY['one-off'::text, 'job'::text]))),
    CONSTRAINT runs_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'running'::text, 'succeeded'::text, 'failed'::text, 'canceled'::text, 'skipped'::text])))
);
CREATE TABLE public.runtime_log_followers (
    deployment_id text NOT NULL,
    follower text NOT NULL,
    claimed_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.services (
    id text NOT NULL,
    project text NOT NULL,
    name text NOT NULL,
    type text NOT NULL,
    version text NOT NULL,
    image text NOT NULL,
    env_name text NOT NULL,
    previews boolean DEFAULT false NOT NULL,
    password_sealed text NOT NULL,
    status text DEFAULT 'creating'::text NOT NULL,
    status_message text,
    restarts integer DEFAULT 0 NOT NULL,
    bytes_used bigint,
    measured_at timestamp with time zone,
    delete_requested boolean DEFAULT false NOT NULL,
    delete_data boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    backup_schedule text,
    CONSTRAINT services_type_check CHECK ((type = ANY (ARRAY['postgres'::text, 'redis'::text])))
);
CREATE TABLE public.sessions (
    id_hash text NOT NULL,
    user_id text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    idle_expires_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    client_address text
);
CREATE TABLE public.user_recovery_codes (
    user_id text NOT NULL,
    code_hash text NOT NULL,
    used_at timestamp with time zone
);
CREATE TABLE public.user_setup_links (
    token_hash text NOT NULL,
    user_id text NOT NULL,
    purpose text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT user_setup_links_purpose_check CHECK ((purpose = ANY (ARRAY['invite'::text, 'set-password'::text, 'reset'::text])))
);
CREATE TABLE public.users (
    id text NOT NULL,
    email text NOT NULL,
    password_hash text,
    role text DEFAULT 'member'::text NOT NULL,
    disabled_at timestamp with time zone,
    totp_secret_sealed text,
    totp_enabled boolean DEFAULT false NOT NULL,
    totp_last_step bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'member'::text])))
);
CREATE TABLE public.volumes (
    id text NOT NULL,
    project text NOT NULL,
    name text NOT NULL,
    mount_path text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    bytes_used bigint,
    measured_at timestamp with time zone,
    node_id text
);
CREATE TABLE public.webhook_deliveries (
    id text NOT NULL,
    webhook_id text NOT NULL,
    event text NOT NULL,
    payload jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    enqueued boolean DEFAULT false NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_status_code integer,
    last_error text,
    duration_ms integer,
    redelivery_of text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT webhook_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text])))
);
CREATE TABLE public.webhooks (
    id text NOT NULL,
    project text NOT NULL,
    url text NOT NULL,
    events text[] NOT NULL,
    secret_sealed text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE ONLY public.deployment_transitions ALTER COLUMN id SET DEFAULT nextval('public.deployment_transitions_id_seq'::regclass);
ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);
ALTER TABLE ONLY public.app_metric_rollups
    ADD CONSTRAINT app_metric_rollups_pk PRIMARY KEY (deployment_id, container, at);
ALTER TABLE ONLY public.app_metric_samples
    ADD CONSTRAINT app_metric_samples_pk PRIMARY KEY (deployment_id, container, at);
ALTER TABLE ONLY public.app_request_rollups
    ADD CONSTRAINT app_request_rollups_pk PRIMARY KEY (deployment_id, at);
ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_hash_key UNIQUE (hash);
ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.backups
    ADD CONSTRAINT backups_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.deploy_keys
    ADD CONSTRAINT deploy_keys_key_hash_key UNIQUE (key_hash);
ALTER TABLE ONLY public.deploy_keys
    ADD CONSTRAINT deploy_keys_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.deployment_archives
    ADD CONSTRAINT deployment_archives_pkey PRIMARY KEY (deployment_id);
ALTER TABLE ONLY public.deployment_log_chunks
    ADD CONSTRAINT deployment_log_chunks_pk PRIMARY KEY (deployment_id, first_seq);
ALTER TABLE ONLY public.deployment_logs
    ADD CONSTRAINT deployment_logs_pk PRIMARY KEY (deployment_id, seq);
ALTER TABLE ONLY public.deployment_transitions
    ADD CONSTRAINT deployment_transitions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.domains
    ADD CONSTRAINT domains_pkey PRIMARY KEY (hostname, project);
ALTER TABLE ONLY public.hook_deliveries
    ADD CONSTRAINT hook_deliveries_pkey PRIMARY KEY (project, delivery_id);
ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_project_name_key UNIQUE (project, name);
ALTER TABLE ONLY public.kysely_migration_lock
    ADD CONSTRAINT kysely_migration_lock_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.kysely_migration
    ADD CONSTRAINT kysely_migration_pkey PRIMARY KEY (name);
ALTER TABLE ONLY public.log_drain_cursors
    ADD CONSTRAINT log_drain_cursors_pkey PRIMARY KEY (drain_id, deployment_id);
ALTER TABLE ONLY public.log_drains
    ADD CONSTRAINT log_drains_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.project_members
    ADD CONSTRAINT project_members_pkey PRIMARY KEY (project, user_id);
ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_id_key UNIQUE (id);
ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (name);
ALTER TABLE ONLY public.run_logs
    ADD CONSTRAINT run_logs_pk PRIMARY KEY (run_id, seq);
ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.runtime_log_followers
    ADD CONSTRAINT runtime_log_followers_pkey PRIMARY KEY (deployment_id);
ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_project_env_name_key UNIQUE (project, env_name);
ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_project_name_key UNIQUE (project, name);
ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id_hash);
ALTER TABLE ONLY public.user_recovery_codes
    ADD CONSTRAINT user_recovery_codes_pkey PRIMARY KEY (user_id, code_hash);
ALTER TABLE ONLY public.user_setup_links
    ADD CONSTRAINT user_setup_links_pkey PRIMARY KEY (token_hash);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.volumes
    ADD CONSTRAINT volumes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.volumes
    ADD CONSTRAINT volumes_project_mount_key UNIQUE (project, mount_path);
ALTER TABLE ONLY public.volumes
    ADD CONSTRAINT volumes_project_name_key UNIQUE (project, name);
ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_pkey PRIMARY KEY (id);
CREATE INDEX api_tokens_owner_idx ON public.api_tokens USING btree (owner_user_id);
CREATE INDEX app_metric_rollups_at ON public.app_metric_rollups USING btree (at);
CREATE INDEX app_metric_samples_at ON public.app_metric_samples USING btree (at);
CREATE INDEX app_request_metrics_at ON public.app_request_metrics USING btree (at);
CREATE INDEX app_request_metrics_deployment_at ON public.app_request_metrics USING btree (deployment_id, at);
CREATE INDEX app_request_rollups_at ON public.app_request_rollups USING btree (at);
CREATE INDEX audit_log_action_idx ON public.audit_log USING btree (action, id);
CREATE INDEX audit_log_actor_idx ON public.audit_log USING btree (actor_id, id);
CREATE INDEX audit_log_at_idx ON public.audit_log USING btree (at);
CREATE INDEX audit_log_project_idx ON public.audit_log USING btree (project, id);
CREATE UNIQUE INDEX backups_one_active_per_service ON public.backups USING btree (service_id) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text]));
CREATE INDEX backups_service_created ON public.backups USING btree (service_id, created_at DESC);
CREATE INDEX deploy_keys_project_idx ON public.deploy_keys USING btree (project);
CREATE INDEX deployment_log_chunks_body ON public.deployment_log_chunks USING gin (body public.gin_trgm_ops);
CREATE INDEX deployment_transitions_deployment_idx ON public.deployment_transitions USING btree (deployment_id, id);
CREATE INDEX deployments_created_idx ON public.deployments USING btree (created_at DESC, id DESC);
CREATE INDEX deployments_project_branch_idx ON public.deployments USING btree (project, branch, created_at);
CREATE INDEX deployments_project_idx ON public.deployments USING btree (project, created_at);
CREATE INDEX deployments_queued_idx ON public.deployments USING btree (created_at, id) WHERE (status = 'queued'::text);
CREATE INDEX deployments_status_idx ON public.deployments USING btree (status);
CREATE INDEX domains_project_idx ON public.domains USING btree (project);
CREATE UNIQUE INDEX domains_verified_hostname ON public.domains USING btree (hostname) WHERE (verified_at IS NOT NULL);
CREATE INDEX log_drain_cursors_deployment ON public.log_drain_cursors USING btree (deployment_id);
CREATE INDEX log_drains_project ON public.log_drains USING btree (project);
CREATE INDEX project_members_user_idx ON public.project_members USING btree (user_id);
CREATE INDEX runs_job_created ON public.runs USING btree (job_id, created_at DESC) WHERE (job_id IS NOT NULL);
CREATE UNIQUE INDEX runs_one_active_per_job ON public.runs USING btree (job_id) WHERE ((job_id IS NOT NULL) AND (status = ANY (ARRAY['queued'::text, 'running'::text])));
CREATE INDEX runs_project_created ON public.runs USING btree (project, created_at DESC);
CREATE INDEX sessions_user_idx ON public.sessions USING btree (user_id);
CREATE INDEX user_setup_links_user_idx ON public.user_setup_links USING btree (user_id);
CREATE UNIQUE INDEX users_email_key ON public.users USING btree (lower(email));
CREATE INDEX webhook_deliveries_unsent_idx ON public.webhook_deliveries USING btree (created_at) WHERE (NOT enqueued);
CREATE INDEX webhook_deliveries_webhook_idx ON public.webhook_deliveries USING btree (webhook_id, created_at);
CREATE INDEX webhooks_project_idx ON public.webhooks USING btree (project);
CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_guard();
CREATE TRIGGER webhook_outbox_notice AFTER INSERT ON public.webhook_deliveries FOR EACH STATEMENT EXECUTE FUNCTION public.webhook_outbox_notice();
ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_owner_user_id_fkey FOREIGN KEY (owner_user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.app_metric_rollups
    ADD CONSTRAINT app_metric_rollups_deployment_fk FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.app_metric_samples
    ADD CONSTRAINT app_metric_samples_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.app_request_metrics
    ADD CONSTRAINT app_request_metrics_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.app_request_rollups
    ADD CONSTRAINT app_request_rollups_deployment_fk FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.backups
    ADD CONSTRAINT backups_backup_id_fkey FOREIGN KEY (backup_id) REFERENCES public.backups(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.backups
    ADD CONSTRAINT backups_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.deploy_keys
    ADD CONSTRAINT deploy_keys_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.deploy_keys
    ADD CONSTRAINT deploy_keys_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.deployment_archives
    ADD CONSTRAINT deployment_archives_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.deployment_log_chunks
    ADD CONSTRAINT deployment_log_chunks_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.deployment_logs
    ADD CONSTRAINT deployment_logs_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.deployment_transitions
    ADD CONSTRAINT deployment_transitions_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name);
ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_release_of_fkey FOREIGN KEY (release_of) REFERENCES public.deployments(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.domains
    ADD CONSTRAINT domains_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.hook_deliveries
    ADD CONSTRAINT hook_deliveries_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.log_drain_cursors
    ADD CONSTRAINT log_drain_cursors_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.log_drain_cursors
    ADD CONSTRAINT log_drain_cursors_drain_id_fkey FOREIGN KEY (drain_id) REFERENCES public.log_drains(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.log_drains
    ADD CONSTRAINT log_drains_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.project_members
    ADD CONSTRAINT project_members_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.project_members
    ADD CONSTRAINT project_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.run_logs
    ADD CONSTRAINT run_logs_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.jobs(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.runtime_log_followers
    ADD CONSTRAINT runtime_log_followers_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.user_recovery_codes
    ADD CONSTRAINT user_recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.user_setup_links
    ADD CONSTRAINT user_setup_links_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.volumes
    ADD CONSTRAINT volumes_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;
ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES public.webhooks(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;

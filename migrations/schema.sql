CREATE TABLE public.api_tokens (
    id text NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    scope text DEFAULT 'admin'::text NOT NULL,
    CONSTRAINT api_tokens_scope_check CHECK ((scope = ANY (ARRAY['admin'::text, 'deploy'::text, 'read'::text])))
);
CREATE TABLE public.deployment_archives (
    deployment_id text NOT NULL,
    data bytea NOT NULL
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
    CONSTRAINT deployments_replicas_check CHECK ((replicas >= 1)),
    CONSTRAINT deployments_source_type_check CHECK ((source_type = ANY (ARRAY['git'::text, 'archive'::text]))),
    CONSTRAINT deployments_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'fetching'::text, 'building'::text, 'starting'::text, 'running'::text, 'stopped'::text, 'crashed'::text, 'failed'::text, 'canceled'::text])))
);
CREATE TABLE public.domains (
    hostname text NOT NULL,
    project text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.hook_deliveries (
    project text NOT NULL,
    delivery_id text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.kysely_migration (
    name character varying(255) NOT NULL,
    "timestamp" character varying(255) NOT NULL
);
CREATE TABLE public.kysely_migration_lock (
    id character varying(255) NOT NULL,
    is_locked integer DEFAULT 0 NOT NULL
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
    CONSTRAINT projects_replicas_check CHECK ((replicas >= 1))
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
ALTER TABLE ONLY public.deployment_archives
    ADD CONSTRAINT deployment_archives_pkey PRIMARY KEY (deployment_id);
ALTER TABLE ONLY public.deployment_logs
    ADD CONSTRAINT deployment_logs_pk PRIMARY KEY (deployment_id, seq);
ALTER TABLE ONLY public.deployment_transitions
    ADD CONSTRAINT deployment_transitions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.domains
    ADD CONSTRAINT domains_pkey PRIMARY KEY (hostname);
ALTER TABLE ONLY public.hook_deliveries
    ADD CONSTRAINT hook_deliveries_pkey PRIMARY KEY (project, delivery_id);
ALTER TABLE ONLY public.kysely_migration_lock
    ADD CONSTRAINT kysely_migration_lock_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.kysely_migration
    ADD CONSTRAINT kysely_migration_pkey PRIMARY KEY (name);
ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_id_key UNIQUE (id);
ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (name);
ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_pkey PRIMARY KEY (id);
CREATE INDEX deployment_transitions_deployment_idx ON public.deployment_transitions USING btree (deployment_id, id);
CREATE INDEX deployments_created_idx ON public.deployments USING btree (created_at DESC, id DESC);
CREATE INDEX deployments_project_branch_idx ON public.deployments USING btree (project, branch, created_at);
CREATE INDEX deployments_project_idx ON public.deployments USING btree (project, created_at);
CREATE INDEX deployments_queued_idx ON public.deployments USING btree (created_at, id) WHERE (status = 'queued'::text);
CREATE INDEX deployments_status_idx ON public.deployments USING btree (status);
CREATE INDEX domains_project_idx ON public.domains USING btree (project);
CREATE INDEX webhook_deliveries_unsent_idx ON public.webhook_deliveries USING btree (created_at) WHERE (NOT enqueued);
CREATE INDEX webhook_deliveries_webhook_idx ON public.webhook_deliveries USING btree (webhook_id, created_at);
CREATE INDEX webhooks_project_idx ON public.webhooks USING btree (project);
ALTER TABLE ONLY public.deployment_archives
    ADD CONSTRAINT deployment_archives_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;
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
ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES public.webhooks(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_project_fkey FOREIGN KEY (project) REFERENCES public.projects(name) ON DELETE CASCADE;

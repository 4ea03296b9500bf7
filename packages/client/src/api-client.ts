/**
 * One typed client for the Berth API, used by the CLI (Node) and the
 * dashboard (browser): fetch only, the token in an Authorization header
 * (never in a URL), failures as `ApiError`.
 */
import type {
  CreateProjectRequest,
  Deployment,
  DeploymentPage,
  DeployProjectRequest,
  Domain,
  EnvKeys,
  GitDeploymentRequest,
  ListQuery,
  LogPage,
  LogQuery,
  LogSearchPage,
  LogSearchQuery,
  Project,
  ProjectPage,
  ProjectRemoval,
  AddServiceRequest,
  Service,
  Run,
} from './types.ts';

/** A failure the API reported (`status` from HTTP, `code`/`message` from its `{ error }` body), or could not be reached (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** The API's origin, e.g. http://localhost:8080; '' for the page's own origin. */
  baseUrl: string;
  token: string | undefined;
  fetch?: typeof fetch;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly token: string | undefined;
  private readonly fetchFn: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Headers every call carries. */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Any call; a body that is not FormData/string is sent as JSON. Resolves to the parsed JSON answer (undefined when empty). */
  async request<T = unknown>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
    const headers: Record<string, string> = { ...this.authHeaders() };
    let payload: RequestInit['body'];
    if (body instanceof FormData || typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await this.send(path, { ...init, method, body: payload, headers: { ...headers, ...(init.headers as Record<string, string>) } });
    const text = await res.text();
    const json = parseJson(text);
    if (!res.ok) throw errorFrom(res.status, json, text);
    return json as T;
  }

  /** A raw fetch with the token; network failures become ApiError(0, 'UNREACHABLE'). */
  async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(`${this.baseUrl}${path}`, { ...init, headers: { ...this.authHeaders(), ...(init.headers as Record<string, string>) } });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ApiError(0, 'UNREACHABLE', `cannot reach Berth at ${this.baseUrl || 'this origin'}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  listDeployments(query: ListQuery = {}): Promise<DeploymentPage> {
    return this.request('GET', `/api/deployments${queryString(query)}`);
  }

  getDeployment(id: string): Promise<Deployment> {
    return this.request('GET', `/api/deployments/${seg(id)}`);
  }

  /** A deployment from an archive (FormData with `projectArchive` and the other fields) or a git source. */
  createDeployment(input: FormData | GitDeploymentRequest): Promise<Deployment> {
    return this.request('POST', '/api/deployments', input);
  }

  /** A page of the deployment's stored log, from `since` (a sequence number) on. */
  getDeploymentLogs(id: string, query: LogQuery = {}): Promise<LogPage> {
    return this.request('GET', `/api/deployments/${seg(id)}/logs${queryString(query)}`);
  }

  /** Every stored line of the project's deployments matching `q` (a substring, or a regex with regex: true), newest first. */
  searchProjectLogs(name: string, query: LogSearchQuery): Promise<LogSearchPage> {
    return this.request('GET', `/api/projects/${seg(name)}/logs${queryString(query)}`);
  }

  cancelDeployment(id: string): Promise<Deployment> {
    return this.request('POST', `/api/deployments/${seg(id)}/cancel`);
  }

  /** Stops a running deployment (DELETE). */
  stopDeployment(id: string): Promise<Deployment> {
    return this.request('DELETE', `/api/deployments/${seg(id)}`);
  }

  /** Sets how many copies a running deployment runs (1 to SWARM_MAX_REPLICAS; more than 1 needs swarm mode). */
  scaleDeployment(id: string, replicas: number): Promise<Deployment> {
    return this.request('PATCH', `/api/deployments/${seg(id)}`, { replicas });
  }

  redeploy(id: string): Promise<Deployment> {
    return this.request('POST', `/api/deployments/${seg(id)}/redeploy`);
  }
  promote(id: string): Promise<Deployment> {
    return this.request('POST', `/api/deployments/${seg(id)}/promote`);
  }

  listProjects(): Promise<ProjectPage> {
    return this.request('GET', '/api/projects');
  }
  createProject(body: CreateProjectRequest): Promise<Project> {
    return this.request('POST', '/api/projects', body);
  }

  /** Removes the project, stopping its deployments. */
  deleteProject(name: string): Promise<ProjectRemoval> {
    return this.request('DELETE', `/api/projects/${seg(name)}`);
  }

  /** A project with its kept releases (newest first). */
  getProject(name: string): Promise<Project> {
    return this.request('GET', `/api/projects/${seg(name)}`);
  }

  /** Sets the project's replicas: new releases take it, and its current release is scaled to it at once. */
  scaleProject(name: string, replicas: number): Promise<Project> {
    return this.request('PATCH', `/api/projects/${seg(name)}`, { replicas });
  }

  /** A command once in the project's current release (POST /api/projects/:name/runs); its events stream at runEventsPath. */
  startRun(project: string, command: string): Promise<Run> {
    return this.request('POST', `/api/projects/${seg(project)}/runs`, { command });
  }
  getRun(project: string, id: string): Promise<Run> {
    return this.request('GET', `/api/projects/${seg(project)}/runs/${seg(id)}`);
  }

  /**
   * A new release of the project: an archive (FormData with `projectArchive`), or from its
   * configured repository (a ref overrides the project's).
   */
  deployProject(name: string, body: FormData | DeployProjectRequest = {}): Promise<Deployment> {
    return this.request('POST', `/api/projects/${seg(name)}/deployments`, body);
  }

  /** Serves an earlier release again (the previous one when no id is given). */
  rollback(name: string, deploymentId?: string): Promise<Deployment> {
    return this.request('POST', `/api/projects/${seg(name)}/rollback`, deploymentId ? { deploymentId } : {});
  }

  /** Env names only: values are never sent back. `preview`: the env previews get (promote=false). */
  getEnvKeys(name: string, lane: 'production' | 'preview' = 'production'): Promise<EnvKeys> {
    return this.request('GET', `/api/projects/${seg(name)}/${envPath(lane)}`);
  }

  /** Sets (a string) or unsets (null) runtime env values (or build env: `which`; the previews' env: `lane`); the answer lists names only. */
  patchEnv(name: string, env: Record<string, string | null>, which: 'env' | 'buildEnv' = 'env', lane: 'production' | 'preview' = 'production'): Promise<EnvKeys> {
    return this.request('PATCH', `/api/projects/${seg(name)}/${envPath(lane)}`, { [which]: env });
  }

  listDomains(name: string): Promise<{ items: Domain[] }> {
    return this.request('GET', `/api/projects/${seg(name)}/domains`);
  }

  addDomain(name: string, hostname: string): Promise<Domain> {
    return this.request('POST', `/api/projects/${seg(name)}/domains`, { hostname });
  }

  /** Checks the domain's TXT record; a 409 DOMAIN_RECORD_* / DOMAIN_DNS_FAILED says what is missing. */
  verifyDomain(name: string, hostname: string): Promise<Domain> {
    return this.request('POST', `/api/projects/${seg(name)}/domains/${seg(hostname)}/verify`);
  }

  removeDomain(name: string, hostname: string): Promise<Domain> {
    return this.request('DELETE', `/api/projects/${seg(name)}/domains/${seg(hostname)}`);
  }

  listServices(name: string): Promise<{ items: Service[] }> {
    return this.request('GET', `/api/projects/${seg(name)}/services`);
  }

  addService(name: string, body: AddServiceRequest): Promise<Service> {
    return this.request('POST', `/api/projects/${seg(name)}/services`, body);
  }

  /** The data volume is kept unless `deleteData`. */
  removeService(name: string, service: string, deleteData = false): Promise<Service> {
    return this.request('DELETE', `/api/projects/${seg(name)}/services/${seg(service)}${deleteData ? '?deleteData=true' : ''}`);
  }
}

/** A path segment (an id, a project name, a hostname) as a URL carries it. */
export const seg = (s: string): string => encodeURIComponent(s);

/** `?a=1&b=2` from the defined values of `query`, or '' when there are none. */
function queryString(query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFrom(status: number, json: unknown, text: string): ApiError {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `HTTP_${status}`;
  const message = typeof error?.message === 'string' ? error.message : text.slice(0, 500) || `HTTP ${status}`;
  return new ApiError(status, code, message);
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Where a project's env lives: production's, or the previews' (release-env.ts in the API says which a deployment gets). */
function envPath(lane: 'production' | 'preview'): string {
  return lane === 'preview' ? 'preview-env' : 'env';
}

/**
 * Server state: every API read is a TanStack query under one of these keys;
 * the global event stream (live.ts) patches and invalidates them.
 */
import { QueryClient, useQuery } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { AuditQuery, ListQuery } from '@berth/client/types';
import { listAudit, listMembers, listTokens } from './people-api.ts';

export const keys = {
  deployments: (query: ListQuery) => ['deployments', query] as const,
  deployment: (id: string) => ['deployment', id] as const,
  projects: () => ['projects'] as const,
  project: (name: string) => ['project', name] as const,
  env: (name: string) => ['env', name] as const,
  domains: (name: string) => ['domains', name] as const,
  members: (name: string) => ['members', name] as const,
  tokens: () => ['tokens'] as const,
  audit: (query: AuditQuery) => ['audit', query] as const,
  volumes: (name: string) => ['volumes', name] as const,
  jobs: (name: string) => ['jobs', name] as const,
  jobRuns: (name: string, job: string) => ['job-runs', name, job] as const,
  runs: (name: string) => ['runs', name] as const,
  services: (name: string) => ['services', name] as const,
  metrics: (id: string) => ['metrics', id] as const,
  requestMetrics: (scope: { deployment: string } | { project: string }) => ['request-metrics', scope] as const,
};

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Live events keep the cache fresh; a failed read (a 4xx) is shown, not retried.
      queries: { staleTime: 5_000, retry: (count, err) => count < 2 && ((err as { status?: number }).status ?? 0) < 400, refetchOnWindowFocus: true },
    },
  });
}

export const useDeployments = (client: ApiClient, query: ListQuery) =>
  useQuery({ queryKey: keys.deployments(query), queryFn: () => client.listDeployments(query), placeholderData: (previous) => previous });

export const useDeployment = (client: ApiClient, id: string) => useQuery({ queryKey: keys.deployment(id), queryFn: () => client.getDeployment(id) });

export const useProjects = (client: ApiClient) => useQuery({ queryKey: keys.projects(), queryFn: () => client.listProjects() });

export const useProject = (client: ApiClient, name: string, enabled = true) =>
  useQuery({ queryKey: keys.project(name), queryFn: () => client.getProject(name), enabled });

export const useEnvKeys = (client: ApiClient, name: string) => useQuery({ queryKey: keys.env(name), queryFn: () => client.getEnvKeys(name) });

export const useDomains = (client: ApiClient, name: string) => useQuery({ queryKey: keys.domains(name), queryFn: () => client.listDomains(name) });

export const useMembers = (client: ApiClient, name: string, enabled: boolean) =>
  useQuery({ queryKey: keys.members(name), queryFn: () => listMembers(client, name), enabled });

export const useTokens = (client: ApiClient) => useQuery({ queryKey: keys.tokens(), queryFn: () => listTokens(client) });

export const useAudit = (client: ApiClient, query: AuditQuery) =>
  useQuery({ queryKey: keys.audit(query), queryFn: () => listAudit(client, query), placeholderData: (previous) => previous });

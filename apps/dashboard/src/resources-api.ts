/**
 * The project resource routes the dashboard calls beyond the typed client's own methods (volumes,
 * process counts, scheduled jobs, runs), on its `request`: the shapes come from the OpenAPI document.
 */
import { seg, type ApiClient } from '@berth/client/api-client';
import type { operations } from '@berth/client/generated/api';
import type { Project, Run } from '@berth/client/types';

type Ok<Op extends keyof operations, Status extends number> = operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer T } }>
  ? T
  : never;
type Body<Op extends keyof operations> = operations[Op] extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;

export type Volume = Ok<'addVolume', 201>;
export type Job = Ok<'addJob', 201>;
export type NewJob = Body<'addJob'>;
export type JobChange = Body<'updateJob'>;
export type ProjectProcess = Project['processes'][number];

const base = (project: string) => `/api/projects/${seg(project)}`;

export const listVolumes = (client: ApiClient, project: string) => client.request<{ items: Volume[] }>('GET', `${base(project)}/volumes`);
export const addVolume = (client: ApiClient, project: string, name: string, mountPath: string) =>
  client.request<Volume>('POST', `${base(project)}/volumes`, { name, mountPath });
/** 409 VOLUME_IN_USE while a running release mounts it, unless `force`. */
export const removeVolume = (client: ApiClient, project: string, name: string, force = false) =>
  client.request<Volume>('DELETE', `${base(project)}/volumes/${seg(name)}${force ? '?force=true' : ''}`);

/** How many containers a process type besides web runs (0 stops it); the answer is the project. */
export const scaleProcess = (client: ApiClient, project: string, type: string, count: number) =>
  client.request<Project>('PATCH', base(project), { processes: { [type]: count } });

export const listJobs = (client: ApiClient, project: string) => client.request<{ items: Job[] }>('GET', `${base(project)}/jobs`);
export const addJob = (client: ApiClient, project: string, job: NewJob) => client.request<Job>('POST', `${base(project)}/jobs`, job);
export const updateJob = (client: ApiClient, project: string, name: string, change: JobChange) =>
  client.request<Job>('PATCH', `${base(project)}/jobs/${seg(name)}`, change);
export const removeJob = (client: ApiClient, project: string, name: string) => client.request<Job>('DELETE', `${base(project)}/jobs/${seg(name)}`);
export const listJobRuns = (client: ApiClient, project: string, name: string) => client.request<{ items: Run[] }>('GET', `${base(project)}/jobs/${seg(name)}/runs`);
/** Runs the job now (recorded skipped while its previous run goes). */
export const runJobNow = (client: ApiClient, project: string, name: string) => client.request<Run>('POST', `${base(project)}/jobs/${seg(name)}/runs`);

export const listRuns = (client: ApiClient, project: string) => client.request<{ items: Run[] }>('GET', `${base(project)}/runs`);
export const cancelRun = (client: ApiClient, project: string, id: string) => client.request<Run>('POST', `${base(project)}/runs/${seg(id)}/cancel`);
/** The path of a run's live output (Server-Sent Events: log, status, then end). */
export const runEventsPath = (project: string, id: string) => `${base(project)}/runs/${seg(id)}/events`;

/** Bytes as a person reads them ("12.3 MB"); null: not measured yet. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'not measured yet';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) (value /= 1000), (unit += 1);
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

import { z } from 'zod';
import { command } from './build-overrides.ts';

/**
 * A release's process types (berth.json `processes`, or a Procfile): `web` is the app's container
 * (its command when given; it gets the route and the health check), every other type runs from the
 * same image and env as containers of its own, without a route, restarted when it exits.
 */

/** A process type's name: it goes into container names and log lines, so plain lowercase words. */
export const processNamePattern = /^[a-z][a-z0-9_-]{0,29}$/;
export const processName = z
  .string()
  .regex(processNamePattern, 'a process type is a lowercase name of letters, digits, - and _ (at most 30, starting with a letter)');

/** The most process types one release may have (web included). */
export const maxProcessTypes = 10;
/** The most containers one non-web process type may run (PATCH /api/projects/:name { processes }). */
export const maxProcessCount = 10;

export const processTypesSchema = z
  .record(processName, command)
  .refine((p) => Object.keys(p).length <= maxProcessTypes, `at most ${maxProcessTypes} process types`);

export type ProcessTypes = z.infer<typeof processTypesSchema>;

/** The web process is the app's container; the others are what this module is about. */
export const webProcess = 'web';

/** How many containers a type runs: the project's count for it, else one. */
export function processCount(counts: Record<string, number> | null | undefined, type: string): number {
  return counts?.[type] ?? 1;
}

/** The non-web types of a release, sorted (stable container names, stable views). */
export function workerTypes(processes: ProcessTypes | null | undefined): string[] {
  return Object.keys(processes ?? {})
    .filter((t) => t !== webProcess)
    .sort();
}

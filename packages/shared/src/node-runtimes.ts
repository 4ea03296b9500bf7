import { readFileSync } from 'node:fs';

/**
 * The Node majors Berth offers (node-runtimes.json beside this folder): the
 * one Berth itself runs on, and the base images apps may build FROM.
 */
export interface NodeRuntimes {
  pinned: string;
  majors: Record<string, { version: string; integrity: string }>;
}

export const nodeRuntimes: NodeRuntimes = JSON.parse(
  readFileSync(new URL('../node-runtimes.json', import.meta.url), 'utf8'),
) as NodeRuntimes;

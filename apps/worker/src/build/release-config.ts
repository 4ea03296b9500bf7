import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { command } from '@berth/shared/build-overrides';
import { BerthError } from '@berth/shared/errors';
import { processTypesSchema, type ProcessTypes } from '@berth/shared/process-types';
import type { z } from '@berth/shared/config';

const maxBytes = 64 * 1024;

/** What a source asks of its release, whether the build has a Dockerfile or not. */
export interface ReleaseConfig {
  /** berth.json's `release`: the release command. */
  release?: string;
  /** berth.json's `processes`, else the Procfile's; undefined when neither has any. */
  processes?: ProcessTypes;
}

/**
 * berth.json's `release` and `processes` (else a Procfile's process types): only those keys here
 * (detection checks the rest when it generates the build). A link is never followed (it could name
 * a file of the worker's host), and an unreadable file says so without quoting it.
 */
export async function releaseConfigOf(contextDir: string): Promise<ReleaseConfig> {
  const text = await readPlainFile(contextDir, 'berth.json');
  const json = text === undefined ? null : parseJson(text);
  const release = json?.release === undefined ? undefined : checked(command, json.release, 'berth.json: release');
  let processes = json?.processes === undefined ? undefined : checked(processTypesSchema, json.processes, 'berth.json: processes');
  if (processes === undefined) {
    const procfile = await readPlainFile(contextDir, 'Procfile');
    processes = procfile === undefined ? undefined : parseProcfile(procfile);
  }
  return { ...(release !== undefined ? { release } : {}), ...(processes && Object.keys(processes).length ? { processes } : {}) };
}

/** Heroku's Procfile: `name: command` lines; blank lines and `#` comments are skipped. */
export function parseProcfile(text: string): ProcessTypes {
  const entries: Record<string, string> = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new BerthError('INVALID_BUILD_CONFIG', `Procfile: line ${i + 1} is not "name: command"`);
    const name = line.slice(0, colon).trim();
    if (name in entries) throw new BerthError('INVALID_BUILD_CONFIG', `Procfile: process type ${name} is given twice`);
    entries[name] = line.slice(colon + 1);
  }
  return checked(processTypesSchema, entries, 'Procfile');
}

function parseJson(text: string): { release?: unknown; processes?: unknown } | null {
  try {
    return JSON.parse(text) as { release?: unknown; processes?: unknown } | null;
  } catch {
    throw new BerthError('INVALID_BUILD_CONFIG', 'berth.json is not valid JSON');
  }
}

function checked<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const at = issue.path.length ? `: ${issue.path.join('.')}` : '';
  // A bad record key: zod's own message is "Invalid key in record"; the key's rule says more.
  const inner = 'issues' in issue ? (issue.issues as { message: string }[])[0]?.message : undefined;
  throw new BerthError('INVALID_BUILD_CONFIG', `${where}${at}: ${inner ?? issue.message}`);
}

async function readPlainFile(dir: string, name: string): Promise<string | undefined> {
  const file = path.join(dir, name);
  const info = await lstat(file).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isFile()) throw new BerthError('INVALID_BUILD_CONFIG', `${name} must be a regular file (not a link or a folder)`);
  if (info.size > maxBytes) throw new BerthError('INVALID_BUILD_CONFIG', `${name} is larger than ${maxBytes} bytes`);
  return readFile(file, 'utf8');
}

import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { command } from '@berth/shared/build-overrides';
import { BerthError } from '@berth/shared/errors';

const maxBytes = 64 * 1024;

/**
 * berth.json's `release` (the release command a source asks for), read whether the build has a
 * Dockerfile or not: only that key here (detection checks the rest when it generates the build).
 * A link is never followed (it could name a file of the worker's host), and an unreadable file
 * says so without quoting it.
 */
export async function releaseCommandOf(contextDir: string): Promise<string | undefined> {
  const file = path.join(contextDir, 'berth.json');
  const info = await lstat(file).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isFile()) throw new BerthError('INVALID_BUILD_CONFIG', 'berth.json must be a regular file (not a link or a folder)');
  if (info.size > maxBytes) throw new BerthError('INVALID_BUILD_CONFIG', `berth.json is larger than ${maxBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new BerthError('INVALID_BUILD_CONFIG', 'berth.json is not valid JSON');
  }
  const release = (json as { release?: unknown } | null)?.release;
  if (release === undefined) return undefined;
  const parsed = command.safeParse(release);
  if (!parsed.success) throw new BerthError('INVALID_BUILD_CONFIG', `berth.json: release: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

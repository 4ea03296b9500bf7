import path from 'node:path';
import { z } from '@berth/shared/config';
import { zodBody } from './zod-body.ts';

// What POST /api/projects/:name/volumes takes, checked as an attacker would send it.

/** Lowercase letters, digits and inner hyphens, 1–32: safe in a label, a URL path and a log line. */
export const volumeNamePattern = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Folders a volume may not be mounted at or under: the system's own (a volume there would hide or
 * replace what the image runs on; Docker refuses some of them itself), and /app exactly (the code of
 * every image Berth generates: a volume there would keep the first release's code forever).
 */
export const reservedMountRoots = ['/proc', '/sys', '/dev', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/usr', '/boot', '/run', '/var/run'];
const reservedExactly = ['/', '/app', '/var', '/root'];

/** Why a mount path is refused, or undefined when it is fine. */
export function mountPathProblem(p: string): string | undefined {
  if (!p.startsWith('/')) return 'must be an absolute path (start with /)';
  if (!/^[A-Za-z0-9._@+\/-]+$/.test(p)) return 'may hold only letters, digits, / . _ - @ +';
  if (p.split('/').some((part) => part === '.' || part === '..')) return 'must not contain . or .. segments';
  if (p.length > 1 && p.endsWith('/')) return 'must not end with /';
  if (path.posix.normalize(p) !== p) return 'must be normalised (no //)';
  if (reservedExactly.includes(p)) return `must not be ${p}`;
  const root = reservedMountRoots.find((r) => p === r || p.startsWith(`${r}/`));
  if (root) return `must not be ${root} or under it (a system folder)`;
  return undefined;
}

export const volumeAddSchema = z
  .object({
    name: z.string().regex(volumeNamePattern, 'must be 1-32 lowercase letters, digits or inner hyphens').describe('e.g. data'),
    mountPath: z
      .string()
      .min(2)
      .max(200)
      .superRefine((p, ctx) => {
        const problem = mountPathProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .describe('absolute folder in the container, e.g. /data; not / nor a system folder (/etc, /proc, /usr...)'),
  })
  .strict();
export const volumeAddBody = zodBody(volumeAddSchema);

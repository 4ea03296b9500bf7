import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A deployment id: 12 lowercase alphanumerics starting with a letter, so it is
 * a valid DNS label, a valid BullMQ job id (no `:`, not an integer) and a
 * valid Docker name fragment. 36^11 · 26 ≈ 3.4e18 values.
 */
export function newDeploymentId(): string {
  const bytes = randomBytes(12);
  let id = alphabet[bytes[0]! % 26]!;
  for (let i = 1; i < 12; i++) id += alphabet[bytes[i]! % 36];
  return id;
}

/** Project names become DNS labels (`<project>.<BASE_DOMAIN>`). */
export const projectNamePattern = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** Turns a free-form name into a DNS-safe project name, or undefined. */
export function toProjectName(raw: string): string | undefined {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return projectNamePattern.test(name) ? name : undefined;
}

/** A project id: `prj` and 13 lowercase alphanumerics. */
export function newProjectId(): string {
  const bytes = randomBytes(13);
  let id = 'prj';
  for (let i = 0; i < 13; i++) id += alphabet[bytes[i]! % 36];
  return id;
}

import { createHash } from 'node:crypto';

/**
 * The DNS label of a branch's preview: `<branch-slug>--<project>`. The slug is
 * the branch lowercased, other characters turned into `-`, cut so the whole
 * label stays within 63 characters; a branch that keeps no letter or digit is
 * `branch`. When that loses anything (`feature/Login`, a cut name), six hex
 * digits of the branch's hash follow, so two branches never share a host.
 */
export function branchSlug(branch: string, project: string): string {
  const room = Math.max(8, 63 - project.length - 2);
  const plain = branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (plain === branch && plain.length <= room && !plain.includes('--')) return plain;
  const hash = createHash('sha256').update(branch).digest('hex').slice(0, 6);
  const head = plain.replace(/-{2,}/g, '-').slice(0, room - 7).replace(/-+$/g, '');
  return head ? `${head}-${hash}` : `branch-${hash}`;
}

export function previewLabel(branch: string, project: string): string {
  return `${branchSlug(branch, project)}--${project}`;
}

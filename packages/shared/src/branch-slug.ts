/**
 * The DNS label of a branch's preview: `<branch-slug>--<project>`. The slug is
 * the branch lowercased, other characters turned into `-`, cut so the whole
 * label stays within 63 characters; a branch that keeps no letter or digit is `branch`.
 */
export function branchSlug(branch: string, project: string): string {
  const room = Math.max(1, 63 - project.length - 2);
  const slug = branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, room)
    .replace(/-+$/g, '');
  return slug || 'branch';
}

export function previewLabel(branch: string, project: string): string {
  return `${branchSlug(branch, project)}--${project}`;
}

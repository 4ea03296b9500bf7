import { createHash } from 'node:crypto';

/** Hex digits of the branch's SHA-256 in a changed name: 64 bits, too many to find a colliding branch name by trying. */
const hashDigits = 16;
/** How a changed name ends; a branch whose own name ends so is changed too, so a plain name never looks like one. */
const changedNameTail = new RegExp(`-[0-9a-f]{${hashDigits}}$`);

/**
 * The DNS label of a branch's preview: `<branch-slug>--<project>`. The slug is
 * the branch lowercased, other characters turned into `-`, cut so the whole
 * label stays within 63 characters; a branch that keeps no letter or digit is
 * `branch`. When that loses anything (`feature/Login`, a cut name), or the name
 * already ends like a changed one, 16 hex digits of the branch's hash follow:
 * no branch can be named to take another branch's host (issue 24, door 12).
 */
export function branchSlug(branch: string, project: string): string {
  // Project names are at most 40 characters (ids.ts), so there is room for at least 21.
  const room = Math.max(hashDigits + 5, 63 - project.length - 2);
  const plain = branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (plain === branch && plain.length <= room && !changedNameTail.test(plain)) return plain;
  const hash = createHash('sha256').update(branch).digest('hex').slice(0, hashDigits);
  const head = (plain || 'branch').slice(0, room - hashDigits - 1).replace(/-+$/g, '');
  return `${head}-${hash}`;
}

export function previewLabel(branch: string, project: string): string {
  return `${branchSlug(branch, project)}--${project}`;
}

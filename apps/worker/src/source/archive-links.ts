import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BerthError } from '@berth/shared/errors';

/** A link target longer than this is no path a folder of source needs. */
export const MAX_LINK_TARGET = 4096;

export interface PlannedLink {
  /** The entry's name, for messages. */
  name: string;
  /** Where the link is made, inside `dest`. */
  target: string;
  /** What the link points to, as stored in the archive. */
  linkTo: string;
}

/**
 * The rule for links in an uploaded archive (the CLI packs a folder's links as
 * links): relative, and resolving inside the archive. Checked by name here,
 * before anything is written, and by the real path once made (`makeLinks`).
 */
export function checkLinkTarget(dest: string, link: PlannedLink): void {
  const { name, linkTo } = link;
  if (linkTo === '' || linkTo.length > MAX_LINK_TARGET || linkTo.includes('\0') || linkTo.includes('\\')) {
    throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${name}" is a symbolic link with a malformed target`);
  }
  const resolved = path.resolve(path.dirname(link.target), linkTo);
  if (path.isAbsolute(linkTo) || (resolved !== dest && !resolved.startsWith(dest + path.sep))) {
    throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${name}" is a symbolic link to "${linkTo}", outside the archive`);
  }
}

/**
 * Makes the links after every file and folder is written, so no entry is ever
 * written through a link. Then checks each by its real path: a name can look
 * inside and still climb out through another link (`b -> .`, `a -> b/..`), and
 * a link that loops or points at nothing is refused too.
 */
export async function makeLinks(dest: string, links: readonly PlannedLink[], signal: AbortSignal): Promise<void> {
  if (links.length === 0) return;
  for (const link of links) {
    signal.throwIfAborted();
    await fs.mkdir(path.dirname(link.target), { recursive: true });
    try {
      await fs.symlink(link.linkTo, link.target);
    } catch (err) {
      throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${link.name}" is a symbolic link where a file or folder already is`, { cause: err });
    }
  }
  const root = await fs.realpath(dest);
  for (const link of links) {
    const real = await fs.realpath(link.target).catch(() => undefined);
    if (real === undefined || (real !== root && !real.startsWith(root + path.sep))) {
      throw new BerthError(
        'UNSAFE_ARCHIVE',
        `archive entry "${link.name}" is a symbolic link that ${real === undefined ? 'loops or points at nothing' : 'leads outside the archive'}`,
      );
    }
  }
}

/**
 * A monorepo project's watch paths (issue 27): globs relative to the repository root. A push
 * whose changed files match none builds nothing. `*` is any run of characters within one folder
 * name, `**` any number of folders, `?` one character; a path without a glob character (`apps/web`,
 * `apps/web/`) stands for that file or everything under that folder.
 */

/** Why a watch path cannot be used, or undefined. */
export function watchPathProblem(glob: string): string | undefined {
  if (glob.length === 0 || glob.length > 200) return 'a watch path is 1 to 200 characters';
  if (!/^[\x21-\x7e ]+$/.test(glob) || /[\\[\]{}!]/.test(glob)) return `"${glob}": printable characters only, and no \\ [ ] { } or ! (plain globs: * ** ?)`;
  if (glob.startsWith('/')) return `"${glob}": relative to the repository root (no leading /)`;
  if (glob.split('/').some((part) => part === '..' || part === '.')) return `"${glob}": no . or .. folders`;
  return undefined;
}

/** The glob as a regular expression over a changed file's path (`/`-separated, from the root). */
function globRegex(glob: string): RegExp {
  const trimmed = glob.replace(/\/+$/, '');
  const literal = !/[*?]/.test(trimmed);
  let source = '';
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i]!;
    if (c === '*' && trimmed[i + 1] === '*') {
      // `**/` matches no folder too (`**/x` matches `x`).
      const slash = trimmed[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^$()|]/g, '\\$&');
  }
  // A folder's name (no glob, or a trailing /) stands for everything under it too.
  return new RegExp(`^${source}${literal || glob.endsWith('/') ? '(?:/.*)?' : ''}$`);
}

/** Whether any changed file matches any watch path. */
export function touchesWatchPaths(globs: readonly string[], files: readonly string[]): boolean {
  const patterns = globs.map(globRegex);
  return files.some((file) => patterns.some((p) => p.test(file.replace(/^\/+/, ''))));
}

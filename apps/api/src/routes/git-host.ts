import { BerthError } from '@berth/shared/errors';
import { resolveGitHost } from '@berth/shared/git-url';

/**
 * Refuses a git URL whose host is local or private up front (400); the worker
 * checks again, and pins the address, before it clones. A host that does not
 * resolve now is left to the worker (DNS may just be slow), which fails it.
 */
export async function refuseLocalGitHost(gitUrl: string, allowPrivate: boolean): Promise<void> {
  try {
    await resolveGitHost(gitUrl, { allowPrivate });
  } catch (err) {
    if (err instanceof BerthError && err.code === 'INVALID_GIT_URL') throw err;
  }
}

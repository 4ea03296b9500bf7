import type { Provider } from './git-push.ts';

/** More files than this in one push: treated as unknown (every watch path would match anyway, most likely). */
const maxFiles = 10_000;

/**
 * The files a push changed, from its payload (the commits' added, modified and removed lists; the
 * generic shape's `changedFiles`), or undefined when the payload cannot tell them all: no commits
 * (a new branch, a force push to an older commit), fewer commits listed than pushed (GitLab and
 * Gitea cut the list at 20), a commit without its file lists. Unknown builds: watch paths only
 * ever skip a push known to change nothing watched.
 */
export function changedFilesOf(provider: Provider, b: Record<string, any>): string[] | undefined {
  if (provider === 'generic') return fileList(b.changedFiles);
  const commits: unknown = b.commits;
  if (!Array.isArray(commits) || commits.length === 0) return undefined;
  const total = provider === 'gitlab' ? b.total_commits_count : provider === 'gitea' ? b.total_commits : undefined;
  if (typeof total === 'number' && total > commits.length) return undefined;
  const files = new Set<string>();
  for (const commit of commits as Record<string, unknown>[]) {
    for (const list of [commit?.added, commit?.modified, commit?.removed]) {
      const names = fileList(list);
      if (!names) return undefined;
      for (const name of names) files.add(name);
    }
    if (files.size > maxFiles) return undefined;
  }
  return [...files];
}

function fileList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > maxFiles || !value.every((v) => typeof v === 'string')) return undefined;
  return value as string[];
}

/**
 * The soak's git pushes: one project deploys from a git daemon the soak runs. A push to `main`
 * releases it; a push to a feature branch builds a preview on the branch's own URL; a branch deleted
 * stops its previews. Each push is told to the API as GitHub tells it (a signed `push` delivery),
 * over HTTP, as a git host would.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { soakFolder } from './soak-app.ts';

/** Feature branches the soak pushes: names that are their own URL slug. */
export const soakBranches = ['feature-a', 'feature-b'] as const;
const zero = '0'.repeat(40);

export class GitPushes {
  private secret = '';

  private constructor(
    private readonly git: GitServer,
    private readonly apiUrl: string,
    readonly project: string,
  ) {}

  /** The git daemon, the project on it, and its first release pushed; the release's deployment id. */
  static async start(apiUrl: string, token: string, project: string): Promise<{ pushes: GitPushes; first: string }> {
    const git = await startGitServer();
    const pushes = new GitPushes(git, apiUrl, project);
    const folder = soakFolder();
    try {
      const gitUrl = git.publish(project, folder);
      const res = await fetch(`${apiUrl}/api/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: project, gitUrl, ref: 'main' }),
      });
      if (res.status !== 201) throw new Error(`creating the git project: ${res.status} ${await res.text()}`);
      pushes.secret = ((await res.json()) as { hookSecret: string }).hookSecret;
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    return { pushes, first: (await pushes.push('main'))! };
  }

  /** New code on `branch`, pushed and told to the API; the deployment it made. */
  async push(branch: string, failing = false): Promise<string | undefined> {
    const folder = soakFolder({ failing });
    try {
      const sha = this.git.push(this.project, folder, branch);
      return await this.deliver({ ref: `refs/heads/${branch}`, after: sha, deleted: false, head_commit: { id: sha, message: `soak ${branch}`, author: { name: 'soak' } } });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  /** The branch deleted, as GitHub reports it: its previews stop. */
  async deleteBranch(branch: string): Promise<void> {
    await this.deliver({ ref: `refs/heads/${branch}`, after: zero, deleted: true });
  }

  private async deliver(payload: object): Promise<string | undefined> {
    const raw = JSON.stringify(payload);
    const res = await fetch(`${this.apiUrl}/api/hooks/git/${this.project}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`,
      },
      body: raw,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`push delivery: ${res.status} ${text.slice(0, 200)}`);
    return (JSON.parse(text) as { deploymentId?: string }).deploymentId;
  }

  stop(): Promise<void> {
    return this.git.stop();
  }
}

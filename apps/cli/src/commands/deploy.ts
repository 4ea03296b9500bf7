/** deploy (one-off or to a project), redeploy, promote, rollback: each waits until the result is live. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Deployment } from '@berth/client/types';
import { berth, CliError, cliConfig, streamEvents } from '../berth-api.ts';
import { zipDirectory } from '../archive.ts';
import { parseArgs, parseEnvPairs } from '../args.ts';
import { bold, dim, note, printLine, say } from '../output.ts';

const deployUsage =
  'usage: berth deploy <dir | archive | git-url> [--name N] [--port P] [--ref R] [--root-dir D] [--env K=V ...]\n' +
  '       berth deploy [<dir | archive>] --project P [--ref R | --image I] [--preview] [--env K=V ...]';

/** How long a promoted deployment may take, once running, to show as the project's current one. */
const takeoverTimeoutMs = cliConfig.BERTH_CLI_WAIT_MS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readSource(source: string): Promise<{ data: Buffer; isDir: boolean }> {
  if (!existsSync(source)) throw new CliError(`${source} does not exist`);
  const isDir = statSync(source).isDirectory();
  return { data: isDir ? await zipDirectory(source) : readFileSync(source), isDir };
}

export async function deploy(args: string[]): Promise<number> {
  const a = parseArgs(args, { booleans: ['preview'], values: ['name', 'port', 'ref', 'root-dir', 'env', 'project', 'image'], usage: deployUsage });
  if (a.positional.length > 1) throw new CliError(`one source at a time\n${deployUsage}`);
  const env = parseEnvPairs(a.flags.get('env') ?? []);
  if (a.has('project')) return deployToProject(a.one('project')!, a.positional[0], { ref: a.one('ref'), preview: a.has('preview'), env, a });
  if (a.has('image')) throw new CliError(`--image needs --project (a prebuilt image is one of a project's releases)\n${deployUsage}`);
  if (a.has('preview')) throw new CliError(`--preview needs --project (a preview is one of a project's releases)\n${deployUsage}`);

  const source = a.positional[0];
  if (!source) throw new CliError(deployUsage);
  let created: Deployment;
  if (/^(https?|git):\/\//.test(source)) {
    const port = a.one('port');
    const body = { gitUrl: source, ref: a.one('ref'), rootDir: a.one('root-dir'), name: a.one('name'), port: port ? Number(port) : undefined, env };
    created = await berth((api) => api.createDeployment(body));
  } else {
    const { data, isDir } = await readSource(source);
    const form = new FormData();
    const name = a.one('name') ?? (isDir ? path.basename(path.resolve(source)) : undefined);
    if (name) form.append('name', name);
    if (a.one('port')) form.append('port', a.one('port')!);
    if (a.one('root-dir')) form.append('rootDir', a.one('root-dir')!);
    if (Object.keys(env).length) form.append('env', JSON.stringify(env));
    form.append('projectArchive', new Blob([data]), isDir ? `${name ?? 'app'}.zip` : path.basename(source));
    note(`uploading ${data.length} bytes`);
    created = await berth((api) => api.createDeployment(form));
  }
  note(`deployment ${bold(created.id)} queued`);
  const final = await followBuild(created.id);
  if (final?.status === 'running') {
    say(`\n${bold('live')}  ${created.url}\n      ${created.projectUrl}`);
    return 0;
  }
  return reportFailure(final);
}

async function deployToProject(
  project: string,
  source: string | undefined,
  o: { ref: string | undefined; preview: boolean; env: Record<string, string>; a: ReturnType<typeof parseArgs> },
): Promise<number> {
  for (const flag of ['name', 'port', 'root-dir']) {
    if (o.a.has(flag)) throw new CliError(`--${flag} is a project setting: berth projects create, or PATCH /api/projects/${project}`);
  }
  let created: Deployment;
  const image = o.a.one('image');
  if (image !== undefined && (source !== undefined || o.ref)) throw new CliError(`--image is the whole source: no path and no --ref with it\n${deployUsage}`);
  if (source !== undefined) {
    if (/^(https?|git):\/\//.test(source)) throw new CliError(`with --project, deploy a git repository by setting it on the project (berth projects create ${project} --git URL) and running berth deploy --project ${project}`);
    if (o.ref) throw new CliError('--ref applies to git deploys (berth deploy --project P --ref R, without a path)');
    const { data, isDir } = await readSource(source);
    const form = new FormData();
    if (o.preview) form.append('promote', 'false');
    if (Object.keys(o.env).length) form.append('env', JSON.stringify(o.env));
    form.append('projectArchive', new Blob([data]), isDir ? `${project}.zip` : path.basename(source));
    note(`uploading ${data.length} bytes to ${project}`);
    created = await berth((api) => api.deployProject(project, form));
  } else {
    const body = {
      ...(image !== undefined ? { image } : {}),
      ...(o.ref ? { ref: o.ref } : {}),
      ...(o.preview ? { promote: false } : {}),
      ...(Object.keys(o.env).length ? { env: o.env } : {}),
    };
    created = await berth((api) => api.deployProject(project, body));
  }
  note(`deployment ${bold(created.id)} of ${project} queued${o.preview ? ' (preview)' : ''}`);
  return waitLive(created);
}

/** How a deployment stands (its last status event, or the deployment itself). */
type Outcome = Pick<Deployment, 'status' | 'errorCode' | 'errorMessage'>;

/** Statuses a deployment passes through before it runs or ends. */
const inFlight = new Set(['queued', 'fetching', 'building', 'starting']);

/**
 * Shows a deployment's build as it happens; resolves with its last status
 * (running, or how it ended). A stream that ends early (a viewer that fell
 * behind, a restarting API) is made up for by polling the deployment.
 */
async function followBuild(id: string): Promise<Outcome> {
  let final: Outcome | undefined;
  await streamEvents(`/api/deployments/${id}/events`, (e) => {
    if (e.event === 'log') printLine(e.data);
    else if (e.event === 'status') {
      note(`→ ${bold(e.data.status)}`);
      final = e.data;
    }
  }).catch((err: unknown) => note(`event stream lost (${err instanceof Error ? err.message : String(err)}); polling`));
  while (!final || inFlight.has(final.status)) {
    await sleep(500);
    const d = await berth((api) => api.getDeployment(id));
    if (d.status !== final?.status) note(`→ ${bold(d.status)}`);
    final = d;
  }
  return final;
}

function reportFailure(final: Outcome | undefined): number {
  say(`\n${bold(final?.status ?? 'unknown')} ${final?.errorCode ?? ''}: ${final?.errorMessage ?? ''}`);
  return 1;
}

/** Polls the deployment until the project URL serves it (true), or it stops running or the wait runs out (false). */
async function waitCurrent(id: string): Promise<boolean> {
  const deadline = Date.now() + takeoverTimeoutMs;
  for (;;) {
    const d = await berth((api) => api.getDeployment(id));
    if (d.current) return true;
    if (d.status !== 'running' || Date.now() > deadline) return false;
    await sleep(250);
  }
}

/**
 * Follows a project deployment until it runs, then (unless a preview) until
 * the project URL serves it: 0 and the URL it is live at, else 1 and why.
 */
async function waitLive(created: Deployment): Promise<number> {
  const final = await followBuild(created.id);
  if (final?.status !== 'running') return reportFailure(final);
  if (!created.promote) {
    say(`\n${bold('preview')}  ${created.url}\n         ${dim(`${created.project} still serves its current release; berth promote ${created.id} moves it here`)}`);
    return 0;
  }
  if (!(await waitCurrent(created.id))) {
    const project = await berth((api) => api.getProject(created.project));
    say(`\n${bold('running')}  ${created.url}`);
    say(`but ${created.project} serves ${project.currentDeployment?.id ?? 'nothing'}, not ${created.id}`);
    return 1;
  }
  say(`\n${bold('live')}  ${created.projectUrl}\n      ${dim(created.url)}`);
  return 0;
}

export async function redeploy(args: string[]): Promise<number> {
  const usage = 'usage: berth redeploy <deploymentId>';
  const a = parseArgs(args, { usage });
  const id = a.positional[0];
  if (!id || a.positional.length > 1) throw new CliError(usage);
  const created = await berth((api) => api.redeploy(id));
  note(`deployment ${bold(created.id)} of ${created.project} queued (the source of ${id} again)`);
  return waitLive(created);
}

export async function promote(args: string[]): Promise<number> {
  const usage = 'usage: berth promote <deploymentId>';
  const a = parseArgs(args, { usage });
  const id = a.positional[0];
  if (!id || a.positional.length > 1) throw new CliError(usage);
  const d = await berth((api) => api.promote(id));
  say(`${bold(d.project)} now serves ${bold(d.id)}  ${d.projectUrl}`);
  return 0;
}

export async function rollback(args: string[]): Promise<number> {
  const usage = 'usage: berth rollback <project> [--to <deploymentId>]';
  const a = parseArgs(args, { values: ['to'], usage });
  const project = a.positional[0];
  if (!project || a.positional.length > 1) throw new CliError(usage);
  const started = Date.now();
  const to = a.one('to');
  const res = await berth((api) => api.rollback(project, to));
  const target: string = res.id;
  // 200 (current): a release still running took the URL; 202: a new deployment runs a stopped one's image.
  if (!res.current) {
    // A stopped release: its image starts again as a new deployment, which takes the URL once healthy.
    note(`${res.releaseOf} is stopped: starting its image again as ${bold(target)}`);
    const final = await followBuild(target);
    if (final?.status !== 'running') return reportFailure(final);
  } else {
    note(`${bold(target)} is still running: switching ${project} to it`);
  }
  // Done when the project serves the target (the API says so), or the target ended.
  const deadline = Date.now() + takeoverTimeoutMs;
  for (;;) {
    const p = await berth((api) => api.getProject(project));
    if (p.currentDeployment?.id === target) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      say(`\n${bold('rolled back')}  ${p.url} serves ${target}${res.current ? '' : ` (the image of ${res.releaseOf})`} after ${seconds}s`);
      return 0;
    }
    const d = await berth((api) => api.getDeployment(target));
    if (d.status !== 'running' && !inFlight.has(d.status)) return reportFailure(d);
    if (Date.now() > deadline) {
      say(`\n${project} still serves ${p.currentDeployment?.id ?? 'nothing'}, not ${target}, after ${((Date.now() - started) / 1000).toFixed(1)}s`);
      return 1;
    }
    await sleep(250);
  }
}

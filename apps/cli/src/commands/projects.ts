/** berth projects create | list | show | rm */
import type { CreateProjectRequest, Deployment, Project } from '@berth/client/types';
import { berth, CliError } from '../berth-api.ts';
import { parseArgs, parsePort } from '../args.ts';
import { bold, bytes, dim, say, table } from '../output.ts';

const usage =
  'usage: berth projects create <name> [--git URL] [--ref R] [--root-dir D] [--port P] [--health-path /p]\n' +
  '       berth projects list | show <name> | rm <name>';

export async function projects(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create':
      return create(rest);
    case 'list':
    case 'ls':
      return list(rest);
    case 'show':
      return show(rest);
    case 'rm':
      return remove(rest);
    default:
      throw new CliError(sub ? `unknown subcommand "projects ${sub}"\n${usage}` : usage);
  }
}

function oneName(rest: string[]): string {
  const a = parseArgs(rest, { usage });
  if (a.positional.length !== 1) throw new CliError(usage);
  return a.positional[0]!;
}

async function create(rest: string[]): Promise<number> {
  const a = parseArgs(rest, { values: ['git', 'ref', 'root-dir', 'port', 'health-path'], usage });
  if (a.positional.length !== 1) throw new CliError(usage);
  const body: CreateProjectRequest = {
    name: a.positional[0]!,
    ...(a.has('git') ? { gitUrl: a.one('git') } : {}),
    ...(a.has('ref') ? { ref: a.one('ref') } : {}),
    ...(a.has('root-dir') ? { rootDir: a.one('root-dir') } : {}),
    ...(a.has('port') ? { port: parsePort(a.one('port')!) } : {}),
    ...(a.has('health-path') ? { healthPath: a.one('health-path') } : {}),
  };
  const p = await berth((api) => api.createProject(body));
  say(`created ${bold(p.name)}  ${p.url}`);
  table(settings(p));
  return 0;
}

async function list(rest: string[]): Promise<number> {
  const a = parseArgs(rest, { usage });
  if (a.positional.length) throw new CliError(usage);
  const { items } = await berth((api) => api.listProjects());
  if (!items.length) {
    say(dim('no projects yet: berth projects create <name>'));
    return 0;
  }
  table([
    ['NAME', 'CURRENT', 'STATUS', 'URL'],
    ...items.map((p) => [p.name, p.currentDeployment?.id ?? '-', p.currentDeployment?.status ?? '-', p.url]),
  ]);
  return 0;
}

function settings(p: Project): string[][] {
  return [
    ['  source', p.gitUrl ? `${p.gitUrl}${p.ref ? ` @ ${p.ref}` : ''}` : 'archives (berth deploy <dir> --project)'],
    ['  root dir', p.rootDir || '.'],
    ['  port', p.port === null ? 'default' : String(p.port)],
    ['  health path', p.healthPath],
  ];
}

async function show(rest: string[]): Promise<number> {
  const name = oneName(rest);
  const p = await berth((api) => api.getProject(name));
  const { items: hostnames } = await berth((api) => api.listDomains(name));
  say(`${bold(p.name)}  ${p.url}`);
  table([
    ...settings(p),
    ['  env', p.envKeys.length ? p.envKeys.join(', ') : '-'],
    ['  build env', p.buildEnvKeys.length ? p.buildEnvKeys.join(', ') : '-'],
    ['  domains', hostnames.length ? hostnames.map((d) => d.hostname).join(', ') : '-'],
    ['  current', p.currentDeployment ? `${p.currentDeployment.id} (${p.currentDeployment.status})` : 'none'],
    ...(p.disk ? [['  disk', `images ${bytes(p.disk.imageBytes)}, archives ${bytes(p.disk.archiveBytes)}`]] : []),
  ]);
  const releases = p.releases ?? [];
  say('');
  if (!releases.length) {
    say(dim('no releases yet'));
    return 0;
  }
  say('releases (newest first):');
  table([
    ['', 'ID', 'STATUS', 'SOURCE', 'CREATED', 'NOTE'],
    ...releases.map((d) => [
      d.current ? '*' : ' ',
      d.id,
      d.status,
      sourceLabel(d),
      d.createdAt,
      [d.promote ? '' : 'preview', d.releaseOf ? `rollback to ${d.releaseOf}` : '', d.retiredAt && !d.current && d.status === 'running' ? 'draining' : '']
        .filter(Boolean)
        .join(', '),
    ]),
  ]);
  return 0;
}

async function remove(rest: string[]): Promise<number> {
  const name = oneName(rest);
  const res = await berth((api) => api.deleteProject(name));
  say(`removed ${bold(res.name)}${res.stopped.length ? `; stopped ${res.stopped.join(', ')}` : ''}`);
  return 0;
}

/** A release's source in one short cell: git and its commit, the archive's format, or the image's digest. */
function sourceLabel(d: Deployment): string {
  if (d.source.type === 'git') return `git ${d.commitSha ? d.commitSha.slice(0, 10) : (d.source.ref ?? '')}`.trim();
  if (d.source.type === 'image') return `image ${d.source.digest ? d.source.digest.slice(0, 19) : d.source.image}`;
  return d.source.format ?? 'archive';
}

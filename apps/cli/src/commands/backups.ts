/** berth backups <project> <service> [take | restore <id> [--into <new service>] | download <id> <file>]: a managed service's backups (docs/services.md#backups). */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ServiceBackup } from '@berth/client/types';
import { seg } from '@berth/client/api-client';
import { parseArgs } from '../args.ts';
import { berth, CliError } from '../berth-api.ts';
import { bold, dim, say, table } from '../output.ts';

const usage = 'usage: berth backups <project> <service> [ls | take | restore <backup id> [--into <new service> [--env-name <VAR>]] | download <backup id> <file>]';

export async function backups(args: string[]): Promise<number> {
  const a = parseArgs(args, { usage, booleans: [], values: ['into', 'env-name'] });
  const [project, service, sub = 'ls', id, file, ...extra] = a.positional;
  if (!project || !service || extra.length) throw new CliError(usage);
  const path = `/api/projects/${seg(project)}/services/${seg(service)}/backups`;
  switch (sub) {
    case 'ls':
    case 'list': {
      if (id) throw new CliError(usage);
      const { items } = await berth((api) => api.request<{ items: ServiceBackup[] }>('GET', path));
      if (!items.length) say(dim(`no backups of ${project}/${service}: berth backups ${project} ${service} take`));
      else table(items.map((b) => [b.id, b.kind === 'restore' ? `restore of ${b.backupId}` : 'backup', b.status, b.bytes === null ? '' : `${(b.bytes / 1e6).toFixed(1)} MB`, b.createdAt, b.errorCode ?? '']));
      return 0;
    }
    case 'take': {
      if (id) throw new CliError(usage);
      const b = await berth((api) => api.request<ServiceBackup>('POST', path));
      say(`backup ${bold(b.id)} of ${bold(`${project}/${service}`)} queued; follow it with: berth backups ${project} ${service}`);
      return 0;
    }
    case 'restore': {
      if (!id || file) throw new CliError(usage);
      const into = a.one('into');
      const envName = a.one('env-name');
      if (envName !== undefined && into === undefined) throw new CliError(`--env-name names a new service's variable: only with --into\n${usage}`);
      const body = into === undefined ? undefined : { into, ...(envName === undefined ? {} : { envName }) };
      const r = await berth((api) => api.request<ServiceBackup>('POST', `${path}/${seg(id)}/restore`, body));
      if (into === undefined) say(`restore ${bold(r.id)} of backup ${bold(id)} into ${bold(`${project}/${service}`)} queued; its data will be replaced`);
      else say(`new service ${bold(`${project}/${into}`)} made; restore ${bold(r.id)} of backup ${bold(id)} into it queued once it is up; follow it with: berth backups ${project} ${into}`);
      return 0;
    }
    case 'download': {
      if (!id || !file) throw new CliError(usage);
      const res = await berth((api) => api.send(`${path}/${seg(id)}/download`, { method: 'GET' }));
      if (!res.ok || !res.body) throw new CliError(`${res.status}: ${(await res.text()).slice(0, 300)}`);
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file, { mode: 0o600 }));
      say(`wrote ${bold(file)} (gzip; Postgres: gunzip -c ${file} | pg_restore …, Redis: an RDB file once gunzipped)`);
      return 0;
    }
    default:
      throw new CliError(`unknown subcommand "backups ${sub}"\n${usage}`);
  }
}

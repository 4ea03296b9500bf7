import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptBackup } from '@berth/shared/backup-crypto';
import type { BackupFiles } from '@berth/shared/backup-files';
import { backupView, type BackupStore } from '@berth/shared/backup-store';
import type { BackupRow } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import type { SecretBox } from '@berth/shared/secret-box';
import type { BackupQueue } from '../backup-queue.ts';
import { restoreBody, restoreIntoNewService, restoreSchema, type RestoreIntoDeps } from '../restore-into.ts';
import { showsSecrets } from '../secret-view.ts';
import { bodyOf } from '../zod-body.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface BackupRoutesOptions {
  backups: Pick<BackupStore, 'create' | 'list' | 'load' | 'finish'>;
  queue: Pick<BackupQueue, 'enqueue'>;
  files: Pick<BackupFiles, 'read'>;
  secrets: SecretBox;
  /** Restoring into a new service: the services, and the settings a new one is made with. */
  services: RestoreIntoDeps['services'];
  config: RestoreIntoDeps['config'];
}

const read = { action: 'project.read', project: 'param' } as const;
const create = { action: 'project.backups.create', project: 'param' } as const;
const download = { action: 'project.backups.download', project: 'param' } as const;
const restore = { action: 'project.backups.restore', project: 'param' } as const;

const backupViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    project: { type: 'string' },
    service: { type: 'string' },
    type: { type: 'string', enum: ['postgres', 'redis'] },
    kind: { type: 'string', enum: ['backup', 'restore'], description: 'a backup taken, or a restore of backupId into the service' },
    backupId: { type: ['string', 'null'], description: "a restore's backup" },
    status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
    bytes: { type: ['integer', 'null'], description: "a backup: its stored file's size (compressed, encrypted); a restore: the dump's size it applied" },
    errorCode: { type: ['string', 'null'] },
    errorMessage: { type: ['string', 'null'], description: 'why it failed, in a sentence without the data' },
    errorDetail: { type: ['string', 'null'], description: "the tool's last output lines, which may quote the service's rows: only for callers who may read the project's secrets (null for others)" },
    createdAt: { type: 'string' },
    startedAt: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'] },
  },
  required: ['id', 'project', 'service', 'type', 'kind', 'backupId', 'status', 'bytes', 'errorCode', 'errorMessage', 'errorDetail', 'createdAt', 'startedAt', 'finishedAt'],
  additionalProperties: false,
} as const;
const listSchema = { type: 'object', properties: { items: { type: 'array', items: backupViewSchema } }, required: ['items'], additionalProperties: false } as const;
const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
const serviceParams = { type: 'object', properties: { name, service: name }, required: ['name', 'service'] } as const;
const backupParams = { type: 'object', properties: { name, service: name, id: { type: 'string', pattern: '^bkp[a-z0-9]{12}$' } }, required: ['name', 'service', 'id'] } as const;

/** Backups of a project's managed services, their download, and restores into the same service or a new one. */
export const backupRoutes: ApiPlugin<BackupRoutesOptions> = async (app, { backups, queue, files, secrets, services, config }) => {
  const enqueue = async (row: BackupRow): Promise<BackupRow> => {
    try {
      await queue.enqueue(row.id);
    } catch (err) {
      await backups.finish(row.id, { status: 'failed', errorCode: 'QUEUE_UNAVAILABLE', errorMessage: 'the job queue did not take it' });
      throw err;
    }
    return row;
  };

  app.post(
    '/api/projects/:name/services/:service/backups',
    { config: create, schema: { params: serviceParams, response: { 202: backupViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const row = await enqueue(await backups.create(request.params.name, request.params.service, 'backup'));
      request.log.info({ project: row.project, service: row.service_name, backup: row.id }, 'service backup queued');
      return reply.status(202).send(backupView(row));
    },
  );

  app.get(
    '/api/projects/:name/services/:service/backups',
    { config: read, schema: { params: serviceParams, response: { 200: listSchema, ...errorResponses } } },
    async (request) => {
      const detail = showsSecrets(request, request.params.name);
      return { items: (await backups.list(request.params.name, request.params.service)).map((row) => backupView(row, detail)) };
    },
  );

  app.post(
    '/api/projects/:name/services/:service/backups/:id/restore',
    { config: restore, schema: { params: backupParams, body: restoreBody, response: { 202: backupViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const { name: project, service, id } = request.params;
      const { into, envName } = bodyOf(restoreSchema, request);
      if (envName !== undefined && into === undefined) throw new BerthError('VALIDATION_FAILED', 'envName: only with into (a new service)');
      let recorded: BackupRow;
      if (into === undefined) {
        await backups.load(project, service, id);
        recorded = await backups.create(project, service, 'restore', id);
      } else recorded = await restoreIntoNewService({ backups, services, config }, project, service, id, { name: into, envName });
      const row = await enqueue(recorded);
      request.log.info({ project, service, into, backup: id, restore: row.id }, 'service restore queued');
      return reply.status(202).send(backupView(row));
    },
  );
  downloadRoute(app, { backups, files, secrets });
};

/** A finished backup's dump, decrypted (its gzip), for the project's admins. */
function downloadRoute(app: ApiInstance, { backups, files, secrets }: Pick<BackupRoutesOptions, 'backups' | 'files' | 'secrets'>): void {
  app.get(
    '/api/projects/:name/services/:service/backups/:id/download',
    { config: download, schema: { params: backupParams, response: errorResponses } },
    async (request, reply) => {
      const row = await backups.load(request.params.name, request.params.service, request.params.id);
      if (row.kind !== 'backup' || row.status !== 'succeeded') throw new BerthError('CONFLICT', `${row.id} is not a finished backup (${row.kind}, ${row.status})`);
      // The whole file is checked before a byte is sent: a download is never a tampered dump cut short.
      await pipeline(files.read(row.project, row.id), decryptBackup(secrets, row.id), new Writable({ write: (_c, _e, done) => done() })).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BerthError('NOT_FOUND', `backup ${row.id}'s file is not in the backup store (BACKUP_DIR)`);
        throw err;
      });
      const body = new PassThrough();
      pipeline(files.read(row.project, row.id), decryptBackup(secrets, row.id), body).catch((err: unknown) => request.log.warn({ err, backup: row.id }, 'backup download cut short'));
      const extension = row.service_type === 'postgres' ? 'dump.gz' : 'rdb.gz';
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="${row.project}-${row.service_name}-${row.id}.${extension}"`)
        .send(body as never); // a stream: the response schema types JSON answers only
    },
  );
}

import { randomBytes } from 'node:crypto';
import type { Db, JobRow } from './db.ts';
import { BerthError } from './errors.ts';

/** Postgres' code for a unique violation (two requests adding the same name at once). */
const uniqueViolation = '23505';

export interface JobFields {
  schedule: string;
  command: string;
  timeoutSeconds: number;
  timezone: string | null;
}

/** `job` and 12 lowercase alphanumerics (part of its BullMQ job scheduler's id). */
export function newJobId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return 'job' + [...randomBytes(12)].map((b) => alphabet[b % 36]).join('');
}

const taken = (project: string, name: string) => new BerthError('CONFLICT', `project ${project} already has a job named ${name}`);

/** A project's scheduled jobs. The rows are the truth; each has a BullMQ job scheduler (apps/api/src/run-queue.ts). */
export class JobStore {
  constructor(private readonly db: Db) {}

  /** NOT_FOUND without the project, LIMIT_REACHED at `limit`, CONFLICT when the name is taken. */
  async add(project: string, name: string, fields: JobFields, limit: number): Promise<JobRow> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().executeTakeFirst();
        if (!found) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
        const { count } = await trx.selectFrom('jobs').select((eb) => eb.fn.countAll<string>().as('count')).where('project', '=', project).executeTakeFirstOrThrow();
        if (Number(count) >= limit) throw new BerthError('LIMIT_REACHED', `project ${project} has ${count} jobs, the most it may have (MAX_JOBS_PER_PROJECT); remove one first`);
        return trx
          .insertInto('jobs')
          .values({ id: newJobId(), project, name, schedule: fields.schedule, command: fields.command, timeout_seconds: fields.timeoutSeconds, timezone: fields.timezone })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === uniqueViolation) throw taken(project, name);
      throw err;
    }
  }

  /** The project's jobs by name; NOT_FOUND without the project. */
  async list(project: string): Promise<JobRow[]> {
    const exists = await this.db.selectFrom('projects').select('name').where('name', '=', project).executeTakeFirst();
    if (!exists) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    return this.db.selectFrom('jobs').selectAll().where('project', '=', project).orderBy('name').execute();
  }

  async get(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** NOT_FOUND when the project has no such job. */
  async load(project: string, name: string): Promise<JobRow> {
    const row = await this.db.selectFrom('jobs').selectAll().where('project', '=', project).where('name', '=', name).executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no job ${name}`);
    return row;
  }

  async update(project: string, name: string, fields: Partial<JobFields>): Promise<JobRow> {
    const row = await this.db
      .updateTable('jobs')
      .set({
        ...(fields.schedule !== undefined ? { schedule: fields.schedule } : {}),
        ...(fields.command !== undefined ? { command: fields.command } : {}),
        ...(fields.timeoutSeconds !== undefined ? { timeout_seconds: fields.timeoutSeconds } : {}),
        ...(fields.timezone !== undefined ? { timezone: fields.timezone } : {}),
        updated_at: new Date(),
      })
      .where('project', '=', project)
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no job ${name}`);
    return row;
  }

  /** Removes the row and its runs (cascade); NOT_FOUND when there is none. */
  async remove(project: string, name: string): Promise<JobRow> {
    const row = await this.db.deleteFrom('jobs').where('project', '=', project).where('name', '=', name).returningAll().executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no job ${name}`);
    return row;
  }

  /** Every job's id and project (a worker's sweep removes schedulers whose job is gone). */
  async ids(): Promise<Set<string>> {
    return new Set((await this.db.selectFrom('jobs').select('id').execute()).map((r) => r.id));
  }
}

import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db.ts';
import { BerthError } from '../errors.ts';
import type { ProjectRole } from './tables.ts';

export interface Member {
  project: string;
  userId: string;
  email: string;
  role: ProjectRole;
  createdAt: Date;
}

/**
 * Who has which role in a project. Changes to one project's members are
 * serialized (they lock the project's row), so two requests cannot together
 * remove the last two admins: a project with admins keeps at least one.
 */
export class MemberStore {
  constructor(private readonly db: Db) {}

  async list(project: string): Promise<Member[]> {
    const rows = await this.db
      .selectFrom('project_members')
      .innerJoin('users', 'users.id', 'project_members.user_id')
      .select(['project_members.project', 'project_members.user_id', 'users.email', 'project_members.role', 'project_members.created_at'])
      .where('project_members.project', '=', project)
      .orderBy('project_members.created_at')
      .orderBy('users.email')
      .execute();
    return rows.map((r) => ({ project: r.project, userId: r.user_id, email: r.email, role: r.role, createdAt: r.created_at }));
  }

  /** The user's role in each project they are a member of (what a principal is built from). */
  async rolesOf(userId: string): Promise<Map<string, ProjectRole>> {
    const rows = await this.db.selectFrom('project_members').select(['project', 'role']).where('user_id', '=', userId).execute();
    return new Map(rows.map((r) => [r.project, r.role]));
  }

  async roleOf(project: string, userId: string): Promise<ProjectRole | undefined> {
    const row = await this.db
      .selectFrom('project_members')
      .select('role')
      .where('project', '=', project)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role;
  }

  /** Makes the user a member; CONFLICT if they are one already (change the role with setRole). */
  async add(project: string, userId: string, role: ProjectRole): Promise<void> {
    await this.inProject(project, async (trx) => {
      const row = await trx
        .insertInto('project_members')
        .values({ project, user_id: userId, role })
        .onConflict((oc) => oc.columns(['project', 'user_id']).doNothing())
        .returning('role')
        .executeTakeFirst();
      if (!row) throw new BerthError('CONFLICT', `that user is a member of ${project} already`);
    });
  }

  /**
   * Makes the user admin of a project that has no members yet: its creator
   * (the API calls it right after a person's request made the project). Two
   * people making the same project at once: the first is its admin. True when added.
   */
  async addFirstAdmin(project: string, userId: string): Promise<boolean> {
    let added = false;
    await this.inProject(project, async (trx) => {
      const any = await trx.selectFrom('project_members').select('user_id').where('project', '=', project).limit(1).executeTakeFirst();
      if (any) return;
      await trx.insertInto('project_members').values({ project, user_id: userId, role: 'admin' }).execute();
      added = true;
    });
    return added;
  }

  /** Changes a member's role; the last admin stays an admin. */
  async setRole(project: string, userId: string, role: ProjectRole): Promise<void> {
    await this.inProject(project, async (trx) => {
      const current = await currentRole(trx, project, userId);
      if (current === 'admin' && role !== 'admin') await assertAnotherAdmin(trx, project, userId);
      await trx.updateTable('project_members').set({ role }).where('project', '=', project).where('user_id', '=', userId).execute();
    });
  }

  /** Removes a member; the last admin cannot be removed. */
  async remove(project: string, userId: string): Promise<void> {
    await this.inProject(project, async (trx) => {
      if ((await currentRole(trx, project, userId)) === 'admin') await assertAnotherAdmin(trx, project, userId);
      await trx.deleteFrom('project_members').where('project', '=', project).where('user_id', '=', userId).execute();
    });
  }

  private async inProject(project: string, change: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().executeTakeFirst();
      if (!locked) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
      try {
        await change(trx);
      } catch (err) {
        if ((err as { code?: string }).code === '23503') throw new BerthError('NOT_FOUND', 'that user does not exist', { cause: err });
        throw err;
      }
    });
  }
}

async function currentRole(trx: Transaction<Database>, project: string, userId: string): Promise<ProjectRole> {
  const row = await trx
    .selectFrom('project_members')
    .select('role')
    .where('project', '=', project)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new BerthError('NOT_FOUND', `that user is not a member of ${project}`);
  return row.role;
}

async function assertAnotherAdmin(trx: Transaction<Database>, project: string, userId: string): Promise<void> {
  const other = await trx
    .selectFrom('project_members')
    .select(sql<number>`1`.as('one'))
    .where('project', '=', project)
    .where('role', '=', 'admin')
    .where('user_id', '!=', userId)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw new BerthError('CONFLICT', `this is the last admin of ${project}: make another member admin first`);
}

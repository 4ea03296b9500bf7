import type { Db } from './db.ts';
import { BerthError } from './errors.ts';

export interface DomainRow {
  hostname: string;
  project: string;
  createdAt: Date;
}

/** Postgres error codes the store turns into Berth's. */
const uniqueViolation = '23505';

function pgCode(err: unknown): unknown {
  return (err as { code?: unknown } | undefined)?.code;
}

const toRow = (r: { hostname: string; project: string; created_at: Date }): DomainRow => ({
  hostname: r.hostname,
  project: r.project,
  createdAt: r.created_at,
});

/**
 * Custom hostnames routed to a project's current release (over HTTPS). A
 * hostname belongs to at most one project (it is the primary key). Hostnames
 * are stored as given: callers check them with `checkCustomHostname` first.
 */
export class DomainStore {
  constructor(private readonly db: Db) {}

  /**
   * Registers `hostname` for `project`: NOT_FOUND without that project, CONFLICT
   * if any project has it already, LIMIT_REACHED when the project has `limit`
   * already. The project's row is locked while it counts, so requests at once
   * cannot pass the limit together.
   */
  async add(project: string, hostname: string, limit = Number.POSITIVE_INFINITY): Promise<DomainRow> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().executeTakeFirst();
        if (!found) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
        const { n } = await trx.selectFrom('domains').select((eb) => eb.fn.countAll<string>().as('n')).where('project', '=', project).executeTakeFirstOrThrow();
        if (Number(n) >= limit) {
          throw new BerthError('LIMIT_REACHED', `project ${project} has ${n} domains, the most it may have (MAX_DOMAINS_PER_PROJECT); remove one first`);
        }
        const row = await trx.insertInto('domains').values({ hostname, project }).returning(['hostname', 'project', 'created_at']).executeTakeFirstOrThrow();
        return toRow(row);
      });
    } catch (err) {
      if (pgCode(err) === uniqueViolation) throw await this.taken(project, hostname);
      throw err;
    }
  }

  private async taken(project: string, hostname: string): Promise<BerthError> {
    const owner = await this.owner(hostname);
    return new BerthError(
      'CONFLICT',
      owner === project ? `${hostname} is already registered for project ${project}` : `${hostname} is already registered for another project`,
    );
  }

  /** The project's domains, oldest first; NOT_FOUND without that project. */
  async list(project: string): Promise<DomainRow[]> {
    const rows = await this.db
      .selectFrom('projects')
      .leftJoin('domains', 'domains.project', 'projects.name')
      .select(['domains.hostname', 'domains.created_at'])
      .where('projects.name', '=', project)
      .orderBy('domains.created_at')
      .orderBy('domains.hostname')
      .execute();
    if (rows.length === 0) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    return rows.flatMap((r) => (r.hostname && r.created_at ? [{ hostname: r.hostname, project, createdAt: r.created_at }] : []));
  }

  /** Unregisters it and returns what was removed; NOT_FOUND when the project does not have it. */
  async remove(project: string, hostname: string): Promise<DomainRow> {
    const row = await this.db
      .deleteFrom('domains')
      .where('hostname', '=', hostname)
      .where('project', '=', project)
      .returning(['hostname', 'project', 'created_at'])
      .executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `${hostname} is not registered for project ${project}`);
    return toRow(row);
  }

  /** Whether any project has it: what Caddy asks before it gets a certificate for a name. */
  async isRegistered(hostname: string): Promise<boolean> {
    return (await this.owner(hostname)) !== undefined;
  }

  /** Every registered hostname → its project (router-sync's view). */
  async projectsByHostname(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('domains').select(['hostname', 'project']).orderBy('hostname').execute();
    return new Map(rows.map((r) => [r.hostname, r.project]));
  }

  private async owner(hostname: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('domains').select('project').where('hostname', '=', hostname).executeTakeFirst();
    return row?.project;
  }
}

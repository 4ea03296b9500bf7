import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';
import { BerthError } from './errors.ts';

export interface DomainRow {
  hostname: string;
  project: string;
  createdAt: Date;
  /** What `_berth-challenge.<hostname>` must hold to prove the name; null for a name verified when added. */
  verificationToken: string | null;
  /** Null while pending: a pending name is neither routed nor given a certificate. */
  verifiedAt: Date | null;
}

/** Postgres error codes the store turns into Berth's. */
const uniqueViolation = '23505';

function pgCode(err: unknown): unknown {
  return (err as { code?: unknown } | undefined)?.code;
}

const columns = ['hostname', 'project', 'created_at', 'verification_token', 'verified_at'] as const;

const toRow = (r: { hostname: string; project: string; created_at: Date; verification_token: string | null; verified_at: Date | null }): DomainRow => ({
  hostname: r.hostname,
  project: r.project,
  createdAt: r.created_at,
  verificationToken: r.verification_token,
  verifiedAt: r.verified_at,
});

/** 128 random bits: a name's proof cannot be guessed, nor carried over from an earlier registration. */
const newToken = () => randomBytes(16).toString('hex');

export interface AddDomainOptions {
  /** The most domains (pending ones included) the project may have. */
  limit?: number;
  /** Verified at once (an operator turned verification off); otherwise pending with a new token. */
  verified?: boolean;
}

/**
 * Custom hostnames routed to a project's current release (over HTTPS), once
 * verified. A pending name may be asked for by several projects at once (so
 * nobody can squat a name its owner then cannot add), but only one project
 * has it verified (a unique index). Hostnames are stored as given: callers
 * check them with `checkCustomHostname` first.
 */
export class DomainStore {
  constructor(private readonly db: Db) {}

  /**
   * Registers `hostname` for `project`: NOT_FOUND without that project,
   * CONFLICT if the project has it already or another project has it
   * verified, LIMIT_REACHED when the project has `limit` already. The
   * project's row is locked while it counts, so requests at once cannot pass
   * the limit together.
   */
  async add(project: string, hostname: string, { limit = Number.POSITIVE_INFINITY, verified = false }: AddDomainOptions = {}): Promise<DomainRow> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().executeTakeFirst();
        if (!found) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
        const { n } = await trx.selectFrom('domains').select((eb) => eb.fn.countAll<string>().as('n')).where('project', '=', project).executeTakeFirstOrThrow();
        if (Number(n) >= limit) {
          throw new BerthError('LIMIT_REACHED', `project ${project} has ${n} domains, the most it may have (MAX_DOMAINS_PER_PROJECT); remove one first`);
        }
        const taken = await trx
          .selectFrom('domains')
          .select('project')
          .where('hostname', '=', hostname)
          .where((eb) => eb.or([eb('project', '=', project), eb('verified_at', 'is not', null)]))
          .executeTakeFirst();
        if (taken) throw takenError(project, hostname, taken.project);
        const values = verified ? { verification_token: null, verified_at: new Date() } : { verification_token: newToken(), verified_at: null };
        const row = await trx.insertInto('domains').values({ hostname, project, ...values }).returning(columns).executeTakeFirstOrThrow();
        return toRow(row);
      });
    } catch (err) {
      if (pgCode(err) === uniqueViolation) throw await this.taken(project, hostname);
      throw err;
    }
  }

  private async taken(project: string, hostname: string): Promise<BerthError> {
    return takenError(project, hostname, await this.owner(hostname));
  }

  /** The project's domains, oldest first; NOT_FOUND without that project. */
  async list(project: string): Promise<DomainRow[]> {
    const rows = await this.db
      .selectFrom('projects')
      .leftJoin('domains', 'domains.project', 'projects.name')
      .select(['domains.hostname', 'domains.created_at', 'domains.verification_token', 'domains.verified_at'])
      .where('projects.name', '=', project)
      .orderBy('domains.created_at')
      .orderBy('domains.hostname')
      .execute();
    if (rows.length === 0) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    return rows.flatMap((r) =>
      r.hostname && r.created_at ? [toRow({ ...r, hostname: r.hostname, created_at: r.created_at, project })] : [],
    );
  }

  /** The project's registration of `hostname`; NOT_FOUND when it has none. */
  async find(project: string, hostname: string): Promise<DomainRow> {
    const row = await this.db.selectFrom('domains').select(columns).where('hostname', '=', hostname).where('project', '=', project).executeTakeFirst();
    if (!row) throw notRegistered(project, hostname);
    return toRow(row);
  }

  /**
   * Marks the project's pending `hostname` verified (its proof was seen):
   * CONFLICT when another project has it verified, NOT_FOUND when the
   * project does not have it. A name verified already is returned as it is.
   */
  async markVerified(project: string, hostname: string): Promise<DomainRow> {
    const owner = await this.owner(hostname);
    if (owner !== undefined && owner !== project) throw takenError(project, hostname, owner);
    try {
      const row = await this.db
        .updateTable('domains')
        .set({ verified_at: new Date() })
        .where('hostname', '=', hostname)
        .where('project', '=', project)
        .where('verified_at', 'is', null)
        .returning(columns)
        .executeTakeFirst();
      return row ? toRow(row) : await this.find(project, hostname);
    } catch (err) {
      if (pgCode(err) === uniqueViolation) throw await this.taken(project, hostname);
      throw err;
    }
  }

  /** Unregisters it and returns what was removed; NOT_FOUND when the project does not have it. */
  async remove(project: string, hostname: string): Promise<DomainRow> {
    const row = await this.db
      .deleteFrom('domains')
      .where('hostname', '=', hostname)
      .where('project', '=', project)
      .returning(columns)
      .executeTakeFirst();
    if (!row) throw notRegistered(project, hostname);
    return toRow(row);
  }

  /** Whether a project has it verified: what Caddy asks before it gets a certificate for a name. */
  async isVerified(hostname: string): Promise<boolean> {
    return (await this.owner(hostname)) !== undefined;
  }

  /** Every verified hostname → its project (router-sync's view: pending names are not routed). */
  async projectsByHostname(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('domains').select(['hostname', 'project']).where('verified_at', 'is not', null).orderBy('hostname').execute();
    return new Map(rows.map((r) => [r.hostname, r.project]));
  }

  /** The project that has it verified, if any. */
  private async owner(hostname: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('domains')
      .select('project')
      .where('hostname', '=', hostname)
      .where('verified_at', 'is not', null)
      .executeTakeFirst();
    return row?.project;
  }
}

function takenError(project: string, hostname: string, owner: string | undefined): BerthError {
  return new BerthError(
    'CONFLICT',
    owner === project || owner === undefined
      ? `${hostname} is already registered for project ${project}`
      : `${hostname} is already registered for another project`,
  );
}

const notRegistered = (project: string, hostname: string) => new BerthError('NOT_FOUND', `${hostname} is not registered for project ${project}`);

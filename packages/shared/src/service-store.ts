import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, ServiceRow, ServiceType } from './db.ts';
import { BerthError } from './errors.ts';
import type { SecretBox } from './secret-box.ts';
import { servicePasswordPlace } from './service-kinds.ts';

export interface NewService {
  type: ServiceType;
  name: string;
  /** The image it runs (the setting's, its tag the version asked for) and that version. */
  image: string;
  version: string;
  envName: string;
  previews: boolean;
}

/** What a worker saw of a service's container. */
export interface ServiceState {
  status: string;
  message: string | null;
  restarts: number;
}

/** Postgres' code for a unique violation (two requests adding the same name at once). */
const uniqueViolation = '23505';

/** `svc` and 13 lowercase alphanumerics: part of its container's and volume's names (docker-names.ts). */
export function newServiceId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return 'svc' + [...randomBytes(13)].map((b) => alphabet[b % 36]).join('');
}

/** A generated password: 32 characters safe in a URL (no encoding needed, nothing a shell reads). */
export function newServicePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A project's managed services (issue 29). The rows are the truth: the workers' service upkeep
 * (apps/worker/src/services/service-upkeep.ts) makes each one's container, network and volume,
 * records what it sees, carries out a DELETE, and removes containers whose row is gone.
 */
export class ServiceStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  /** NOT_FOUND without the project, LIMIT_REACHED at `limit`, CONFLICT when the name or the variable is taken. */
  async add(project: string, service: NewService, limit: number): Promise<ServiceRow> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().executeTakeFirst();
        if (!found) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
        const others = await trx.selectFrom('services').selectAll().where('project', '=', project).execute();
        if (others.length >= limit) {
          throw new BerthError('LIMIT_REACHED', `project ${project} has ${others.length} services, the most it may have (MAX_SERVICES_PER_PROJECT); remove one first`);
        }
        if (others.some((o) => o.name === service.name)) throw new BerthError('CONFLICT', `project ${project} already has a service named ${service.name}`);
        const clash = others.find((o) => o.env_name === service.envName);
        if (clash) throw new BerthError('CONFLICT', `service ${clash.name} already gives the apps ${service.envName}; choose another envName`);
        const id = newServiceId();
        const password = this.secrets.seal({ password: newServicePassword() }, servicePasswordPlace(project, id));
        return trx
          .insertInto('services')
          .values({ id, project, name: service.name, type: service.type, image: service.image, version: service.version, env_name: service.envName, previews: service.previews, password_sealed: password })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === uniqueViolation) throw new BerthError('CONFLICT', `project ${project} already has a service named ${service.name} or giving ${service.envName}`);
      throw err;
    }
  }

  /** The project's services by name (those being deleted too); NOT_FOUND without the project. */
  async list(project: string): Promise<ServiceRow[]> {
    const exists = await this.db.selectFrom('projects').select('name').where('name', '=', project).executeTakeFirst();
    if (!exists) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    return this.db.selectFrom('services').selectAll().where('project', '=', project).orderBy('name').execute();
  }

  /** The project's services its apps get (not those being deleted): what a release connects to. */
  async forProject(project: string): Promise<ServiceRow[]> {
    return this.db.selectFrom('services').selectAll().where('project', '=', project).where('delete_requested', '=', false).orderBy('name').execute();
  }

  async byId(id: string): Promise<ServiceRow | undefined> {
    return this.db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Every service of the installation: the upkeep's work list. */
  async all(): Promise<ServiceRow[]> {
    return this.db.selectFrom('services').selectAll().execute();
  }

  /** The generated password, unsealed (the row must be the one it was sealed for). */
  password(row: Pick<ServiceRow, 'project' | 'id' | 'password_sealed'>): string {
    return this.secrets.open(row.password_sealed, servicePasswordPlace(row.project, row.id)).password!;
  }

  /** Marks it for deletion (the workers remove its container, and its volume when `deleteData`); NOT_FOUND when there is none. */
  async requestDelete(project: string, name: string, deleteData: boolean): Promise<ServiceRow> {
    const row = await this.db
      .updateTable('services')
      .set({ delete_requested: true, delete_data: sql<boolean>`delete_data or ${deleteData}`, status: 'deleting' })
      .where('project', '=', project)
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no service ${name}`);
    return row;
  }

  /** The row goes once its container (and, if asked, its volume) has. */
  async forget(id: string): Promise<void> {
    await this.db.deleteFrom('services').where('id', '=', id).execute();
  }

  async recordState(id: string, state: ServiceState): Promise<void> {
    await this.db
      .updateTable('services')
      .set({ status: state.status, status_message: state.message, restarts: state.restarts })
      .where('id', '=', id)
      .where('delete_requested', '=', false)
      .execute();
  }

  async recordUsage(id: string, bytes: number): Promise<void> {
    await this.db.updateTable('services').set({ bytes_used: bytes, measured_at: new Date() }).where('id', '=', id).execute();
  }
}

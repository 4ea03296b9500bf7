import { sql, type Transaction } from 'kysely';
import type { Database, Db, DeploymentRow } from './db.ts';
import { assertTransition, isFinal, type DeploymentStatus } from './deployment-state.ts';
import type { ControlPublisher } from './control-messages.ts';
import { deploymentPayload, deploymentPayloadSql, recordWebhookEvent, statusEvent, type WebhookEvent } from './webhook-outbox.ts';
import type { Logger } from './logger.ts';
import type { StatusPublisher } from './status-publisher.ts';
import { endByRequest, type EndDeps } from './deployment-ending.ts';
import { retrying, type RetryPolicy } from './retry-policy.ts';

// The policies are chosen by the lifecycle's callers (the API, the worker, tests, benches).
export { noRetry, retryUntilPostgresIsBack, type RetryPolicy } from './retry-policy.ts';

/** Columns a status change may set along with the status. */
export interface TransitionFields {
  errorCode?: string;
  errorMessage?: string;
  image?: string | null;
  containerId?: string | null;
  /** The runtime that started the app (recorded with its container id). */
  runtime?: 'docker' | 'swarm';
}

export interface LifecycleDeps {
  db: Db;
  status: StatusPublisher;
  control: ControlPublisher;
  /** Drops a job no worker has taken yet; without it, the worker that takes it sees the status and drops it. */
  pendingJobs?: { remove(deploymentId: string): Promise<void> };
  retry: RetryPolicy;
  logger?: Logger;
}

/**
 * The one owner of deployment status changes. Every change is: check it
 * against the transition table, compare-and-set in SQL (`… WHERE status IN
 * from`, so two workers can never both own a deployment), record it in
 * `deployment_transitions` in the same transaction, then announce it (status
 * event for viewers; a poke for router-sync when routes may change). The SQL
 * that writes `deployments.status` lives here and nowhere else (a test scans
 * the source tree for that).
 */
export class DeploymentLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /**
   * Moves the deployment to `to` if it is in one of `from`, and announces it.
   * Returns the updated row, or undefined when it was in none of them (someone
   * else moved it). Retries per the policy while Postgres is unreachable; a
   * retry after a lost answer finds the deployment already in `to`, which
   * counts as done (and is announced).
   */
  async transition(
    id: string,
    from: readonly DeploymentStatus[],
    to: DeploymentStatus,
    fields: TransitionFields = {},
  ): Promise<DeploymentRow | undefined> {
    for (const f of from) assertTransition(f, to);
    const { retry, logger } = this.deps;
    const row = await retrying(
      retry,
      async (attempt) => {
        const done = await this.compareAndSet(id, from, to, fields);
        // A retry after a lost answer: the deployment is in `to` already.
        if (!done && attempt > 0) {
          const now = await this.get(id);
          if (now?.status === to) return now;
        }
        return done;
      },
      (err, attempt) => logger?.warn({ err, deploymentId: id, to, attempt }, 'status change failed; retrying'),
    );
    if (row) await this.deps.status.publish(row);
    return row;
  }

  /**
   * Starts an attempt (→ `fetching`) unless another deployment of the same project is being
   * built or started: one build per project at a time. 'busy' then (the job
   * waits and asks again); undefined when the deployment was in none of `from`.
   * The project row is locked while deciding, so two workers taking two
   * deployments of one project at once cannot both begin.
   */
  async beginAttempt(
    id: string,
    from: readonly DeploymentStatus[],
    to: 'fetching',
  ): Promise<DeploymentRow | 'busy' | undefined> {
    for (const f of from) assertTransition(f, to);
    let busy = false;
    const row = await this.compareAndSet(id, from, to, {}, async (trx, { project }) => {
      await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().execute();
      const other = await trx
        .selectFrom('deployments')
        .select('id')
        .where('project', '=', project)
        .where('id', '!=', id)
        .where('status', 'in', ['fetching', 'building', 'starting'])
        .executeTakeFirst();
      busy = other !== undefined;
      return !busy;
    });
    if (busy) return 'busy';
    if (row) await this.deps.status.publish(row);
    return row;
  }

  /**
   * The newest wins: for each of `newest`, cancels the queued deployments of
   * its lane (its project and branch; production is one lane, each preview
   * branch another) older than it (SUPERSEDED) and drops their jobs. One
   * being built is never touched. Returns the ids it canceled.
   *
   * One statement for all lanes (one round trip, atomic like `transition`'s
   * transaction): the compare-and-set of every such row, their transitions
   * and their webhook deliveries. `UPDATE … WHERE status = 'queued'` waits
   * for a row another request is changing and then re-checks it, so each row
   * is canceled once, by whoever gets there first. Older means older in
   * (created_at, id), or given earlier in the same lane: of two made in the
   * same millisecond exactly one wins.
   */
  async supersedeQueued(newest: readonly DeploymentRow[]): Promise<string[]> {
    assertTransition('queued', 'canceled');
    // Of several in one lane (a batch), the last given wins: the order they came in, whatever their ids.
    const lanes = new Map<string, { newest: DeploymentRow; earlier: string[] }>();
    for (const row of newest) {
      const key = JSON.stringify([row.project, row.branch]);
      const lane = lanes.get(key);
      lanes.set(key, { newest: row, earlier: lane ? [...lane.earlier, lane.newest.id] : [] });
    }
    if (lanes.size === 0) return [];
    const { rows: canceled } = await supersedeStatement([...lanes.values()], new Date()).execute(this.deps.db);
    // Their status events in one round trip where the publisher can (into one project, every enqueue cancels one: bench:api).
    const { status } = this.deps;
    await (status.publishAll ? status.publishAll(canceled) : Promise.all(canceled.map((row) => status.publish(row))));
    await Promise.all(canceled.map((row) => this.deps.pendingJobs?.remove(row.id)));
    return canceled.map((row) => row.id);
  }

  /** Cancels a deployment still in flight; CONFLICT once it is live or over. */
  async cancel(id: string): Promise<DeploymentRow> {
    return endByRequest(this.endDeps(), id, 'cancel');
  }

  /**
   * Stops a deployment in any state: one in flight is canceled, a live one
   * stopped; one already over is returned as it is (stopping is idempotent).
   * The workers clean up (control message; the reaper retries what is missed).
   */
  async stop(id: string): Promise<DeploymentRow> {
    return endByRequest(this.endDeps(), id, 'stop');
  }

  private endDeps(): EndDeps {
    const { control, pendingJobs } = this.deps;
    return { control, pendingJobs, get: (id) => this.get(id), transition: (...args) => this.transition(...args) };
  }

  private async get(id: string): Promise<DeploymentRow | undefined> {
    return this.deps.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private async compareAndSet(
    id: string,
    from: readonly DeploymentStatus[],
    to: DeploymentStatus,
    fields: TransitionFields,
    guard?: (trx: Transaction<Database>, row: { project: string }) => Promise<boolean>,
  ): Promise<DeploymentRow | undefined> {
    const now = new Date();
    return this.deps.db.transaction().execute(async (trx) => {
      if (guard) {
        const current = await trx.selectFrom('deployments').select('project').where('id', '=', id).executeTakeFirst();
        if (!current || !(await guard(trx, current))) return undefined;
      }
      const row = await trx
        .updateTable('deployments')
        .set({
          status: to,
          updated_at: now,
          ...(fields.errorCode !== undefined ? { error_code: fields.errorCode } : {}),
          ...(fields.errorMessage !== undefined ? { error_message: fields.errorMessage } : {}),
          ...(fields.image !== undefined ? { image: fields.image } : {}),
          ...(fields.containerId !== undefined ? { container_id: fields.containerId } : {}),
          ...(fields.runtime !== undefined ? { runtime: fields.runtime } : {}),
          ...(isFinal(to) ? { finished_at: now } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returningAll()
        .executeTakeFirst();
      if (row) {
        await trx
          .insertInto('deployment_transitions')
          .values({ deployment_id: id, status: to, error_code: row.error_code, error_message: row.error_message, at: now })
          .execute();
        // Outgoing webhooks: recorded with the change itself (an outbox).
        const event = statusEvent(to);
        if (event) await recordWebhookEvent(trx, row.project, event, { deployment: deploymentPayload(row) });
      }
      return row;
    });
  }
}

/**
 * `supersedeQueued`'s statement. The webhook payload is `deploymentPayload`'s
 * shape built in SQL (`deploymentPayloadSql`); delivery ids are `whd_` and
 * 20 random hex digits.
 */
function supersedeStatement(lanes: readonly { newest: DeploymentRow; earlier: string[] }[], now: Date) {
  const event: WebhookEvent = 'deployment.canceled';
  const newest = sql.join(
    lanes.map(({ newest: n, earlier }) => sql`(${n.project}::text, ${n.branch}::text, ${n.created_at}::timestamptz, ${n.id}::text, ${earlier}::text[])`),
  );
  return sql<DeploymentRow>`
    with c as (
      update deployments d
         set status = 'canceled', updated_at = ${now}, finished_at = ${now}, error_code = 'SUPERSEDED',
             error_message = 'superseded by the newer deployment ' || n.id || ' of ' || n.project
        from (values ${newest}) as n (project, branch, created_at, id, earlier)
       where d.project = n.project and d.status = 'queued' and d.branch is not distinct from n.branch
         and ((d.created_at, d.id) < (n.created_at, n.id) or d.id = any(n.earlier))
      returning d.*
    ), t as (
      insert into deployment_transitions (deployment_id, status, error_code, error_message, at)
      select id, status, error_code, error_message, ${now} from c
    ), w as (
      insert into webhook_deliveries (id, webhook_id, event, payload)
      select did, hook, ${event}, jsonb_build_object('id', did, 'event', ${event}::text, 'createdAt', ${now.toISOString()}::text, 'project', project,
        'data', ${deploymentPayloadSql()})
      from (
        select 'whd_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20) as did, h.id as hook, c.*
          from c join webhooks h on h.project = c.project and ${event} = any(h.events)
      ) d
    )
    select * from c`;
}

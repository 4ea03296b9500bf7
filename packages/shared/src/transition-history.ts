import type { Db } from './db.ts';
import type { DeploymentStatus } from './deployment-state.ts';

export interface RecordedTransition {
  status: DeploymentStatus;
  errorCode: string | null;
  errorMessage: string | null;
  at: Date;
}

/** The status changes `DeploymentLifecycle` recorded (read side; it alone writes them). */
export class TransitionHistory {
  constructor(private readonly db: Db) {}

  /** One deployment's status changes, oldest first. */
  async list(deploymentId: string): Promise<RecordedTransition[]> {
    const rows = await this.db
      .selectFrom('deployment_transitions')
      .select(['status', 'error_code', 'error_message', 'at'])
      .where('deployment_id', '=', deploymentId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ status: r.status, errorCode: r.error_code, errorMessage: r.error_message, at: r.at }));
  }
}

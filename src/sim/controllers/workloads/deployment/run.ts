import type { ResourceClient } from '../../../api/client.js';
import type { KubeObject } from '../../../store/types.js';
import type { EventType } from '../../events.js';

/** What one sync of one Deployment works with (the parts of a rollout share it). */
export interface DeploymentRun {
  /** The Deployment as last read or written in this sync. */
  d: KubeObject;
  deployments: ResourceClient;
  replicaSets: ResourceClient;
  now(): Date;
  record(type: EventType, reason: string, message: string): Promise<void>;
  /** The pods each ReplicaSet controls (Recreate waits for old ones to go). */
  podsOf(rs: KubeObject): KubeObject[];
  /** Look at this Deployment again in `ms` (progress deadline). */
  requeueAfter(ms: number): void;
}

/** Write the Deployment's status; keep the run's copy current. */
export async function updateStatus(run: DeploymentRun, status: Record<string, unknown>): Promise<void> {
  run.d = await run.deployments.update({ ...run.d, status }, 'status');
}

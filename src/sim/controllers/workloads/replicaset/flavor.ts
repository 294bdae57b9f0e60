import type { KubeObject } from '../../../store/types.js';
import { labelSelects } from '../refs.js';

/**
 * ReplicaSets and ReplicationControllers are run by the same controller upstream
 * (`replicaset.NewBaseController`); they differ in kind, selector shape and event source.
 */
export interface ReplicaFlavor {
  /** Controller (and event source) name. */
  component: string;
  storage: string;
  group: string;
  plural: string;
  apiVersion: string;
  kind: string;
  selects(owner: KubeObject): (labels: Record<string, string> | undefined) => boolean;
}

export const REPLICA_SETS: ReplicaFlavor = {
  component: 'replicaset-controller',
  storage: 'apps/replicasets',
  group: 'apps',
  plural: 'replicasets',
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selects: (rs) => labelSelects(rs.spec?.selector),
};

export const REPLICATION_CONTROLLERS: ReplicaFlavor = {
  component: 'replication-controller',
  storage: 'core/replicationcontrollers',
  group: '',
  plural: 'replicationcontrollers',
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selects: (rc) => {
    const selector: Record<string, string> = rc.spec?.selector ?? {};
    const entries = Object.entries(selector);
    return (labels) => entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
  },
};

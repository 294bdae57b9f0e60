import { UserError } from '../errors.js';
import { type LabDefinition, loadLabDefinition, MAX_WORKERS } from './lab-definition.js';
import type { LabSpec } from './types.js';

export const DEFAULT_LAB_ID = 'default';
export const MAX_NODES = MAX_WORKERS + 1;

export interface LabRequest {
  name: string;
  /** A lab definition id (`labs/<id>.yaml`); the default definition when absent. */
  labId?: string;
  /** Total node count (one control plane, the rest workers); overrides the definition's. */
  nodes?: number;
}

/** The lab to make: the definition, with the node count from the command line when given. */
export function resolveLabSpec(
  req: LabRequest,
  definitionsDir: string,
): { spec: LabSpec; definition: LabDefinition } {
  const definition = loadLabDefinition(definitionsDir, req.labId ?? DEFAULT_LAB_ID);
  let { controlPlanes, workers } = definition.nodes;
  if (req.nodes !== undefined) {
    if (!Number.isInteger(req.nodes) || req.nodes < 1 || req.nodes > MAX_NODES)
      throw new UserError(
        `--nodes is the total node count (one control plane plus workers): a whole number from 1 to ${MAX_NODES}`,
        { fix: `clusterlab up --name ${req.name} --nodes 3` },
      );
    workers = req.nodes - controlPlanes;
  }
  return {
    definition,
    spec: {
      name: req.name,
      labId: definition.id,
      controlPlanes,
      workers,
      kubernetesVersion: definition.kubernetesVersion,
      podSubnet: definition.podSubnet,
      serviceSubnet: definition.serviceSubnet,
      topology: {
        controlPlane: definition.nodes.controlPlane,
        worker: definition.nodes.worker,
        // With --nodes, per-node settings for nodes the lab does not get are dropped.
        byName: definition.nodes.byName,
        runtimeVersion: definition.runtime.version,
        defaultStorageClass: definition.defaultStorageClass,
      },
      addons: definition.addons,
      vagrant: definition.vagrant,
    },
  };
}

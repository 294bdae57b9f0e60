import { storageClassOf } from '../../kinds/common/storage.js';
import type { KubeObject } from '../../store/types.js';
import { ANN_LOCAL_PATH_NODE, ANN_PROVISIONED_BY, LOCAL_PATH_PROVISIONER } from './names.js';

/**
 * The volumes rancher's local-path-provisioner makes, as kind configures it: a directory
 * `/var/local-path-provisioner/<pv>_<namespace>_<claim>` on the node the scheduler chose,
 * offered as a hostPath volume pinned to that node.
 */

/** kind's `nodePathMap`: every node uses this base path. */
export const LOCAL_PATH_BASE = '/var/local-path-provisioner';

const NODE_KEY = 'kubernetes.io/hostname';

/** Why the provisioner refuses a claim, in its own words; undefined when it can serve it. */
export function localPathRefusal(claim: KubeObject, node: KubeObject | undefined): string | undefined {
  const sel = claim.spec?.selector;
  if (sel && (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0)) {
    return 'claim.Spec.Selector is not supported';
  }
  for (const mode of claim.spec?.accessModes ?? []) {
    if (mode !== 'ReadWriteOnce' && mode !== 'ReadWriteOncePod') {
      return 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes';
    }
  }
  if (!node) return 'configuration error, no node was specified';
  return undefined;
}

export function localPathDirectory(pvName: string, claim: KubeObject): string {
  return `${LOCAL_PATH_BASE}/${pvName}_${claim.metadata.namespace}_${claim.metadata.name}`;
}

/** The volume for a claim: the claim's size and access modes, the class's reclaim policy. */
export function localPathVolume(
  pvName: string,
  claim: KubeObject,
  node: KubeObject,
  sc: KubeObject,
): KubeObject {
  const hostname = node.metadata.labels?.[NODE_KEY] ?? node.metadata.name!;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: pvName,
      annotations: {
        [ANN_LOCAL_PATH_NODE]: node.metadata.name!,
        [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER,
      },
    },
    spec: {
      accessModes: structuredClone(claim.spec?.accessModes ?? []),
      capacity: { storage: claim.spec?.resources?.requests?.storage },
      hostPath: { path: localPathDirectory(pvName, claim), type: 'DirectoryOrCreate' },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: NODE_KEY, operator: 'In', values: [hostname] }] }],
        },
      },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: storageClassOf(claim),
      volumeMode: 'Filesystem',
    },
  };
}

/**
 * Where a local-path volume's directory is, or the provisioner's reason for not knowing
 * (what its Delete reports before removing the directory).
 */
export function localPathLocation(pv: KubeObject): { node: string; path: string } | { error: string } {
  const path = pv.spec?.hostPath?.path;
  if (!path) return { error: 'no HostPath set' };
  const required = pv.spec?.nodeAffinity?.required;
  if (!pv.spec?.nodeAffinity) return { error: 'no NodeAffinity set' };
  if (!required) return { error: 'no NodeAffinity.Required set' };
  for (const term of required.nodeSelectorTerms ?? []) {
    for (const expr of term.matchExpressions ?? []) {
      if (expr.key === NODE_KEY && expr.operator === 'In') {
        if ((expr.values ?? []).length !== 1) return { error: 'multiple values for the node affinity' };
        return { node: expr.values[0], path };
      }
    }
  }
  return { error: 'cannot find affinited node' };
}

/**
 * Names the storage controllers share with the rest of the cluster: the annotations and
 * finalizers upstream's PV controller, scheduler and external provisioners agree on, and the
 * store keys of the resources they read.
 */

/** On a claim: the binding went through once; a claim without it is still "unbound". */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** On a volume or claim: the controller (not the user) made the binding. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** On a WaitForFirstConsumer claim: the node the scheduler chose for its first pod. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** On a claim: the provisioner asked to make its volume (both keys are set, as upstream does). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** On a volume: who provisioned it (the deleter is looked up from it). */
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** On a local-path volume: the node its directory was made on. */
export const ANN_LOCAL_PATH_NODE = 'local.path.provisioner/selected-node';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** The event source of the PV binder in kube-controller-manager. */
export const PV_CONTROLLER = 'persistentvolume-controller';
/** kind's provisioner, named as its StorageClass `standard` names it. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';

export const PVCS = 'core/persistentvolumeclaims';
export const PVS = 'core/persistentvolumes';
export const PODS = 'core/pods';
export const NODES = 'core/nodes';
export const NAMESPACES = 'core/namespaces';
export const STORAGE_CLASSES = 'storage.k8s.io/storageclasses';

/** `namespace/name`, the key claims are found by. */
export const claimKey = (namespace: string | undefined, name: string | undefined) =>
  `${namespace ?? ''}/${name ?? ''}`;

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

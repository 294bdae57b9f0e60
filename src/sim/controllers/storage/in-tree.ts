import { randomUUID } from 'node:crypto';
import { ApiError } from '../../api/errors.js';
import { storageClassOf } from '../../kinds/common/storage.js';
import type { KubeObject } from '../../store/types.js';
import { claimReference } from './binder.js';
import { ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, PVS } from './names.js';
import type { PvSync } from './sync-context.js';

/**
 * The volume plugins built into kube-controller-manager that a kind cluster still has:
 * hostPath, whose provisioner kind switches on (`--enable-hostpath-provisioner`), and the
 * provisioner names that 1.33 hands over to CSI drivers. Nothing else in-tree provisions or
 * deletes.
 */

export const HOST_PATH_PLUGIN = 'kubernetes.io/host-path';
/** On volumes the PV controller itself provisioned with reclaim policy Delete (HonorPVReclaimPolicy). */
export const IN_TREE_FINALIZER = 'kubernetes.io/pv-controller';

/** In-tree provisioner names that kube-controller-manager 1.33 hands to their CSI drivers. */
export const CSI_MIGRATED: Record<string, string> = {
  'kubernetes.io/aws-ebs': 'ebs.csi.aws.com',
  'kubernetes.io/azure-disk': 'disk.csi.azure.com',
  'kubernetes.io/azure-file': 'file.csi.azure.com',
  'kubernetes.io/cinder': 'cinder.csi.openstack.org',
  'kubernetes.io/gce-pd': 'pd.csi.storage.gke.io',
  'kubernetes.io/portworx-volume': 'pxd.portworx.com',
  'kubernetes.io/vsphere-volume': 'csi.vsphere.vmware.com',
};

/** The provisioner a class names, as the PV controller sees it: external (by name) or in-tree. */
export function externalProvisioner(provisioner: string): string | undefined {
  if (CSI_MIGRATED[provisioner]) return CSI_MIGRATED[provisioner];
  return provisioner.startsWith('kubernetes.io/') ? undefined : provisioner;
}

/**
 * The hostPath provisioner (meant for single-node test clusters): a directory
 * `/tmp/hostpath_pv/<uuid>` wherever the pod lands, whatever node the scheduler chose.
 */
export async function provisionHostPath(sync: PvSync, claim: KubeObject, sc: KubeObject): Promise<void> {
  const { binder } = sync;
  const annotated = await binder.setClaimProvisioner(claim, HOST_PATH_PLUGIN);
  const pvName = `pvc-${claim.metadata.uid}`;
  if (sync.store.get(PVS, undefined, pvName)) return;
  const className = storageClassOf(claim);
  const mountOptions: string[] = sc.mountOptions ?? [];
  if (mountOptions.length > 0) {
    await binder.event(
      annotated,
      'Warning',
      'ProvisioningFailed',
      `Mount options are not supported by the provisioner but StorageClass "${className}" has mount options [${mountOptions.join(' ')}]`,
    );
    return;
  }
  if (claim.spec?.volumeMode === 'Block') {
    await rescheduleProvisioning(sync, annotated);
    await binder.event(
      annotated,
      'Warning',
      'ProvisioningFailed',
      `Failed to provision volume with StorageClass "${className}": ${HOST_PATH_PLUGIN} does not support block volume provisioning`,
    );
    return;
  }
  const reclaim = sc.reclaimPolicy ?? 'Delete';
  const volume: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: pvName,
      annotations: {
        'kubernetes.io/createdby': 'hostpath-dynamic-provisioner',
        [ANN_BOUND_BY_CONTROLLER]: 'yes',
        [ANN_PROVISIONED_BY]: HOST_PATH_PLUGIN,
      },
      ...(reclaim === 'Delete' ? { finalizers: [IN_TREE_FINALIZER] } : {}),
    },
    spec: {
      accessModes: structuredClone(claim.spec?.accessModes ?? []),
      capacity: { storage: claim.spec?.resources?.requests?.storage },
      hostPath: { path: `/tmp/hostpath_pv/${randomUUID()}` },
      persistentVolumeReclaimPolicy: reclaim,
      claimRef: claimReference(annotated),
      storageClassName: className,
    },
  };
  try {
    await sync.pvs.create(volume);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
  }
  await binder.event(
    annotated,
    'Normal',
    'ProvisioningSucceeded',
    `Successfully provisioned volume ${pvName} using ${HOST_PATH_PLUGIN}`,
  );
}

/** Give the scheduler the node choice back after a failed provisioning. */
async function rescheduleProvisioning(sync: PvSync, claim: KubeObject): Promise<void> {
  if (claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) return;
  const annotations = { ...claim.metadata.annotations };
  delete annotations[ANN_SELECTED_NODE];
  await sync.pvcs.update({ ...claim, metadata: { ...claim.metadata, annotations } });
}

/**
 * Keep the in-tree deletion finalizer in step with the reclaim policy of a volume the PV
 * controller provisioned (upstream's modifyDeletionFinalizers).
 */
export async function syncInTreeFinalizer(sync: PvSync, pv: KubeObject): Promise<KubeObject> {
  const provisioner = pv.metadata.annotations?.[ANN_PROVISIONED_BY];
  if (!provisioner?.startsWith('kubernetes.io/') || CSI_MIGRATED[provisioner]) return pv;
  const finalizers = pv.metadata.finalizers ?? [];
  const has = finalizers.includes(IN_TREE_FINALIZER);
  const wants = pv.spec?.persistentVolumeReclaimPolicy === 'Delete';
  if (has === wants) return pv;
  const next = wants ? [...finalizers, IN_TREE_FINALIZER] : finalizers.filter((f) => f !== IN_TREE_FINALIZER);
  return sync.pvs.update({ ...pv, metadata: { ...pv.metadata, finalizers: next } });
}

import type { KubeObject } from '../../store/types.js';
import { externalProvisioner, HOST_PATH_PLUGIN, IN_TREE_FINALIZER } from './in-tree.js';
import { ANN_PROVISIONED_BY, claimKey, PVCS, PVS } from './names.js';
import { isPodTerminated } from './pods.js';
import type { PvSync } from './sync-context.js';

/**
 * What the PV controller does with a volume whose claim is gone, by reclaim policy: Retain
 * keeps it Released with its claimRef; Delete removes it (its provisioner does, for
 * provisioned volumes; the in-tree hostPath deleter only under /tmp; other sources fail);
 * the deprecated Recycle empties hostPath and NFS volumes and makes them Available again.
 */

export async function reclaimVolume(sync: PvSync, volume: KubeObject): Promise<void> {
  switch (volume.spec?.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return;
    case 'Recycle':
      return recycleVolume(sync, volume);
    case 'Delete':
      return deleteVolume(sync, volume);
    default:
      await sync.binder.updateVolumePhaseWithEvent(
        volume,
        'Failed',
        'Warning',
        'VolumeUnknownReclaimPolicy',
        'Volume has unrecognized PersistentVolumeReclaimPolicy',
      );
  }
}

/** Bound to a claim that no longer exists, or whose claim went to another volume. */
export function isVolumeReleased(sync: PvSync, pv: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref?.uid) return false;
  const claim = sync.store.get(PVCS, ref.namespace, ref.name);
  if (claim && claim.metadata.uid === ref.uid) {
    return !!claim.spec?.volumeName && claim.spec.volumeName !== pv.metadata.name;
  }
  return true;
}

type Deleter = { kind: 'external' } | { kind: 'in-tree' } | { kind: 'none'; error: string };

/** Who deletes a volume: its external provisioner, the in-tree hostPath plugin, or nobody (and why). */
function deleterFor(pv: KubeObject): Deleter {
  const provisionedBy = pv.metadata.annotations?.[ANN_PROVISIONED_BY];
  if (provisionedBy && provisionedBy !== HOST_PATH_PLUGIN) {
    if (externalProvisioner(provisionedBy)) return { kind: 'external' };
    return { kind: 'none', error: `no volume plugin matched name: ${provisionedBy}` };
  }
  if (pv.spec?.csi) return { kind: 'external' };
  if (pv.spec?.hostPath) {
    const path: string = pv.spec.hostPath.path ?? '';
    // The hostPath deleter refuses anything outside /tmp (its pattern is not anchored).
    if (/\/tmp\/.+/.test(path)) return { kind: 'in-tree' };
    return { kind: 'none', error: `host_path deleter only supports /tmp/.+ but received provided ${path}` };
  }
  return {
    kind: 'none',
    error: `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`,
  };
}

async function deleteVolume(sync: PvSync, volume: KubeObject): Promise<void> {
  const current = sync.store.get(PVS, undefined, volume.metadata.name!);
  if (!current || !isVolumeReleased(sync, current)) return;
  const deleter = deleterFor(current);
  if (deleter.kind === 'external') return; // Its provisioner watches for Released volumes.
  if (deleter.kind === 'none') {
    await sync.binder.updateVolumePhaseWithEvent(
      current,
      'Failed',
      'Warning',
      'VolumeFailedDelete',
      deleter.error,
    );
    return;
  }
  // The directory is gone (issue 4 removes its files here); the in-tree finalizer goes with it.
  const finalizers = current.metadata.finalizers ?? [];
  let latest = current;
  if (finalizers.includes(IN_TREE_FINALIZER)) {
    const rest = finalizers.filter((f) => f !== IN_TREE_FINALIZER);
    latest = await sync.pvs.update({ ...current, metadata: { ...current.metadata, finalizers: rest } });
  }
  if (sync.store.get(PVS, undefined, latest.metadata.name!))
    await sync.pvs.delete(undefined, latest.metadata.name!);
}

/**
 * Recycle as the in-tree hostPath and NFS recyclers do. Upstream runs a `recycler-for-<pv>`
 * pod that empties the directory; the sim goes straight to the result (approximation).
 */
async function recycleVolume(sync: PvSync, volume: KubeObject): Promise<void> {
  const current = sync.store.get(PVS, undefined, volume.metadata.name!);
  if (!current || !isVolumeReleased(sync, current)) return;
  const ref = current.spec.claimRef;
  const users = sync.pods
    .get('claim', claimKey(ref.namespace, ref.name))
    .filter((p) => !isPodTerminated(p))
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
    .sort();
  const claimExists = !!sync.store.get(PVCS, ref.namespace, ref.name);
  if (users.length > 0 && !claimExists) {
    await sync.binder.event(
      current,
      'Normal',
      'VolumeFailedRecycle',
      `Volume is used by pods: ${users.join(',')}`,
    );
    return;
  }
  if (!current.spec.hostPath && !current.spec.nfs) {
    await sync.binder.updateVolumePhaseWithEvent(
      current,
      'Failed',
      'Warning',
      'VolumeFailedRecycle',
      'No recycler plugin found for the volume!',
    );
    return;
  }
  await sync.binder.event(current, 'Normal', 'VolumeRecycled', 'Volume recycled');
  await sync.binder.unbindVolume(current);
}

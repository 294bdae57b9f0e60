import type { KubeObject } from '../../store/types.js';
import { syncInTreeFinalizer } from './in-tree.js';
import { volumeModeMismatch } from './matching.js';
import { ANN_PROVISIONED_BY, claimKey, PVCS } from './names.js';
import { reclaimVolume } from './reclaim.js';
import type { PvSync } from './sync-context.js';

/**
 * The volume half of upstream's persistentvolume-binder (syncVolume): keep the phase in step
 * with the binding (Available, Bound, Released) and reclaim volumes whose claim is gone.
 */
export async function syncVolume(sync: PvSync, current: KubeObject): Promise<void> {
  const { binder } = sync;
  const volume = await syncInTreeFinalizer(sync, current);
  const ref = volume.spec?.claimRef;
  // Unused, or reserved for a claim that has not bound yet.
  if (!ref?.uid) {
    await binder.updateVolumePhase(volume, 'Available');
    return;
  }
  let claim = sync.store.get(PVCS, ref.namespace, ref.name);
  if (claim && claim.metadata.uid !== ref.uid) claim = undefined; // A new claim with the old name.

  if (!claim) {
    // Released (a Failed volume keeps showing what went wrong while reclaiming is retried).
    let released = volume;
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
      released = await binder.updateVolumePhase(volume, 'Released');
    }
    await reclaimVolume(sync, released);
    return;
  }
  if (!claim.spec?.volumeName) {
    if (volumeModeMismatch(claim, volume)) {
      await binder.event(
        volume,
        'Warning',
        'VolumeMismatch',
        `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`,
      );
      await binder.event(
        claim,
        'Warning',
        'VolumeMismatch',
        `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`,
      );
      return;
    }
    // Half bound (a provisioner's new volume, or a binding interrupted): the claim's sync finishes it.
    sync.enqueueClaim(claimKey(claim.metadata.namespace, claim.metadata.name));
    return;
  }
  if (claim.spec.volumeName === volume.metadata.name) {
    await binder.updateVolumePhase(volume, 'Bound');
    return;
  }
  // The claim went to another volume.
  const provisioned = volume.metadata.annotations?.[ANN_PROVISIONED_BY] !== undefined;
  if (provisioned && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    let released = volume;
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
      released = await binder.updateVolumePhase(volume, 'Released');
    }
    await reclaimVolume(sync, released);
    return;
  }
  // Not provisioned for it: the controller's binding is undone, a user's pre-binding kept.
  await binder.unbindVolume(volume);
}

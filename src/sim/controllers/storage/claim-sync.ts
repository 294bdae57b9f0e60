import { storageClassOf } from '../../kinds/common/storage.js';
import type { KubeObject } from '../../store/types.js';
import { externalProvisioner, HOST_PATH_PLUGIN, provisionHostPath } from './in-tree.js';
import { findBestMatchForClaim, isVolumeBoundToClaim, volumeUnfitReason } from './matching.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, claimKey, PVS } from './names.js';
import { isPodTerminated } from './pods.js';
import { type PvSync, storageClassNamed } from './sync-context.js';

/**
 * The claim half of upstream's persistentvolume-binder (syncClaim): find or wait for a
 * volume, ask a provisioner for one, or say why the claim stays Pending. Each sync looks at
 * the objects as they are now, so running it again (on every change and every resync)
 * converges instead of repeating work.
 */

export async function syncClaim(sync: PvSync, claim: KubeObject): Promise<void> {
  if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) await syncUnboundClaim(sync, claim);
  else await syncBoundClaim(sync, claim);
}

/** The claim's class binds late (WaitForFirstConsumer); a missing class binds at once. */
function isDelayBindingMode(sync: PvSync, claim: KubeObject): boolean {
  return storageClassNamed(sync, storageClassOf(claim))?.volumeBindingMode === 'WaitForFirstConsumer';
}

async function syncUnboundClaim(sync: PvSync, claim: KubeObject): Promise<void> {
  const { binder } = sync;
  const volumeName: string | undefined = claim.spec?.volumeName;
  if (!volumeName) {
    const delay = isDelayBindingMode(sync, claim);
    const volume = findBestMatchForClaim(claim, sync.volumes, delay);
    if (volume) return binder.bind(volume, claim);
    if (await assignDefaultStorageClass(sync, claim)) return; // The update brings the claim back.
    const scheduled = claim.metadata.annotations?.[ANN_SELECTED_NODE] !== undefined;
    if (delay && !scheduled) {
      await emitDelayBindingEvent(sync, claim);
    } else if (storageClassOf(claim) !== '') {
      await provisionClaim(sync, claim);
      return;
    } else {
      await binder.event(
        claim,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
    }
    await binder.updateClaimStatus(claim, 'Pending');
    return;
  }

  // The claim names its volume.
  const volume = sync.store.get(PVS, undefined, volumeName);
  if (!volume) {
    await binder.updateClaimStatus(claim, 'Pending');
    return;
  }
  if (!volume.spec?.claimRef) {
    const why = volumeUnfitReason(volume, claim);
    if (!why) return binder.bind(volume, claim);
    await binder.event(
      claim,
      'Warning',
      'VolumeMismatch',
      `Cannot bind to requested volume "${volumeName}": ${why}`,
    );
    await binder.updateClaimStatus(claim, 'Pending');
    return;
  }
  if (isVolumeBoundToClaim(volume, claim)) return binder.bind(volume, claim);
  await binder.event(
    claim,
    'Warning',
    'FailedBinding',
    `volume "${volumeName}" already bound to a different claim.`,
  );
  if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    await binder.updateClaimStatus(claim, 'Pending');
    return;
  }
  const ref = volume.spec.claimRef;
  throw new Error(
    `invalid binding of claim "${claimKey(claim.metadata.namespace, claim.metadata.name)}" to volume "${volumeName}": volume already claimed by "${claimKey(ref.namespace, ref.name)}"`,
  );
}

async function syncBoundClaim(sync: PvSync, claim: KubeObject): Promise<void> {
  const { binder } = sync;
  const volumeName: string | undefined = claim.spec?.volumeName;
  if (!volumeName) {
    await binder.updateClaimStatusWithEvent(
      claim,
      'Lost',
      'Warning',
      'ClaimLost',
      'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
    );
    return;
  }
  const volume = sync.store.get(PVS, undefined, volumeName);
  if (!volume) {
    await binder.updateClaimStatusWithEvent(
      claim,
      'Lost',
      'Warning',
      'ClaimLost',
      'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
    );
    return;
  }
  const ref = volume.spec?.claimRef;
  if (!ref || ref.uid === claim.metadata.uid) return binder.bind(volume, claim);
  await binder.updateClaimStatusWithEvent(
    claim,
    'Lost',
    'Warning',
    'ClaimMisbound',
    'Two claims are bound to the same volume, this one is bound incorrectly',
  );
}

/** A claim made before any class was default gets the default class once there is one. */
async function assignDefaultStorageClass(sync: PvSync, claim: KubeObject): Promise<boolean> {
  const hasClass =
    claim.spec?.storageClassName != null ||
    claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined;
  if (hasClass) return false;
  const cls = sync.defaultClass();
  if (!cls) return false;
  await sync.pvcs.update({ ...claim, spec: { ...claim.spec, storageClassName: cls } });
  return true;
}

/** WaitForFirstConsumer, or, when pods already wait for the scheduler, which ones. */
async function emitDelayBindingEvent(sync: PvSync, claim: KubeObject): Promise<void> {
  const waiting = sync.pods
    .get('claim', claimKey(claim.metadata.namespace, claim.metadata.name))
    .filter((p) => !isPodTerminated(p) && !p.spec?.nodeName)
    .map((p) => p.metadata.name!)
    .sort();
  if (waiting.length === 0) {
    await sync.binder.event(
      claim,
      'Normal',
      'WaitForFirstConsumer',
      'waiting for first consumer to be created before binding',
    );
  } else {
    const message =
      waiting.length === 1
        ? `waiting for pod ${waiting[0]} to be scheduled`
        : `waiting for pods ${waiting.join(',')} to be scheduled`;
    await sync.binder.event(claim, 'Normal', 'WaitForPodScheduled', message);
  }
}

/**
 * Ask for a volume. kind's classes name external provisioners: the claim is annotated for
 * them and an ExternalProvisioning event says who is expected. Of the in-tree plugins only
 * hostPath provisions in a kind cluster; other in-tree names have no plugin left.
 */
async function provisionClaim(sync: PvSync, claim: KubeObject): Promise<void> {
  const { binder } = sync;
  const className = storageClassOf(claim);
  const sc = storageClassNamed(sync, className);
  if (!sc) {
    await binder.event(
      claim,
      'Warning',
      'ProvisioningFailed',
      `storageclass.storage.k8s.io "${className}" not found`,
    );
    return;
  }
  const provisioner: string = sc.provisioner ?? '';
  if (provisioner === HOST_PATH_PLUGIN) return provisionHostPath(sync, claim, sc);
  const external = externalProvisioner(provisioner);
  if (!external) {
    await binder.event(
      claim,
      'Warning',
      'ProvisioningFailed',
      `no volume plugin matched name: ${provisioner}`,
    );
    return;
  }
  // Upstream annotates first and then tells; the event goes first here because the sim's
  // provisioner reacts to the annotation at once, and its events must read after this one.
  await binder.event(
    claim,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${external}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  );
  await binder.setClaimProvisioner(claim, external);
}

import { isDeepStrictEqual } from 'node:util';
import type { ResourceClient } from '../../api/client.js';
import { compareQuantities } from '../../kinds/common/quantity.js';
import type { KubeObject } from '../../store/types.js';
import type { EventRecorder, EventType } from '../events.js';
import { isVolumeBoundToClaim } from './matching.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_STORAGE_PROVISIONER,
  PV_CONTROLLER,
} from './names.js';

/** The object reference a volume's claimRef holds (what client-go's GetReference makes). */
export function claimReference(claim: KubeObject): Record<string, string> {
  return {
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace!,
    name: claim.metadata.name!,
    uid: claim.metadata.uid!,
    apiVersion: 'v1',
    resourceVersion: claim.metadata.resourceVersion!,
  };
}

const withAnnotation = (obj: KubeObject, key: string, value: string): KubeObject => ({
  ...obj,
  metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [key]: value } },
});

const hasAnnotation = (obj: KubeObject, key: string) => obj.metadata.annotations?.[key] !== undefined;

/**
 * The writes the PV controller makes, each one only when something changes (upstream's
 * updateClaimStatus, updateVolumePhase, bind, unbindVolume…). Every write carries the
 * resourceVersion it was computed from, so a stale decision fails with a conflict and the
 * sync is retried on fresh objects.
 */
export class Binder {
  constructor(
    private readonly pvcs: ResourceClient,
    private readonly pvs: ResourceClient,
    private readonly events: EventRecorder,
  ) {}

  event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    return this.events.record(obj, { component: PV_CONTROLLER }, type, reason, message);
  }

  /** Set the claim's phase; a volume fills in its access modes, and its capacity on binding. */
  async updateClaimStatus(claim: KubeObject, phase: string, volume?: KubeObject): Promise<KubeObject> {
    const status: Record<string, any> = { ...(claim.status ?? {}) };
    let dirty = false;
    if (status.phase !== phase) {
      status.phase = phase;
      dirty = true;
    }
    if (!volume) {
      for (const k of ['accessModes', 'capacity']) {
        if (status[k] !== undefined) {
          delete status[k];
          dirty = true;
        }
      }
    } else {
      if (!isDeepStrictEqual(status.accessModes, volume.spec?.accessModes)) {
        status.accessModes = structuredClone(volume.spec?.accessModes);
        dirty = true;
      }
      // Only when becoming Bound: a later difference can mean a resize in progress.
      const size = volume.spec?.capacity?.storage;
      const had = claim.status?.capacity?.storage;
      if (claim.status?.phase !== phase && (had === undefined || compareQuantities(size, had) !== 0)) {
        status.capacity = structuredClone(volume.spec.capacity);
        dirty = true;
      }
    }
    if (!dirty) return claim;
    return this.pvcs.update({ ...claim, status }, 'status');
  }

  /** Set the claim's phase and tell why, once, when the phase changes. */
  async updateClaimStatusWithEvent(
    claim: KubeObject,
    phase: string,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<KubeObject> {
    if (claim.status?.phase === phase) return claim;
    const updated = await this.updateClaimStatus(claim, phase);
    await this.event(updated, type, reason, message);
    return updated;
  }

  async updateVolumePhase(pv: KubeObject, phase: string, message = ''): Promise<KubeObject> {
    if (pv.status?.phase === phase) return pv;
    const status: Record<string, any> = { ...(pv.status ?? {}), phase };
    if (message) status.message = message;
    else delete status.message;
    return this.pvs.update({ ...pv, status }, 'status');
  }

  /** Set the volume's phase and emit an event about it, once, when the phase changes. */
  async updateVolumePhaseWithEvent(
    pv: KubeObject,
    phase: string,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<KubeObject> {
    if (pv.status?.phase === phase) return pv;
    const updated = await this.updateVolumePhase(pv, phase, message);
    await this.event(updated, type, reason, message);
    return updated;
  }

  /** Bind both ways, volume first: claimRef, volume Bound, claim volumeName, claim Bound. */
  async bind(pv: KubeObject, claim: KubeObject): Promise<void> {
    let volume = await this.bindVolumeToClaim(pv, claim);
    volume = await this.updateVolumePhase(volume, 'Bound');
    const bound = await this.bindClaimToVolume(claim, volume);
    await this.updateClaimStatus(bound, 'Bound', volume);
  }

  private async bindVolumeToClaim(pv: KubeObject, claim: KubeObject): Promise<KubeObject> {
    const ref = pv.spec?.claimRef;
    let next = pv;
    let dirty = false;
    if (
      !ref ||
      ref.name !== claim.metadata.name ||
      ref.namespace !== claim.metadata.namespace ||
      ref.uid !== claim.metadata.uid
    ) {
      next = { ...next, spec: { ...next.spec, claimRef: claimReference(claim) } };
      dirty = true;
    }
    if (!isVolumeBoundToClaim(pv, claim) && !hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) {
      next = withAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
      dirty = true;
    }
    return dirty ? this.pvs.update(next) : pv;
  }

  private async bindClaimToVolume(claim: KubeObject, pv: KubeObject): Promise<KubeObject> {
    let next = claim;
    let dirty = false;
    if (claim.spec?.volumeName !== pv.metadata.name) {
      next = { ...next, spec: { ...next.spec, volumeName: pv.metadata.name } };
      if (!hasAnnotation(next, ANN_BOUND_BY_CONTROLLER))
        next = withAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
      dirty = true;
    }
    if (!hasAnnotation(next, ANN_BIND_COMPLETED)) {
      next = withAnnotation(next, ANN_BIND_COMPLETED, 'yes');
      dirty = true;
    }
    return dirty ? this.pvcs.update(next) : claim;
  }

  /**
   * Undo a binding: a volume the controller bound forgets the claim; one the user pre-bound
   * keeps the claim's name and loses only its uid. Either way it is Available again.
   */
  async unbindVolume(pv: KubeObject): Promise<KubeObject> {
    const next = structuredClone(pv);
    if (hasAnnotation(pv, ANN_BOUND_BY_CONTROLLER)) {
      delete next.spec.claimRef;
      delete next.metadata.annotations![ANN_BOUND_BY_CONTROLLER];
      if (Object.keys(next.metadata.annotations!).length === 0) delete next.metadata.annotations;
    } else if (next.spec?.claimRef) {
      delete next.spec.claimRef.uid;
    }
    const saved = await this.pvs.update(next);
    return this.updateVolumePhase(saved, 'Available');
  }

  /** Tell external provisioners the claim is theirs (both annotation keys, as upstream sets them). */
  async setClaimProvisioner(claim: KubeObject, provisioner: string): Promise<KubeObject> {
    if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] === provisioner) return claim;
    const next = withAnnotation(
      withAnnotation(claim, ANN_BETA_STORAGE_PROVISIONER, provisioner),
      ANN_STORAGE_PROVISIONER,
      provisioner,
    );
    return this.pvcs.update(next);
  }
}

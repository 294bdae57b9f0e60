import type { KubeObject } from '../../store/types.js';
import type { IndexFunc } from '../object-index.js';
import { claimKey } from './names.js';

/** How the storage controllers look at pods: which claims a pod refers to, and whether it still runs. */

/**
 * The claims a pod's volumes refer to, as `namespace/name` (upstream's PodPVCIndex): a
 * `persistentVolumeClaim` volume names its claim, a generic ephemeral volume owns the claim
 * `<pod>-<volume>`.
 */
export function podClaimKeys(pod: KubeObject): string[] {
  const ns = pod.metadata.namespace;
  const keys: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.persistentVolumeClaim?.claimName) keys.push(claimKey(ns, v.persistentVolumeClaim.claimName));
    else if (v?.ephemeral) keys.push(claimKey(ns, `${pod.metadata.name}-${v.name}`));
  }
  return keys;
}

export const byClaim: IndexFunc = podClaimKeys;

/** Done for good: Succeeded or Failed, or being deleted with no container left running. */
export function isPodTerminated(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  if (!pod.metadata.deletionTimestamp) return false;
  return !(pod.status?.containerStatuses ?? []).some((s: any) => s?.state?.running);
}

/** The kubelet has finished with the pod (or it was force-deleted). */
export function podIsShutDown(pod: KubeObject): boolean {
  return !!pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0;
}

/**
 * Whether a pod keeps a claim in use (the pvc-protection controller's rule): only scheduled
 * pods count, because the kubelet refuses to start a pod whose claim is being deleted. A pod
 * keeps a claim it names until it is gone; an ephemeral claim only until the pod shut down.
 */
export function podUsesClaim(pod: KubeObject, claim: KubeObject): boolean {
  if (!pod.spec?.nodeName) return false;
  for (const v of pod.spec.volumes ?? []) {
    if (v?.persistentVolumeClaim?.claimName === claim.metadata.name) return true;
    if (
      v?.ephemeral &&
      !podIsShutDown(pod) &&
      `${pod.metadata.name}-${v.name}` === claim.metadata.name &&
      (claim.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata.uid)
    )
      return true;
  }
  return false;
}

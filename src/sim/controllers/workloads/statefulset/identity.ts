import type { KubeObject, OwnerReference } from '../../../store/types.js';
import { podFromTemplate } from '../pods.js';
import { controllerRef } from '../refs.js';

/**
 * A StatefulSet pod's stable identity and storage, as upstream's `stateful_set_utils.go`:
 * the name `<set>-<ordinal>`, the pod-name and pod-index labels, hostname and subdomain, and
 * one PersistentVolumeClaim per claim template named `<template>-<set>-<ordinal>`.
 */

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

const ORDINAL = /^(.*)-([0-9]+)$/;

/** The pod's parent name and ordinal, or undefined when the name is not `<parent>-<n>`. */
export function parseName(pod: KubeObject): { parent: string; ordinal: number } | undefined {
  const m = ORDINAL.exec(pod.metadata.name ?? '');
  if (!m) return undefined;
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) ? { parent: m[1]!, ordinal } : undefined;
}

export const ordinalOf = (pod: KubeObject) => parseName(pod)?.ordinal ?? -1;
export const isMemberOf = (set: KubeObject, pod: KubeObject) => parseName(pod)?.parent === set.metadata.name;
export const podName = (set: KubeObject, ordinal: number) => `${set.metadata.name}-${ordinal}`;
export const startOrdinal = (set: KubeObject): number => set.spec?.ordinals?.start ?? 0;
export const revisionOfPod = (pod: KubeObject) => pod.metadata.labels?.[REVISION_LABEL] ?? '';

export function claimName(set: KubeObject, template: any, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
}

/** The claims a pod of `set` with this ordinal uses, by template name. */
export function claimsFor(set: KubeObject, ordinal: number): Array<{ volume: string; claim: KubeObject }> {
  const matchLabels: Record<string, string> = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((t: any) => {
    const claim = structuredClone(t);
    delete claim.status;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = { ...(claim.metadata ?? {}) };
    delete claim.metadata.creationTimestamp;
    claim.metadata.name = claimName(set, t, ordinal);
    claim.metadata.namespace = set.metadata.namespace;
    claim.metadata.labels = { ...(claim.metadata.labels ?? {}), ...matchLabels };
    return { volume: t.metadata?.name, claim };
  });
}

/** `newStatefulSetPod` with its revision label: identity, then storage, from `template`. */
export function newPod(set: KubeObject, template: any, ordinal: number, revision: string): KubeObject {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(template, {
    namespace: set.metadata.namespace!,
    name,
    controllerRef: controllerRef(set, 'apps/v1', 'StatefulSet'),
    labels: { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
  });
  pod.spec.hostname = name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const claims = claimsFor(set, ordinal);
  const claimVolumes = claims.map(({ volume, claim }) => ({
    name: volume,
    persistentVolumeClaim: { claimName: claim.metadata.name },
  }));
  const names = new Set(claims.map((c) => c.volume));
  pod.spec.volumes = [...claimVolumes, ...(pod.spec.volumes ?? []).filter((v: any) => !names.has(v.name))];
  if (pod.spec.volumes.length === 0) delete pod.spec.volumes;
  return pod;
}

/** `identityMatches` and `storageMatches`: the pod still carries its identity and claims. */
export function identityAndStorageMatch(set: KubeObject, pod: KubeObject): boolean {
  const parsed = parseName(pod);
  if (!parsed || parsed.parent !== set.metadata.name) return false;
  const labels = pod.metadata.labels ?? {};
  if (labels[POD_NAME_LABEL] !== pod.metadata.name) return false;
  if (labels[POD_INDEX_LABEL] !== String(parsed.ordinal)) return false;
  const volumes: any[] = pod.spec?.volumes ?? [];
  return claimsFor(set, parsed.ordinal).every(({ volume, claim }) =>
    volumes.some((v) => v.name === volume && v.persistentVolumeClaim?.claimName === claim.metadata.name),
  );
}

/** The pod with its identity labels put back (the rest of a pod spec cannot change). */
export function withIdentity(pod: KubeObject): KubeObject {
  const parsed = parseName(pod)!;
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: {
        ...(pod.metadata.labels ?? {}),
        [POD_NAME_LABEL]: pod.metadata.name!,
        [POD_INDEX_LABEL]: String(parsed.ordinal),
      },
    },
  };
}

/**
 * The owner references a claim should carry under `persistentVolumeClaimRetentionPolicy`
 * (`updateClaimOwnerRefForSetAndPod`): the set when claims go with it, the pod when claims of
 * scaled-down pods go with them.
 */
export function claimOwners(set: KubeObject, pod: KubeObject, inRange: boolean): OwnerReference[] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const whenDeleted = policy.whenDeleted ?? 'Retain';
  const whenScaled = policy.whenScaled ?? 'Retain';
  const setRef: OwnerReference = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: set.metadata.name!,
    uid: set.metadata.uid!,
  };
  const podRef: OwnerReference = {
    apiVersion: 'v1',
    kind: 'Pod',
    name: pod.metadata.name!,
    uid: pod.metadata.uid!,
  };
  if (whenScaled === 'Delete' && !inRange) return [podRef];
  return whenDeleted === 'Delete' ? [setRef] : [];
}

/**
 * Claim owner references after applying the policy, keeping references to anything else;
 * undefined when they are already right.
 */
export function reconcileClaimOwners(
  claim: KubeObject,
  set: KubeObject,
  pod: KubeObject,
  inRange: boolean,
): OwnerReference[] | undefined {
  const managed = new Set([set.metadata.uid, pod.metadata.uid]);
  const refs = claim.metadata.ownerReferences ?? [];
  const want = claimOwners(set, pod, inRange);
  const current = refs.filter((r) => managed.has(r.uid));
  const same = want.length === current.length && want.every((w) => current.some((c) => c.uid === w.uid));
  return same ? undefined : [...refs.filter((r) => !managed.has(r.uid)), ...want];
}

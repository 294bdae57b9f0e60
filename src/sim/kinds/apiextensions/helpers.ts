import { timestamp } from '../../api/validation/objectmeta.js';
import type { KubeObject } from '../../store/types.js';

/** Facts about CRD objects that the kind, the controller and the custom resource types share. */

export const CRD_STORAGE = 'apiextensions.k8s.io/customresourcedefinitions';
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export interface CrdCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CrdNames {
  plural: string;
  singular?: string;
  shortNames?: string[];
  kind: string;
  listKind?: string;
  categories?: string[];
}

export function findCondition(crd: KubeObject, type: string): CrdCondition | undefined {
  return (crd.status?.conditions as CrdCondition[] | undefined)?.find((c) => c.type === type);
}

export function isConditionTrue(crd: KubeObject, type: string): boolean {
  return findCondition(crd, type)?.status === 'True';
}

/**
 * The CRD's conditions with `cond` set the way upstream's SetCRDCondition does it: appended when
 * new; the transition time only moves when the status changes.
 */
export function withCondition(crd: KubeObject, cond: CrdCondition, now: Date): CrdCondition[] {
  const conditions = [...((crd.status?.conditions as CrdCondition[] | undefined) ?? [])];
  const i = conditions.findIndex((c) => c.type === cond.type);
  const time = timestamp(now);
  if (i === -1) {
    conditions.push({ ...ordered(cond), lastTransitionTime: time });
    return conditions.map(ordered);
  }
  const old = conditions[i]!;
  conditions[i] = ordered({
    ...cond,
    lastTransitionTime: old.status !== cond.status || !old.lastTransitionTime ? time : old.lastTransitionTime,
  });
  return conditions;
}

/** Field order of a condition as the API server serializes it. */
function ordered(c: CrdCondition): CrdCondition {
  return {
    type: c.type,
    status: c.status,
    lastTransitionTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  };
}

export function storageVersion(crd: KubeObject): string | undefined {
  return (crd.spec?.versions ?? []).find((v: any) => v?.storage === true)?.name;
}

export function servedVersions(crd: KubeObject): any[] {
  return (crd.spec?.versions ?? []).filter((v: any) => v?.served === true);
}

/** `<plural>.<group>`, what `metadata.name` of a CRD must be. */
export const crdNameOf = (crd: KubeObject) => `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`;

import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../store/types.js';
import { scaledValue } from '../intstr.js';

/** Names and arithmetic of upstream's `deploymentutil`, used by every part of a rollout. */

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';
/** How long `revision-history` may grow (kube-controller-manager's default). */
const REVISION_HISTORY_LIMIT_CHARS = 2000;

/** Deployment annotations a ReplicaSet does not inherit. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export const specReplicas = (o: KubeObject | undefined): number => o?.spec?.replicas ?? 0;
export const statusReplicas = (o: KubeObject | undefined): number => o?.status?.replicas ?? 0;
export const availableReplicas = (o: KubeObject | undefined): number => o?.status?.availableReplicas ?? 0;
export const readyReplicas = (o: KubeObject | undefined): number => o?.status?.readyReplicas ?? 0;

export const sum = (rss: KubeObject[], f: (o: KubeObject) => number) => rss.reduce((n, rs) => n + f(rs), 0);

export const isRollingUpdate = (d: KubeObject) => d.spec?.strategy?.type === 'RollingUpdate';

/** `ResolveFenceposts`: surge rounds up, unavailable down, and both zero means one unavailable. */
function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = specReplicas(d);
  const surge = scaledValue(ru.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: KubeObject): number {
  const desired = specReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d).unavailable, desired);
}

/** The revision annotation as a number (0 when missing or not a number). */
export function revisionOf(o: KubeObject | undefined): number {
  const n = Number(o?.metadata.annotations?.[REVISION] ?? '');
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export const maxRevision = (rss: KubeObject[]) => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

/** Oldest first, name breaking ties (`ReplicaSetsByCreationTimestamp`). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

function templateWithoutHash(t: any): any {
  const copy = structuredClone(t ?? {});
  copy.metadata ??= {};
  if (copy.metadata.labels) {
    delete copy.metadata.labels[HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/** `EqualIgnoreHash`: the same template once the pod-template-hash label is set aside. */
export function equalIgnoreHash(t1: any, t2: any): boolean {
  return isDeepStrictEqual(templateWithoutHash(t1), templateWithoutHash(t2));
}

/** `FindNewReplicaSet`: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: KubeObject, rss: KubeObject[]): KubeObject | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export const filterActive = (rss: KubeObject[]) => rss.filter((rs) => specReplicas(rs) > 0);

function annotationNumber(rs: KubeObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export const desiredReplicasAnnotation = (rs: KubeObject) => annotationNumber(rs, DESIRED_REPLICAS);
export const maxReplicasAnnotation = (rs: KubeObject) => annotationNumber(rs, MAX_REPLICAS);

/** Set desired/max replica annotations on `rs` (mutated); true when something changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  let changed = false;
  for (const [k, v] of [
    [DESIRED_REPLICAS, String(desired)],
    [MAX_REPLICAS, String(max)],
  ] as const) {
    if (a[k] !== v) {
      a[k] = v;
      changed = true;
    }
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * `SetNewReplicaSetAnnotations` on `rs` (mutated): the Deployment's own annotations, the new
 * revision (keeping earlier ones in `revision-history` when an old ReplicaSet comes back), and
 * for a ReplicaSet about to be created, the replica annotations.
 */
export function setNewReplicaSetAnnotations(
  d: KubeObject,
  rs: KubeObject,
  newRevision: number,
  exists: boolean,
): boolean {
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  let changed = false;
  for (const [k, v] of Object.entries<string>(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldText = a[REVISION];
  const old = revisionOf(rs);
  if (old < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = a[REVISION_HISTORY] ? a[REVISION_HISTORY].split(',') : [];
      history.push(oldText);
      while (history.join(',').length > REVISION_HISTORY_LIMIT_CHARS && history.length > 1) history.shift();
      a[REVISION_HISTORY] = history.join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** `DeploymentComplete`: every replica updated and available, and the spec observed. */
export function deploymentComplete(d: KubeObject, status: any): boolean {
  const want = specReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === want &&
    (status.replicas ?? 0) === want &&
    (status.availableReplicas ?? 0) === want &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** `DeploymentProgressing`: more updated, fewer old, or more ready or available replicas. */
export function deploymentProgressing(d: KubeObject, status: any): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

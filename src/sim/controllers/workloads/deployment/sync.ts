import { ApiError } from '../../../api/errors.js';
import type { KubeObject } from '../../../store/types.js';
import { findCondition } from '../conditions.js';
import { podTemplateHash } from '../hash.js';
import { controllerOf, controllerRef } from '../refs.js';
import { hasProgressDeadline, newCondition, PROGRESSING, Reason, setCondition } from './conditions.js';
import { type DeploymentRun, updateStatus } from './run.js';
import {
  equalIgnoreHash,
  findNewReplicaSet,
  HASH_LABEL,
  maxRevision,
  maxSurge,
  REVISION,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  statusReplicas,
  sum,
} from './util.js';

/**
 * The parts of upstream's `sync.go` that every strategy uses: finding or creating the new
 * ReplicaSet with the next revision, scaling a ReplicaSet with its event, and scaling.
 */

export interface ReplicaSets {
  newRS: KubeObject | undefined;
  oldRSs: KubeObject[];
}

export async function getAllReplicaSetsAndSyncRevision(
  run: DeploymentRun,
  rsList: KubeObject[],
  create: boolean,
): Promise<ReplicaSets> {
  const existing = findNewReplicaSet(run.d, rsList);
  const oldRSs = rsList.filter((rs) => rs.metadata.uid !== existing?.metadata.uid);
  const newRS = await getNewReplicaSet(run, existing, oldRSs, create);
  return { newRS, oldRSs };
}

/** Set the Deployment's revision annotation (a metadata write, as upstream's status update carries it). */
async function setDeploymentRevision(run: DeploymentRun, revision: string): Promise<void> {
  if (run.d.metadata.annotations?.[REVISION] === revision) return;
  const annotations = { ...(run.d.metadata.annotations ?? {}), [REVISION]: revision };
  run.d = await run.deployments.update({ ...run.d, metadata: { ...run.d.metadata, annotations } });
}

async function getNewReplicaSet(
  run: DeploymentRun,
  existing: KubeObject | undefined,
  oldRSs: KubeObject[],
  create: boolean,
): Promise<KubeObject | undefined> {
  const newRevision = maxRevision(oldRSs) + 1;
  const d = run.d;
  if (existing) {
    const copy = structuredClone(existing);
    const annotated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    if (annotated || (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
      copy.spec.minReadySeconds = d.spec?.minReadySeconds ?? 0;
      return run.replicaSets.update(copy);
    }
    await setDeploymentRevision(run, copy.metadata.annotations?.[REVISION] ?? String(newRevision));
    if (hasProgressDeadline(run.d) && !findCondition(run.d.status?.conditions, PROGRESSING)) {
      const status = structuredClone(run.d.status ?? {});
      const msg = `Found new replica set "${copy.metadata.name}"`;
      setCondition(status, newCondition(PROGRESSING, 'True', Reason.foundNewRS, msg, run.now()));
      await updateStatus(run, status);
    }
    return copy;
  }
  if (!create) return undefined;

  const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const newRS: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')],
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  newRS.spec.replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: KubeObject;
  let alreadyExisted = false;
  try {
    created = await run.replicaSets.create(newRS);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.code === 409) {
      const rs = run.replicaSets.get(d.metadata.namespace, newRS.metadata.name!);
      if (
        rs &&
        controllerOf(rs)?.uid === d.metadata.uid &&
        equalIgnoreHash(rs.spec?.template, d.spec.template)
      ) {
        created = rs;
        alreadyExisted = true;
      } else {
        // A different ReplicaSet has the name: count the collision so the next hash differs.
        const status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        await updateStatus(run, status);
        throw e;
      }
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${e.message}`;
      if (hasProgressDeadline(d)) {
        const status = structuredClone(d.status ?? {});
        setCondition(status, newCondition(PROGRESSING, 'False', Reason.failedRSCreate, msg, run.now()));
        await updateStatus(run, status);
      }
      await run.record('Warning', Reason.failedRSCreate, msg);
      throw e;
    }
  }
  const replicas = specReplicas(created);
  if (!alreadyExisted && replicas > 0) {
    await run.record(
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`,
    );
  }
  await setDeploymentRevision(run, String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(run.d)) {
    const status = structuredClone(run.d.status ?? {});
    const msg = `Created new replica set "${created.metadata.name}"`;
    setCondition(status, newCondition(PROGRESSING, 'True', Reason.newRSCreated, msg, run.now()));
    await updateStatus(run, status);
  }
  return created;
}

/** `NewRSNewReplicas`: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  if (d.spec?.strategy?.type !== 'RollingUpdate') return specReplicas(d);
  const current = sum(allRSs, specReplicas);
  const maxTotal = specReplicas(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, specReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

export interface Scaled {
  scaled: boolean;
  rs: KubeObject;
}

export async function scaleReplicaSetAndRecordEvent(
  run: DeploymentRun,
  rs: KubeObject,
  newScale: number,
): Promise<Scaled> {
  if (specReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(run, rs, newScale);
}

/** Set a ReplicaSet's size and replica annotations; `ScalingReplicaSet` when the size changed. */
export async function scaleReplicaSet(run: DeploymentRun, rs: KubeObject, newScale: number): Promise<Scaled> {
  const d = run.d;
  const old = specReplicas(rs);
  const sizeChanges = old !== newScale;
  const desired = specReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = await run.replicaSets.update(copy);
  if (sizeChanges) {
    const op = old < newScale ? 'up' : 'down';
    await run.record(
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${op} replica set ${rs.metadata.name} from ${old} to ${newScale}`,
    );
  }
  return { scaled: sizeChanges, rs: updated };
}

/** `FindActiveOrLatest`: the one ReplicaSet with pods, else the newest; undefined when several. */
function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) =>
    (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1,
  );
  const active = [...oldRSs, ...(newRS ? [newRS] : [])].filter((rs) => specReplicas(rs) > 0);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (!rs) return false;
  const want = specReplicas(d);
  return (
    rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] === String(want) &&
    specReplicas(rs) === want &&
    (rs.status?.availableReplicas ?? 0) === want
  );
}

/**
 * `scale`: a scaling event. One active ReplicaSet takes the new size; a saturated new one makes
 * the old ones go to zero; during a rolling update the change is spread proportionally.
 */
export async function scale(
  run: DeploymentRun,
  newRS: KubeObject | undefined,
  oldRSs: KubeObject[],
): Promise<void> {
  const d = run.d;
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (specReplicas(only) !== specReplicas(d))
      await scaleReplicaSetAndRecordEvent(run, only, specReplicas(d));
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of oldRSs.filter((rs) => specReplicas(rs) > 0))
      await scaleReplicaSetAndRecordEvent(run, old, 0);
    return;
  }
  if (d.spec?.strategy?.type !== 'RollingUpdate') return;
  const all = [...oldRSs, ...(newRS ? [newRS] : [])].filter((rs) => specReplicas(rs) > 0);
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - sum(all, specReplicas);
  const newer = (a: KubeObject, b: KubeObject) =>
    (a.metadata.creationTimestamp ?? '') === (b.metadata.creationTimestamp ?? '')
      ? (a.metadata.name ?? '') < (b.metadata.name ?? '')
        ? -1
        : 1
      : (a.metadata.creationTimestamp ?? '') > (b.metadata.creationTimestamp ?? '')
        ? -1
        : 1;
  // Largest first; ties go to the newer when growing and the older when shrinking.
  if (toAdd > 0) all.sort((a, b) => specReplicas(b) - specReplicas(a) || newer(a, b));
  else if (toAdd < 0) all.sort((a, b) => specReplicas(b) - specReplicas(a) || newer(b, a));
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    let proportion = 0;
    if (toAdd !== 0) {
      proportion = getProportion(rs, d, toAdd, added);
      added += proportion;
    }
    sizes.set(rs.metadata.name!, specReplicas(rs) + proportion);
  }
  for (const [i, rs] of all.entries()) {
    let size = sizes.get(rs.metadata.name!)!;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    await scaleReplicaSet(run, rs, size);
  }
}

function getProportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: KubeObject, d: KubeObject): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = specReplicas(d) + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']);
  const base = Number.isInteger(annotated) && annotated > 0 ? annotated : statusReplicas(d);
  if (!base) return 0;
  return Math.round((specReplicas(rs) * deploymentReplicas) / base) - specReplicas(rs);
}

/** `cleanupDeployment`: delete the oldest idle ReplicaSets beyond `revisionHistoryLimit`. */
export async function cleanupDeployment(run: DeploymentRun, oldRSs: KubeObject[]): Promise<void> {
  const limit = run.d.spec?.revisionHistoryLimit;
  if (typeof limit !== 'number') return;
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  alive.sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const rs of alive.slice(0, diff)) {
    if (statusReplicas(rs) !== 0 || specReplicas(rs) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    await run.replicaSets.delete(rs.metadata.namespace, rs.metadata.name!);
  }
}

import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../store/types.js';
import { findCondition } from '../conditions.js';
import {
  AVAILABLE,
  hasProgressDeadline,
  newCondition,
  PROGRESSING,
  REPLICA_FAILURE,
  Reason,
  removeCondition,
  setCondition,
} from './conditions.js';
import { type DeploymentRun, updateStatus } from './run.js';
import {
  availableReplicas,
  deploymentComplete,
  deploymentProgressing,
  maxUnavailable,
  readyReplicas,
  specReplicas,
  statusReplicas,
  sum,
} from './util.js';

/**
 * Deployment status as upstream's `progress.go` and `sync.go` compute it: the replica counts
 * `kubectl get deploy` shows, `Available`, and the `Progressing` condition that
 * `kubectl rollout status` reads (including the progress deadline).
 */

function calculateStatus(run: DeploymentRun, allRSs: KubeObject[], newRS: KubeObject | undefined): any {
  const d = run.d;
  const available = sum(allRSs, availableReplicas);
  const total = sum(allRSs, specReplicas);
  const status: any = {
    observedGeneration: d.metadata.generation,
    replicas: sum(allRSs, statusReplicas),
    updatedReplicas: newRS ? statusReplicas(newRS) : 0,
    readyReplicas: sum(allRSs, readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    const msg = 'Deployment has minimum availability.';
    setCondition(status, newCondition(AVAILABLE, 'True', Reason.minimumAvailable, msg, run.now()));
  } else {
    const msg = 'Deployment does not have minimum availability.';
    setCondition(status, newCondition(AVAILABLE, 'False', Reason.minimumUnavailable, msg, run.now()));
  }
  return status;
}

/** Drop zero counts as the Go struct's `omitempty` does, so the written status reads like upstream's. */
function compact(status: any): any {
  const out: any = {};
  for (const k of [
    'observedGeneration',
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
    'terminatingReplicas',
    'conditions',
    'collisionCount',
  ]) {
    const v = status[k];
    if (v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)) {
      if (k === 'collisionCount' && v === 0) out[k] = 0;
      continue;
    }
    out[k] = v;
  }
  return out;
}

function replicaFailure(allRSs: KubeObject[], newRS: KubeObject | undefined): any {
  const order = newRS ? [newRS, ...allRSs.filter((rs) => rs !== newRS)] : allRSs;
  for (const rs of order) {
    const c = findCondition(rs.status?.conditions, 'ReplicaFailure');
    if (c?.status === 'True') {
      return { ...c, type: REPLICA_FAILURE, lastUpdateTime: c.lastTransitionTime };
    }
  }
  return undefined;
}

function timedOut(run: DeploymentRun, status: any): boolean {
  const d = run.d;
  if (!hasProgressDeadline(d)) return false;
  const c = findCondition(status.conditions, PROGRESSING);
  if (!c || c.reason === Reason.newRSAvailable) return false;
  if (c.reason === Reason.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return from + d.spec.progressDeadlineSeconds * 1000 < run.now().getTime();
}

/** `syncRolloutStatus`: status after a rollout step, with progress estimated. */
export async function syncRolloutStatus(
  run: DeploymentRun,
  allRSs: KubeObject[],
  newRS: KubeObject | undefined,
): Promise<void> {
  const d = run.d;
  const status = calculateStatus(run, allRSs, newRS);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const current = findCondition(d.status?.conditions, PROGRESSING);
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === Reason.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    if (deploymentComplete(d, status)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`
        : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, newCondition(PROGRESSING, 'True', Reason.newRSAvailable, msg, run.now()));
    } else if (deploymentProgressing(d, status)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" is progressing.`
        : `Deployment "${d.metadata.name}" is progressing.`;
      const c = newCondition(PROGRESSING, 'True', Reason.rsUpdated, msg, run.now());
      // Progress moves lastUpdateTime even when the reason stays, so it is replaced outright.
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, c);
    } else if (timedOut(run, status)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`
        : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, newCondition(PROGRESSING, 'False', Reason.timedOut, msg, run.now()));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, REPLICA_FAILURE);
  const next = compact(status);
  if (isDeepStrictEqual(next, d.status ?? {})) {
    requeueStuck(run, next);
    return;
  }
  await updateStatus(run, next);
}

/** A rollout that stopped moving is looked at again when its progress deadline passes. */
function requeueStuck(run: DeploymentRun, status: any): void {
  const d = run.d;
  const c = findCondition(status.conditions, PROGRESSING);
  if (!hasProgressDeadline(d) || !c) return;
  if (deploymentComplete(d, status) || c.reason === Reason.timedOut) return;
  const at = Date.parse(c.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds * 1000;
  run.requeueAfter(Math.max(0, at - run.now().getTime()) + 1000);
}

/** `syncDeploymentStatus`: status only (scaling, paused or being deleted). */
export async function syncDeploymentStatus(
  run: DeploymentRun,
  allRSs: KubeObject[],
  newRS: KubeObject | undefined,
): Promise<void> {
  const next = compact(calculateStatus(run, allRSs, newRS));
  if (isDeepStrictEqual(next, run.d.status ?? {})) return;
  await updateStatus(run, next);
}

/** `checkPausedConditions`: Progressing says the Deployment is paused or resumed. */
export async function checkPausedConditions(run: DeploymentRun): Promise<void> {
  const d = run.d;
  if (!hasProgressDeadline(d)) return;
  const c = findCondition(d.status?.conditions, PROGRESSING);
  if (c?.reason === Reason.timedOut) return;
  const pausedShown = c?.reason === Reason.paused;
  const status = structuredClone(d.status ?? {});
  if (d.spec?.paused && !pausedShown) {
    setCondition(
      status,
      newCondition(PROGRESSING, 'Unknown', Reason.paused, 'Deployment is paused', run.now()),
    );
  } else if (!d.spec?.paused && pausedShown) {
    setCondition(
      status,
      newCondition(PROGRESSING, 'Unknown', Reason.resumed, 'Deployment is resumed', run.now()),
    );
  } else return;
  await updateStatus(run, status);
}

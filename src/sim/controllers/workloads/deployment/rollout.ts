import type { KubeObject } from '../../../store/types.js';
import { isTerminal } from '../pods.js';
import { syncRolloutStatus } from './progress.js';
import type { DeploymentRun } from './run.js';
import {
  cleanupDeployment,
  getAllReplicaSetsAndSyncRevision,
  newRSNewReplicas,
  scaleReplicaSetAndRecordEvent,
} from './sync.js';
import {
  availableReplicas,
  byCreation,
  deploymentComplete,
  filterActive,
  maxUnavailable,
  specReplicas,
  statusReplicas,
  sum,
} from './util.js';

/**
 * The two rollout strategies, as upstream's `rolling.go` and `recreate.go`: a rolling update
 * grows the new ReplicaSet within maxSurge and shrinks old ones within maxUnavailable, one
 * step per sync; Recreate scales the old ReplicaSets to zero, waits for their pods to go,
 * then scales the new one up.
 */

export async function rolloutRolling(run: DeploymentRun, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, rsList, true);
  let all = [...oldRSs, ...(newRS ? [newRS] : [])];
  if (newRS && (await reconcileNewReplicaSet(run, all, newRS))) {
    return syncRolloutStatus(run, refreshed(run, all), refreshedOne(run, newRS));
  }
  all = refreshed(run, all);
  const current = newRS ? refreshedOne(run, newRS) : undefined;
  const old = all.filter((rs) => rs.metadata.uid !== current?.metadata.uid);
  if (await reconcileOldReplicaSets(run, all, filterActive(old), current)) {
    return syncRolloutStatus(run, refreshed(run, all), current && refreshedOne(run, current));
  }
  if (deploymentComplete(run.d, run.d.status ?? {})) await cleanupDeployment(run, old);
  return syncRolloutStatus(run, refreshed(run, all), current);
}

/** The stored versions of ReplicaSets a step may have just scaled. */
function refreshed(run: DeploymentRun, rss: KubeObject[]): KubeObject[] {
  return rss.map((rs) => refreshedOne(run, rs)).filter((rs): rs is KubeObject => !!rs);
}

function refreshedOne(run: DeploymentRun, rs: KubeObject): KubeObject | undefined {
  return run.replicaSets.get(rs.metadata.namespace, rs.metadata.name!);
}

async function reconcileNewReplicaSet(
  run: DeploymentRun,
  all: KubeObject[],
  newRS: KubeObject,
): Promise<boolean> {
  const want = specReplicas(run.d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) return (await scaleReplicaSetAndRecordEvent(run, newRS, want)).scaled;
  const count = newRSNewReplicas(run.d, all, newRS);
  return (await scaleReplicaSetAndRecordEvent(run, newRS, count)).scaled;
}

async function reconcileOldReplicaSets(
  run: DeploymentRun,
  all: KubeObject[],
  oldRSs: KubeObject[],
  newRS: KubeObject | undefined,
): Promise<boolean> {
  if (sum(oldRSs, specReplicas) === 0) return false;
  const d = run.d;
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specReplicas(newRS) - availableReplicas(newRS) : 0;
  const maxScaledDown = sum(all, specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy old replicas go first: removing them costs no availability.
  const { rss: cleaned, count: cleanedUp } = await cleanupUnhealthyReplicas(run, oldRSs, maxScaledDown);
  const allNow = [...cleaned, ...(newRS ? [newRS] : [])];
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(run, allNow, cleaned);
  return cleanedUp + scaledDown > 0;
}

async function cleanupUnhealthyReplicas(
  run: DeploymentRun,
  oldRSs: KubeObject[],
  maxCleanup: number,
): Promise<{ rss: KubeObject[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  const out: KubeObject[] = [];
  for (const rs of sorted) {
    if (total >= maxCleanup || specReplicas(rs) === 0 || availableReplicas(rs) === specReplicas(rs)) {
      out.push(rs);
      continue;
    }
    const down = Math.min(maxCleanup - total, specReplicas(rs) - availableReplicas(rs));
    const { rs: updated } = await scaleReplicaSetAndRecordEvent(run, rs, specReplicas(rs) - down);
    total += down;
    out.push(updated);
  }
  return { rss: out, count: total };
}

async function scaleDownOldReplicaSetsForRollingUpdate(
  run: DeploymentRun,
  all: KubeObject[],
  oldRSs: KubeObject[],
): Promise<number> {
  const d = run.d;
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = sum(all, availableReplicas);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (specReplicas(rs) === 0) continue;
    const down = Math.min(specReplicas(rs), target - total);
    await scaleReplicaSetAndRecordEvent(run, rs, specReplicas(rs) - down);
    total += down;
  }
  return total;
}

export async function rolloutRecreate(run: DeploymentRun, rsList: KubeObject[]): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, rsList, false);
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(run, rs, 0)).scaled) scaledDown = true;
  }
  oldRSs = refreshed(run, oldRSs);
  const all = () => [...oldRSs, ...(newRS ? [newRS] : [])];
  if (scaledDown || oldPodsRunning(run, newRS, oldRSs)) return syncRolloutStatus(run, all(), newRS);
  if (!newRS) ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, refreshed(run, rsList), true));
  if (newRS && specReplicas(newRS) !== specReplicas(run.d)) {
    newRS = (await scaleReplicaSetAndRecordEvent(run, newRS, specReplicas(run.d))).rs;
  }
  if (deploymentComplete(run.d, run.d.status ?? {})) await cleanupDeployment(run, oldRSs);
  return syncRolloutStatus(run, all(), newRS);
}

/** `oldPodsRunning`: an old ReplicaSet still reports pods, or one of its pods has not finished. */
function oldPodsRunning(run: DeploymentRun, newRS: KubeObject | undefined, oldRSs: KubeObject[]): boolean {
  if (sum(oldRSs, statusReplicas) > 0) return true;
  for (const rs of oldRSs) {
    if (rs.metadata.uid === newRS?.metadata.uid) continue;
    if (run.podsOf(rs).some((p) => !isTerminal(p))) return true;
  }
  return false;
}

import type { ResourceClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import type { KubeObject } from '../../../store/types.js';
import type { EventType } from '../../events.js';
import { revisionTemplate } from '../history.js';
import { isPodAvailable, isPodReady, isTerminal, isTerminating, untilAvailable } from '../pods.js';
import {
  claimsFor,
  identityAndStorageMatch,
  newPod,
  ordinalOf,
  reconcileClaimOwners,
  revisionOfPod,
  startOrdinal,
  withIdentity,
} from './identity.js';

/**
 * One pass of upstream's `updateStatefulSet` (monotonic for OrderedReady, bursting for
 * Parallel): replace failed pods, create missing ones (claims first) in ordinal order, wait
 * for each to be Running and Ready (and available) before the next, delete pods beyond the
 * replica count from the highest ordinal down, then roll pods not at the update revision
 * from the highest ordinal down to the partition, one at a time.
 */

export interface StatefulSetRun {
  set: KubeObject;
  pods: ResourceClient;
  claims: ResourceClient;
  now(): number;
  record(type: EventType, reason: string, message: string): Promise<void>;
  requeueAfter(ms: number): void;
}

const isRunningAndReady = (p: KubeObject) => p.status?.phase === 'Running' && isPodReady(p);
const isHealthy = (p: KubeObject) => isRunningAndReady(p) && !isTerminating(p);

export async function updateStatefulSet(
  run: StatefulSetRun,
  current: KubeObject,
  update: KubeObject,
  members: KubeObject[],
): Promise<void> {
  const set = run.set;
  const start = startOrdinal(set);
  const count = set.spec?.replicas ?? 1;
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const minReady = set.spec?.minReadySeconds ?? 0;
  const replicas: Array<KubeObject | undefined> = new Array(count).fill(undefined);
  const condemned: KubeObject[] = [];
  for (const p of members) {
    const i = ordinalOf(p) - start;
    if (i >= 0 && i < count) replicas[i] = p;
    else if (ordinalOf(p) >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(a) - ordinalOf(b));
  const firstUnhealthy = [...replicas, ...condemned].find((p) => p && !isHealthy(p));

  for (let i = 0; i < count; i++) {
    let pod = replicas[i];
    const ordinal = start + i;
    if (pod && isTerminal(pod)) {
      const failed = pod.status?.phase === 'Failed';
      await run.record(
        failed ? 'Warning' : 'Normal',
        failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod',
        `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is ${failed ? 'recreating failed' : 'recreating terminated'} Pod ${pod.metadata.name}`,
      );
      await deletePod(run, pod);
      pod = undefined;
    }
    if (!pod) {
      await createPod(run, versionedPod(set, current, update, ordinal));
      if (monotonic) return;
      continue;
    }
    if (pod.status?.phase === 'Pending') await createClaims(run, pod);
    if (isTerminating(pod) && monotonic) return;
    if (!isRunningAndReady(pod) && monotonic) return;
    if (!isPodAvailable(pod, minReady, run.now()) && monotonic) {
      const wait = untilAvailable(pod, minReady, run.now());
      if (wait !== undefined) run.requeueAfter(wait);
      return;
    }
    await fixClaimOwners(run, pod, true);
    if (!identityAndStorageMatch(set, pod) && !isTerminating(pod)) {
      await run.pods.update(withIdentity(pod));
    }
  }

  for (const pod of condemned) await fixClaimOwners(run, pod, false);
  for (let t = condemned.length - 1; t >= 0; t--) {
    const pod = condemned[t]!;
    if (isTerminating(pod)) {
      if (monotonic) return;
      continue;
    }
    if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return;
    await deletePod(run, pod);
    if (monotonic) return;
  }

  const strategy = set.spec?.updateStrategy ?? {};
  if (strategy.type === 'OnDelete') return;
  const partition = strategy.rollingUpdate?.partition ?? 0;
  for (let t = count - 1; t >= partition; t--) {
    const pod = replicas[t];
    if (!pod) return;
    if (revisionOfPod(pod) !== update.metadata.name && !isTerminating(pod)) {
      await deletePod(run, pod);
      return;
    }
    if (!isHealthy(pod)) return;
  }
}

/** `newVersionedStatefulSetPod`: below the partition a new pod gets the current revision. */
function versionedPod(set: KubeObject, current: KubeObject, update: KubeObject, ordinal: number): KubeObject {
  const strategy = set.spec?.updateStrategy ?? {};
  const start = startOrdinal(set);
  const rolling = strategy.type === 'RollingUpdate';
  const keepCurrent =
    (rolling && !strategy.rollingUpdate && ordinal < start + (set.status?.currentReplicas ?? 0)) ||
    (strategy.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const rev = keepCurrent ? current : update;
  return newPod(set, revisionTemplate(rev), ordinal, rev.metadata.name!);
}

async function createClaims(run: StatefulSetRun, pod: KubeObject): Promise<void> {
  const set = run.set;
  for (const { claim } of claimsFor(set, ordinalOf(pod))) {
    const existing = run.claims.get(claim.metadata.namespace, claim.metadata.name!);
    if (existing) {
      if (existing.metadata.deletionTimestamp) throw new Error(`pvc ${claim.metadata.name} is being deleted`);
      continue;
    }
    const refs = reconcileClaimOwners(claim, set, pod, true);
    if (refs && refs.length > 0) claim.metadata.ownerReferences = refs;
    try {
      await run.claims.create(claim);
      await run.record(
        'Normal',
        'SuccessfulCreate',
        `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`,
      );
    } catch (e) {
      const msg = (e as Error).message;
      await run.record(
        'Warning',
        'FailedCreate',
        `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${msg}`,
      );
      throw e;
    }
  }
}

async function createPod(run: StatefulSetRun, pod: KubeObject): Promise<void> {
  const set = run.set;
  await createClaims(run, pod);
  try {
    await run.pods.create(pod);
  } catch (e) {
    if (e instanceof ApiError && e.code === 409) return;
    await run.record(
      'Warning',
      'FailedCreate',
      `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`,
    );
    throw e;
  }
  await run.record(
    'Normal',
    'SuccessfulCreate',
    `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
  );
}

async function deletePod(run: StatefulSetRun, pod: KubeObject): Promise<void> {
  const set = run.set;
  try {
    await run.pods.delete(pod.metadata.namespace, pod.metadata.name!, {
      preconditions: { uid: pod.metadata.uid },
    });
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) return;
    await run.record(
      'Warning',
      'FailedDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`,
    );
    throw e;
  }
  await run.record(
    'Normal',
    'SuccessfulDelete',
    `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
  );
}

/** Keep the pod's claims' owner references as the retention policy wants them. */
async function fixClaimOwners(run: StatefulSetRun, pod: KubeObject, inRange: boolean): Promise<void> {
  for (const { claim } of claimsFor(run.set, ordinalOf(pod))) {
    const existing = run.claims.get(claim.metadata.namespace, claim.metadata.name!);
    if (!existing || existing.metadata.deletionTimestamp) continue;
    const refs = reconcileClaimOwners(existing, run.set, pod, inRange);
    if (!refs) continue;
    const metadata: KubeObject['metadata'] = { ...existing.metadata, ownerReferences: refs };
    if (refs.length === 0) delete metadata.ownerReferences;
    await run.claims.update({ ...existing, metadata });
  }
}

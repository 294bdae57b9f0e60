import { selectorMatches } from '../../kinds/common/labelselector.js';
import type { KubeObject } from '../../store/types.js';
import { decodeBody } from '../content.js';
import { ApiError, badRequest, forbidden } from '../errors.js';
import type { ApiServices } from '../services.js';
import { timestamp } from '../validation/objectmeta.js';
import { commitUpdate } from './commit.js';
import { currentObject, type Handler, isDryRun } from './context.js';
import { commitDelete, type DeleteOptions } from './delete.js';

/**
 * `POST pods/<name>/eviction` (what `kubectl drain` calls), as upstream's EvictionREST:
 * pods that are Pending, finished or already terminating are deleted straight away; otherwise
 * the one PodDisruptionBudget that selects the pod must allow a disruption, which the
 * eviction takes (decrementing `disruptionsAllowed`, recording the pod in `disruptedPods`)
 * before the pod is deleted gracefully with the `DisruptionTarget` condition.
 */

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

const isReady = (pod: KubeObject) =>
  (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

function canIgnorePDB(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return (
    phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp
  );
}

function tooManyRequests(cause: string, retryAfterSeconds?: number): ApiError {
  return new ApiError(429, 'TooManyRequests', VIOLATION, {
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}

function deleteOptionsOf(raw: any, dryRun: boolean): DeleteOptions {
  const opts: DeleteOptions = {};
  if (raw?.gracePeriodSeconds !== undefined && raw.gracePeriodSeconds !== null)
    opts.gracePeriodSeconds = Number(raw.gracePeriodSeconds);
  if (raw?.propagationPolicy) opts.propagationPolicy = raw.propagationPolicy;
  if (raw?.preconditions) opts.preconditions = raw.preconditions;
  if (dryRun || (Array.isArray(raw?.dryRun) && raw.dryRun.includes('All'))) opts.dryRun = true;
  return opts;
}

function matchingBudgets(svc: ApiServices, pod: KubeObject): KubeObject[] {
  return svc.store.list('policy/poddisruptionbudgets', pod.metadata.namespace).filter((pdb) => {
    const sel = pdb.spec?.selector;
    // A nil or empty selector matches nothing here, not everything.
    const empty =
      !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
    return !empty && selectorMatches(sel, pod.metadata.labels);
  });
}

/** Take one allowed disruption from the budget, or say why not (429 / 403). */
async function checkAndDecrement(
  svc: ApiServices,
  pdb: KubeObject,
  pod: KubeObject,
  dryRun: boolean,
): Promise<void> {
  const status = pdb.status ?? {};
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0))
    throw tooManyRequests(
      `The disruption budget ${pdb.metadata.name} is still being processed by the server.`,
      10,
    );
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw forbidden(
      `poddisruptionbudgets.policy "${pdb.metadata.name}" is forbidden: pdb disruptions allowed is negative`,
    );
  if (allowed === 0)
    throw tooManyRequests(
      `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
    );
  if (dryRun) return;
  const next = structuredClone(pdb);
  next.status.disruptionsAllowed = allowed - 1;
  if (next.status.disruptionsAllowed === 0) {
    const conditions = (next.status.conditions ?? []).filter((c: any) => c.type !== 'DisruptionAllowed');
    conditions.push({
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'InsufficientPods',
      message: '',
      observedGeneration: pdb.metadata.generation,
      lastTransitionTime: timestamp(svc.clock.now()),
    });
    next.status.conditions = conditions;
  }
  next.status.disruptedPods = {
    ...(status.disruptedPods ?? {}),
    [pod.metadata.name!]: timestamp(svc.clock.now()),
  };
  const type = svc.registry.byStorage('policy/poddisruptionbudgets')[0]!;
  await commitUpdate(svc, type, pdb, next, { subresource: 'status', fieldManager: 'kube-apiserver' });
}

/** Mark the pod as disrupted by this eviction, then delete it (gracefully, unless told otherwise). */
async function evict(svc: ApiServices, pod: KubeObject, opts: DeleteOptions): Promise<void> {
  const podType = svc.registry.byStorage('core/pods')[0]!;
  let current = pod;
  if (!opts.dryRun) {
    const next = structuredClone(pod);
    const conditions = (next.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: timestamp(svc.clock.now()),
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    });
    next.status = { ...next.status, conditions };
    current = await commitUpdate(svc, podType, pod, next, {
      subresource: 'status',
      fieldManager: 'kube-apiserver',
    });
  }
  await commitDelete(svc, podType, current, opts);
}

export const handleEviction: Handler = async (svc, req) => {
  const pod = currentObject(svc, req);
  const eviction = decodeBody(req.body, req.contentType) as KubeObject | undefined;
  if (!eviction || typeof eviction !== 'object' || (eviction.kind && eviction.kind !== 'Eviction'))
    throw badRequest(`not a Eviction object: ${eviction?.kind ?? typeof eviction}`);
  if (eviction.metadata?.name !== pod.metadata.name)
    throw badRequest('name in URL does not match name in Eviction object');
  const opts = deleteOptionsOf(eviction.deleteOptions, isDryRun(req.query));

  if (canIgnorePDB(pod)) {
    await evict(svc, pod, opts);
    return { code: 201, body: SUCCESS };
  }
  const budgets = matchingBudgets(svc, pod);
  if (budgets.length > 1) {
    return {
      code: 500,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        code: 500,
      },
    };
  }
  const pdb = budgets[0];
  if (pdb) {
    const unhealthy = !isReady(pod);
    const alwaysAllow = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    const healthyEnough =
      (pdb.status?.currentHealthy ?? 0) >= (pdb.status?.desiredHealthy ?? 0) &&
      (pdb.status?.desiredHealthy ?? 0) > 0;
    // An unready pod does not count as healthy: evicting it takes nothing from the budget.
    if (!(unhealthy && (alwaysAllow || healthyEnough))) await checkAndDecrement(svc, pdb, pod, !!opts.dryRun);
  }
  await evict(svc, pod, opts);
  return { code: 201, body: SUCCESS };
};

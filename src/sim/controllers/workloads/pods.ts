import type { KubeObject, OwnerReference } from '../../store/types.js';

/**
 * How the workload controllers read a pod's state, as upstream's `podutil` and `controller`
 * helpers do. Whoever runs the pods (the kubelet) writes phase and conditions; the
 * controllers only read them here.
 */

export const phaseOf = (p: KubeObject): string => p.status?.phase ?? '';

export const isTerminating = (p: KubeObject): boolean => !!p.metadata.deletionTimestamp;

export const isTerminal = (p: KubeObject): boolean => phaseOf(p) === 'Succeeded' || phaseOf(p) === 'Failed';

/** `controller.IsPodActive`: not finished and not being deleted. */
export const isPodActive = (p: KubeObject): boolean => !isTerminal(p) && !isTerminating(p);

export function readyCondition(p: KubeObject): any {
  return (p.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
}

export const isPodReady = (p: KubeObject): boolean => readyCondition(p)?.status === 'True';

/** When the pod became Ready (ms), or undefined when it is not ready. */
export function readySince(p: KubeObject): number | undefined {
  const c = readyCondition(p);
  if (c?.status !== 'True') return undefined;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/**
 * `podutil.IsPodAvailable`: ready, and (with minReadySeconds) ready for strictly longer than
 * that. A ready condition without a transition time never becomes available then.
 */
export function isPodAvailable(p: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (!minReadySeconds) return true;
  const since = readySince(p);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/**
 * How long until a ready pod turns available (ms), so a controller can look again then;
 * undefined when it is not ready or already available.
 */
export function untilAvailable(p: KubeObject, minReadySeconds: number, now: number): number | undefined {
  if (!minReadySeconds || !isPodReady(p)) return undefined;
  const since = readySince(p);
  if (since === undefined) return undefined;
  const at = since + minReadySeconds * 1000 + 1;
  return at > now ? at - now : undefined;
}

/** The largest container restart count (`maxContainerRestarts`). */
export function maxRestarts(p: KubeObject): number {
  let n = 0;
  for (const cs of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])])
    n = Math.max(n, cs?.restartCount ?? 0);
  return n;
}

export interface PodFromTemplate {
  namespace: string;
  /** A fixed name (StatefulSets) or a prefix the API server completes (`web-7c5d-`). */
  name?: string;
  generateName?: string;
  controllerRef: OwnerReference;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/**
 * `controller.GetPodFromTemplate`: the template's labels, annotations, finalizers and spec, and
 * a controller reference to the owner.
 */
export function podFromTemplate(template: any, o: PodFromTemplate): KubeObject {
  const tm = template?.metadata ?? {};
  const labels = { ...(tm.labels ?? {}), ...(o.labels ?? {}) };
  const annotations = { ...(tm.annotations ?? {}), ...(o.annotations ?? {}) };
  const finalizers = [...(tm.finalizers ?? []), ...(o.finalizers ?? [])];
  const metadata: KubeObject['metadata'] = { namespace: o.namespace };
  if (o.name) metadata.name = o.name;
  else metadata.generateName = o.generateName;
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (finalizers.length > 0) metadata.finalizers = finalizers;
  metadata.ownerReferences = [o.controllerRef];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template?.spec ?? {}) };
}

import { isIPv4 } from 'node:net';
import type { KubeObject } from '../../store/types.js';

/**
 * What the endpoint controllers read from a pod, as upstream's `endpointslice/util` does:
 * whether it belongs in a Service's endpoints at all, whether it is ready, which container
 * port a Service port's `targetPort` names, and the pod's IPv4 addresses.
 */

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c.status === 'True');
}

/**
 * Terminal pods and pods without an IP never appear; terminating pods only when asked for
 * (EndpointSlices list them as `terminating`, Endpoints only with publishNotReadyAddresses).
 */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

export function podIPv4s(pod: KubeObject): string[] {
  const ips: string[] = (pod.status?.podIPs ?? []).map((p: any) => p?.ip).filter(Boolean);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips.filter((ip) => isIPv4(ip));
}

/** StatefulSet pods (hostname + subdomain naming the Service) get a DNS hostname. */
export function shouldSetHostname(pod: KubeObject, svc: KubeObject): boolean {
  return (
    !!pod.spec?.hostname &&
    pod.spec?.subdomain === svc.metadata.name &&
    pod.metadata.namespace === svc.metadata.namespace
  );
}

/**
 * The container port a Service port sends to: a number as is; a name looked up among the
 * pod's container ports (and sidecars') with the same protocol. Undefined when the pod has
 * no such named port: the pod is then left out for that Service port.
 */
export function findPort(pod: KubeObject, svcPort: any): number | undefined {
  const target = svcPort?.targetPort ?? svcPort?.port;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  const protocol = svcPort?.protocol ?? 'TCP';
  const spec = pod.spec ?? {};
  const sidecars = (spec.initContainers ?? []).filter((c: any) => c?.restartPolicy === 'Always');
  for (const c of [...(spec.containers ?? []), ...sidecars]) {
    for (const p of c?.ports ?? []) {
      if (p?.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

const triggerTimes = new WeakMap<KubeObject, number | undefined>();

/** The Ready condition's last transition: when the pod's change that matters happened. */
function podTriggerTime(pod: KubeObject): number | undefined {
  if (triggerTimes.has(pod)) return triggerTimes.get(pod);
  const ready = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
  const parsed = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
  const t = Number.isNaN(parsed) ? undefined : parsed;
  triggerTimes.set(pod, t);
  return t;
}

interface ServiceState {
  pods: Map<string, number>;
  service: number;
}

/**
 * Upstream's `TriggerTimeTracker`, behind the `endpoints.kubernetes.io/last-change-trigger-time`
 * annotation: the earliest of the changes (pod readiness transitions, the Service itself)
 * not yet reflected; the Service's creation time the first time a Service is seen.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  compute(svc: KubeObject, pods: KubeObject[]): Date | undefined {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const previous = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name!, t);
      if (t > (previous?.pods.get(pod.metadata.name!) ?? Number.NEGATIVE_INFINITY))
        min = Math.min(min ?? t, t);
    }
    const created = Date.parse(svc.metadata.creationTimestamp ?? '');
    const serviceTime = Number.isNaN(created) ? 0 : created;
    if (serviceTime > (previous?.service ?? Number.NEGATIVE_INFINITY))
      min = Math.min(min ?? serviceTime, serviceTime);
    this.states.set(key, { pods: podTimes, service: serviceTime });
    if (!previous) return new Date(serviceTime);
    return min === undefined ? undefined : new Date(min);
  }

  forget(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

/** RFC 3339 with nanoseconds as Go prints it (trailing zeros dropped, `Z`). */
export function formatTriggerTime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/(\.\d*?)0+Z$/, '$1Z');
}

import type { ObjectStore } from '../../store/store.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import { type IndexFunc, ObjectIndex } from '../object-index.js';
import { add, emptyResources, isTerminal, podRequests, type Resources } from './resources.js';
import { requiredPairs } from './selector.js';

/**
 * The scheduler's cache: what each node has promised already (requests of the pods bound to
 * it, plus pods the scheduler has placed but not bound yet), kept current from store events
 * so a scheduling attempt never sums every pod of the cluster.
 */

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface NodeUsage {
  requested: Resources;
  /** Requests with upstream's defaults for containers that set none (what scores use). */
  nonZero: { milliCPU: number; memory: number };
  pods: number;
  ports: HostPort[];
}

interface Contribution {
  node: string;
  requested: Resources;
  nonZero: { milliCPU: number; memory: number };
  ports: HostPort[];
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const assigned = (o: KubeObject) => !!o.spec?.nodeName && !isTerminal(o);

/** Host ports a pod asks for (app containers and sidecars). */
export function hostPorts(pod: KubeObject): HostPort[] {
  const out: HostPort[] = [];
  const containers = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []).filter((c: any) => c?.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of c?.ports ?? []) {
      if (!p?.hostPort) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

function contributionOf(pod: KubeObject, node: string): Contribution {
  const nz = podRequests(pod, true);
  return {
    node,
    requested: podRequests(pod),
    nonZero: { milliCPU: nz.milliCPU, memory: nz.memory },
    ports: hostPorts(pod),
  };
}

/** A node's usage with some of its pods taken away (what preemption tries). */
export function usageWithout(u: NodeUsage, pods: KubeObject[]): NodeUsage {
  let r = u;
  for (const p of pods) {
    const c = contributionOf(p, '');
    r = {
      requested: add(r.requested, c.requested, -1),
      nonZero: {
        milliCPU: r.nonZero.milliCPU - c.nonZero.milliCPU,
        memory: r.nonZero.memory - c.nonZero.memory,
      },
      pods: r.pods - 1,
      ports: r.ports.filter(
        (x) => !c.ports.some((q) => q.ip === x.ip && q.port === x.port && q.protocol === x.protocol),
      ),
    };
  }
  return r;
}

const hasRequiredAntiAffinity = (o: KubeObject) =>
  (o.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;

const hasPodAffinity = (o: KubeObject) =>
  !!(o.spec?.affinity?.podAffinity || o.spec?.affinity?.podAntiAffinity);

const INDEXES: Record<string, IndexFunc> = {
  node: (o) => (assigned(o) ? [o.spec.nodeName] : []),
  podAffinity: (o) => (assigned(o) && hasPodAffinity(o) ? ['all'] : []),
  namespace: (o) => (assigned(o) ? [o.metadata.namespace ?? ''] : []),
  antiAffinity: (o) => (assigned(o) && hasRequiredAntiAffinity(o) ? ['all'] : []),
  label: (o) =>
    assigned(o)
      ? Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${o.metadata.namespace ?? ''}/${k}=${v}`)
      : [],
};

export class ClusterView {
  /** Bound, non-terminal pods by node, by namespace, with pod (anti-)affinity, with required anti-affinity. */
  readonly pods: ObjectIndex;
  private readonly usage = new Map<string, NodeUsage>();
  private readonly bound = new Map<string, Contribution>();
  private readonly assumed = new Map<string, Contribution>();
  private readonly unsubscribe: () => void;

  constructor(readonly store: ObjectStore) {
    this.pods = new ObjectIndex(store, 'core/pods', INDEXES);
    for (const p of store.list('core/pods')) this.track(p);
    this.unsubscribe = store.subscribe((e) => this.apply(e));
  }

  close(): void {
    this.unsubscribe();
    this.pods.close();
  }

  nodes(): KubeObject[] {
    return this.store.list('core/nodes');
  }

  usageOf(node: string): NodeUsage {
    return (
      this.usage.get(node) ?? {
        requested: emptyResources(),
        nonZero: { milliCPU: 0, memory: 0 },
        pods: 0,
        ports: [],
      }
    );
  }

  /** Pods bound to `node` (not terminal). */
  podsOn(node: string): KubeObject[] {
    return this.pods.get('node', node);
  }

  /**
   * Bound pods of `namespace` that `selector` may select: a superset found through the label
   * index when the selector names a label value, so callers still match each one.
   */
  candidates(namespace: string, selector: any): KubeObject[] {
    let best: string | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const [k, v] of requiredPairs(selector)) {
      const key = `${namespace}/${k}=${v}`;
      const n = this.pods.count('label', key);
      if (n < bestCount) {
        best = key;
        bestCount = n;
      }
    }
    return best === undefined ? this.pods.get('namespace', namespace) : this.pods.get('label', best);
  }

  /** Count a pod against a node before it is bound (while its volumes are being bound). */
  assume(pod: KubeObject, node: string): void {
    const key = keyOf(pod);
    if (this.assumed.has(key)) this.forget(pod);
    const c = contributionOf(pod, node);
    this.assumed.set(key, c);
    this.change(c, 1);
  }

  forget(pod: KubeObject): void {
    const key = keyOf(pod);
    const c = this.assumed.get(key);
    if (!c) return;
    this.assumed.delete(key);
    this.change(c, -1);
  }

  isAssumed(pod: KubeObject): boolean {
    return this.assumed.has(keyOf(pod));
  }

  private apply(e: StoreEvent): void {
    if (e.resource !== 'core/pods') return;
    const key = keyOf(e.object);
    const before = this.bound.get(key);
    if (before) {
      this.bound.delete(key);
      this.change(before, -1);
    }
    if (e.type === 'DELETED') {
      this.forget(e.object);
      return;
    }
    if (assigned(e.object)) this.forget(e.object);
    this.track(e.object);
  }

  private track(pod: KubeObject): void {
    if (!assigned(pod)) return;
    const c = contributionOf(pod, pod.spec.nodeName);
    this.bound.set(keyOf(pod), c);
    this.change(c, 1);
  }

  private change(c: Contribution, sign: 1 | -1): void {
    const u = this.usageOf(c.node);
    const ports =
      sign > 0
        ? [...u.ports, ...c.ports]
        : u.ports.filter(
            (p) => !c.ports.some((q) => q.ip === p.ip && q.port === p.port && q.protocol === p.protocol),
          );
    const next: NodeUsage = {
      requested: add(u.requested, c.requested, sign),
      nonZero: {
        milliCPU: u.nonZero.milliCPU + sign * c.nonZero.milliCPU,
        memory: u.nonZero.memory + sign * c.nonZero.memory,
      },
      pods: u.pods + sign,
      ports,
    };
    if (next.pods === 0) this.usage.delete(c.node);
    else this.usage.set(c.node, next);
  }
}

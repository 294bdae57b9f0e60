import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';
import { byNamespace, ObjectIndex } from '../object-index.js';

/**
 * Which pods a Service selects and which Services select a pod, answered from live indexes:
 * pods are filed under each `namespace/label=value` they carry, so a Service's pods come from
 * the smallest bucket among its selector's pairs instead of a scan of every pod.
 */

const pairKey = (ns: string, k: string, v: string) => `${ns}\u0000${k}=${v}`;

/** A Service's selector, or undefined when it has none (user-managed endpoints). */
export function selectorOf(svc: KubeObject): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  // An empty selector is stored as none (upstream's protobuf round trip drops empty maps).
  return sel && typeof sel === 'object' && Object.keys(sel).length > 0 ? sel : undefined;
}

export function selectorMatches(sel: Record<string, string>, labels: Record<string, string> | undefined) {
  for (const [k, v] of Object.entries(sel)) if (labels?.[k] !== v) return false;
  return true;
}

export class ServiceSelection {
  private readonly pods: ObjectIndex;
  private readonly services: ObjectIndex;

  constructor(store: ObjectStore) {
    this.pods = new ObjectIndex(store, 'core/pods', {
      label: (o) =>
        Object.entries(o.metadata.labels ?? {}).map(([k, v]) => pairKey(o.metadata.namespace ?? '', k, v)),
    });
    this.services = new ObjectIndex(store, 'core/services', { namespace: byNamespace });
  }

  podsFor(svc: KubeObject): KubeObject[] {
    const sel = selectorOf(svc);
    if (!sel) return [];
    const ns = svc.metadata.namespace ?? '';
    let best: string | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const [k, v] of Object.entries(sel)) {
      const key = pairKey(ns, k, v);
      const n = this.pods.count('label', key);
      if (n < bestCount) {
        best = key;
        bestCount = n;
      }
    }
    if (!best || bestCount === 0) return [];
    return this.pods
      .get('label', best)
      .filter((p) => selectorMatches(sel, p.metadata.labels))
      .sort(byCreation);
  }

  /** Keys (`namespace/name`) of the Services whose selector matches a pod. */
  servicesFor(pod: KubeObject): string[] {
    const ns = pod.metadata.namespace ?? '';
    const out: string[] = [];
    for (const svc of this.services.get('namespace', ns)) {
      const sel = selectorOf(svc);
      if (sel && selectorMatches(sel, pod.metadata.labels)) out.push(`${ns}/${svc.metadata.name}`);
    }
    return out;
  }

  close(): void {
    this.pods.close();
    this.services.close();
  }
}

/** Oldest first, then by name: a stable order for endpoint lists. */
function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** Whether a pod change can change any Service's endpoints (kubelet status churn mostly cannot). */
export function podChangeMatters(old: KubeObject | undefined, cur: KubeObject | undefined): boolean {
  if (!old || !cur) return true;
  const view = (p: KubeObject) => [
    p.metadata.labels,
    p.metadata.deletionTimestamp,
    p.spec?.nodeName,
    p.spec?.hostname,
    p.spec?.subdomain,
    p.status?.phase,
    p.status?.podIP,
    p.status?.podIPs,
    (p.status?.conditions ?? []).find((c: any) => c?.type === 'Ready'),
  ];
  return JSON.stringify(view(old)) !== JSON.stringify(view(cur));
}

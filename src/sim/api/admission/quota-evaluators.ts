import { qosClass } from '../../kinds/common/podspec.js';
import type { Quantity } from '../../kinds/common/quantity.js';
import type { KubeObject } from '../../store/types.js';
import { parseList, podTotals, type ResourceList } from './resources.js';

/**
 * How ResourceQuota measures objects, after upstream's quota evaluators
 * (`pkg/quota/v1/evaluator/core`): which quota resource names each kind of object counts
 * against, how much one object uses, and which quota scopes it falls in. Shared by the
 * ResourceQuota admission plugin and the controller that keeps `status.used` current.
 */

export interface ScopeSelector {
  scopeName: string;
  operator: string;
  values?: string[];
}

export interface QuotaEvaluator {
  /** Store key of the resource measured (`core/pods`). */
  storage: string;
  /** The quota resource names among `names` this evaluator counts. */
  matchingResources(names: string[]): string[];
  /** Whether a write can change usage (`CREATE` only for most kinds). */
  handles(operation: 'CREATE' | 'UPDATE', subresource: string | undefined): boolean;
  usage(obj: KubeObject, now: Date): ResourceList;
  matchesScope(selector: ScopeSelector, obj: KubeObject): boolean;
  /** Why the object cannot be charged against a quota naming `required` (`must specify …`). */
  constraints?(required: string[], obj: KubeObject): string | undefined;
}

const one = (): Quantity => ({ nanos: 1_000_000_000n, format: 'DecimalSI' });
const count = (n: number): Quantity => ({ nanos: BigInt(n) * 1_000_000_000n, format: 'DecimalSI' });

/** `count/deployments.apps`, `count/pods`: the object-count name of a resource. */
export const countName = (group: string, plural: string) =>
  group ? `count/${plural}.${group}` : `count/${plural}`;

/** Legacy names that count objects too (`configmaps` as well as `count/configmaps`). */
const LEGACY_COUNT: Record<string, string> = {
  'core/configmaps': 'configmaps',
  'core/secrets': 'secrets',
  'core/replicationcontrollers': 'replicationcontrollers',
  'core/resourcequotas': 'resourcequotas',
};

function objectCountEvaluator(storage: string, group: string, plural: string): QuotaEvaluator {
  const names = [countName(group, plural), LEGACY_COUNT[storage]].filter((n): n is string => !!n);
  return {
    storage,
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    handles: (op) => op === 'CREATE',
    usage: () => new Map(names.map((n) => [n, one()])),
    matchesScope: () => false,
  };
}

const POD_RESOURCES = [
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
];
/** Quotas naming these make every container state them (an old mistake upstream keeps). */
const MUST_SPECIFY = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.');

/** The quota names one container (or a whole pod) uses, from its requests and limits. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', one()]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [r, q] of requests) {
    if (r.startsWith('hugepages-')) {
      out.set(r, q);
      out.set(`requests.${r}`, q);
    }
    if (isExtended(r)) out.set(`requests.${r}`, q);
  }
  return out;
}

/** Terminal pods, and pods whose deletion grace period has run out, no longer count. */
export function podCountsForQuota(pod: KubeObject, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const del = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (del && grace !== undefined) return now.getTime() <= Date.parse(del) + grace * 1000;
  return true;
}

const crossNamespace = (terms: any[] | undefined, weighted: boolean) =>
  (terms ?? []).some((t) => {
    const term = weighted ? t?.podAffinityTerm : t;
    return (term?.namespaces ?? []).length > 0 || term?.namespaceSelector != null;
  });

function selectorMatchesValue(sel: ScopeSelector, value: string | undefined): boolean {
  const values = sel.values ?? [];
  switch (sel.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
  return false;
}

const podEvaluator: QuotaEvaluator = {
  storage: 'core/pods',
  matchingResources: (input) =>
    input.filter(
      (n) =>
        POD_RESOURCES.includes(n) ||
        n.startsWith('hugepages-') ||
        n.startsWith('requests.hugepages-') ||
        (!isNative(n) && n.startsWith('requests.')),
    ),
  handles: (op, sub) => op === 'CREATE' && !sub,
  usage(pod, now) {
    const out: ResourceList = new Map([['count/pods', one()]]);
    if (!podCountsForQuota(pod, now)) return out;
    const usage = computeUsage(podTotals(pod.spec, 'requests', true), podTotals(pod.spec, 'limits', true));
    for (const [k, q] of usage) out.set(k, q);
    return out;
  },
  matchesScope(sel, pod) {
    const spec = pod.spec ?? {};
    switch (sel.scopeName) {
      case 'Terminating':
        return typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
      case 'NotTerminating':
        return !(typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0);
      case 'BestEffort':
        return qosClass(spec) === 'BestEffort';
      case 'NotBestEffort':
        return qosClass(spec) !== 'BestEffort';
      case 'PriorityClass':
        if (sel.operator === 'Exists') return !!spec.priorityClassName;
        return selectorMatchesValue(sel, spec.priorityClassName || undefined);
      case 'CrossNamespacePodAffinity': {
        const a = spec.affinity ?? {};
        return (
          crossNamespace(a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, false) ||
          crossNamespace(a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, true) ||
          crossNamespace(a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, false) ||
          crossNamespace(a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, true)
        );
      }
    }
    return false;
  },
  constraints(required, pod) {
    const needed = required.filter((r) => MUST_SPECIFY.includes(r));
    if (needed.length === 0) return undefined;
    const missing = new Map<string, Set<string>>();
    const spec = pod.spec ?? {};
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      const has = computeUsage(parseList(c?.resources?.requests), parseList(c?.resources?.limits));
      for (const r of needed) {
        if (has.has(r)) continue;
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(c.name);
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
};

const serviceEvaluator: QuotaEvaluator = {
  storage: 'core/services',
  matchingResources: (input) =>
    input.filter((n) =>
      ['count/services', 'services', 'services.nodeports', 'services.loadbalancers'].includes(n),
    ),
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  usage(svc) {
    const spec = svc.spec ?? {};
    const ports: any[] = spec.ports ?? [];
    let nodePorts = 0;
    let lbs = 0;
    if (spec.type === 'NodePort') nodePorts = ports.length;
    if (spec.type === 'LoadBalancer') {
      nodePorts =
        spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p?.nodePort).length : ports.length;
      lbs = 1;
    }
    return new Map([
      ['count/services', one()],
      ['services', one()],
      ['services.loadbalancers', count(lbs)],
      ['services.nodeports', count(nodePorts)],
    ]);
  },
  matchesScope: () => false,
};

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

const pvcEvaluator: QuotaEvaluator = {
  storage: 'core/persistentvolumeclaims',
  matchingResources: (input) =>
    input.filter(
      (n) =>
        ['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage'].includes(n) ||
        n.endsWith(`${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`) ||
        n.endsWith(`${STORAGE_CLASS_SUFFIX}requests.storage`),
    ),
  handles: (op, sub) => (op === 'CREATE' || op === 'UPDATE') && (!sub || sub === 'status'),
  usage(pvc) {
    const out: ResourceList = new Map([
      ['persistentvolumeclaims', one()],
      ['count/persistentvolumeclaims', one()],
    ]);
    const cls: string | undefined =
      pvc.spec?.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
    if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, one());
    let storage = parseList(pvc.spec?.resources?.requests).get('storage');
    const allocated = parseList(pvc.status?.allocatedResources).get('storage');
    if (storage && allocated && allocated.nanos > storage.nanos) storage = allocated;
    if (storage) {
      // Counted in whole bytes, rounded up.
      const bytes = (storage.nanos + 999_999_999n) / 1_000_000_000n;
      storage = { nanos: bytes * 1_000_000_000n, format: storage.format };
      out.set('requests.storage', storage);
      if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
    }
    return out;
  },
  matchesScope: () => false,
};

/** The evaluator for a resource: a specialised one for pods, services and claims, else a counter. */
export function evaluatorFor(storage: string, group: string, plural: string): QuotaEvaluator {
  if (storage === podEvaluator.storage) return podEvaluator;
  if (storage === serviceEvaluator.storage) return serviceEvaluator;
  if (storage === pvcEvaluator.storage) return pvcEvaluator;
  return objectCountEvaluator(storage, group, plural);
}

/** The scopes a quota restricts itself to: `spec.scopes` plus `spec.scopeSelector`. */
export function scopeSelectorsOf(quota: KubeObject): ScopeSelector[] {
  const out: ScopeSelector[] = (quota.spec?.scopes ?? []).map((s: string) => ({
    scopeName: s,
    operator: 'Exists',
  }));
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) out.push(e);
  return out;
}

/** Whether `obj` is charged against a quota with these hard names and scopes (`generic.Matches`). */
export function quotaMatches(
  ev: QuotaEvaluator,
  hardNames: string[],
  scopes: ScopeSelector[],
  obj: KubeObject,
): boolean {
  if (ev.matchingResources(hardNames).length === 0) return false;
  return scopes.every((s) => ev.matchesScope(s, obj));
}

import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeConnection, WatchHandle } from '../../kube/index.js';
import type { Scenario } from '../../scenario/types.js';
import type { ClusterFeed, ClusterView, NodeRow, PodRow } from './types.js';

/**
 * The runner's small cluster panel: the lab's nodes and the pods of the namespaces the
 * scenario looks at, from the same shared informers the checks use (so it costs no extra
 * watch when a check already watches those pods). Bursts of watch events are coalesced into
 * one update per `coalesceMs`, with a timeout armed only when something changed.
 */

export function scenarioNamespaces(s: Scenario): string[] {
  const out = new Set<string>();
  for (const step of s.steps)
    for (const c of step.checks) {
      const p = c.probe.probe === 'answer' && 'probe' in c.probe.from ? c.probe.from.probe : c.probe;
      if ('namespace' in p && typeof p.namespace === 'string' && p.namespace) out.add(p.namespace);
    }
  return [...out].sort();
}

export function createClusterFeed(
  kube: KubeConnection,
  namespaces: string[],
  coalesceMs = 100,
): ClusterFeed & { close(): void } {
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let view: ClusterView | undefined;
  const changed = () => {
    view = undefined;
    if (timer || listeners.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      for (const l of listeners) l();
    }, coalesceMs);
  };
  const nodes = kube.informers.acquire({ apiVersion: 'v1', kind: 'Node' }, changed);
  const pods: WatchHandle[] = namespaces.map((namespace) =>
    kube.informers.acquire({ apiVersion: 'v1', kind: 'Pod', namespace }, changed),
  );
  return {
    get() {
      view ??= {
        nodes: nodes
          .list()
          .map(nodeRow)
          .sort((a, b) => a.name.localeCompare(b.name)),
        pods: pods
          .flatMap((h) => h.list().map(podRow))
          .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
        namespaces,
        error: nodes.error ?? pods.find((p) => p.error)?.error,
      };
      return view;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (timer) clearTimeout(timer);
      listeners.clear();
      nodes.release();
      for (const p of pods) p.release();
    },
  };
}

type Obj = KubernetesObject & { spec?: any; status?: any };

export function nodeRow(o: Obj): NodeRow {
  const labels = o.metadata?.labels ?? {};
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .join(',');
  const ready = (o.status?.conditions ?? []).some(
    (c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True',
  );
  return { name: o.metadata?.name ?? '?', ready, roles: roles || '<none>' };
}

/** The STATUS kubectl shows for a pod: a waiting or terminated reason wins over the phase. */
export function podRow(o: Obj): PodRow {
  const statuses: any[] = o.status?.containerStatuses ?? [];
  let status: string = o.status?.phase ?? 'Pending';
  for (const cs of statuses) {
    const reason = cs.state?.waiting?.reason ?? cs.state?.terminated?.reason;
    if (reason) status = reason;
  }
  if (o.metadata?.deletionTimestamp) status = 'Terminating';
  const total = (o.spec?.containers ?? []).length;
  const ready = statuses.filter((cs) => cs.ready).length;
  return {
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '?',
    status,
    ready: `${ready}/${total}`,
    node: o.spec?.nodeName,
  };
}

import type { KubeObject } from '../../../store/types.js';
import {
  type CycleContext,
  type FilterPlugin,
  type NodeCandidate,
  reject,
  type ScorePlugin,
} from '../framework.js';
import { podMatchesNode } from '../node-selector.js';
import { selects } from '../selector.js';
import { firstUntolerated, type Toleration } from '../tolerations.js';

/**
 * PodTopologySpread: `DoNotSchedule` constraints filter by skew, `ScheduleAnyway` ones score;
 * a pod without constraints that belongs to a ReplicaSet, StatefulSet, ReplicationController
 * or Service gets the cluster defaults (hostname, maxSkew 3; zone, maxSkew 5) for scoring,
 * which is what spreads a Deployment's replicas across the workers.
 */

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  minDomains?: number;
  /** Count only nodes the pod could go to by its node affinity (default) / also by taints. */
  honorAffinity: boolean;
  honorTaints: boolean;
  /** All must match. */
  selectors: any[];
}

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const podKey = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;

function ownConstraints(pod: KubeObject, when: string): Constraint[] {
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c: any) => (c?.whenUnsatisfiable ?? 'DoNotSchedule') === when)
    .map((c: any): Constraint => {
      const extra: Record<string, string> = {};
      for (const k of c.matchLabelKeys ?? []) {
        const v = pod.metadata.labels?.[k];
        if (v !== undefined) extra[k] = v;
      }
      const selectors = [c.labelSelector];
      if (Object.keys(extra).length > 0) selectors.push({ matchLabels: extra });
      return {
        maxSkew: c.maxSkew ?? 1,
        topologyKey: c.topologyKey,
        whenUnsatisfiable: when,
        minDomains: c.minDomains,
        honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: c.nodeTaintsPolicy === 'Honor',
        selectors,
      };
    });
}

/** The selectors of the pod's controller and the Services that select it (`helper.DefaultSelector`). */
function defaultSelectors(ctx: CycleContext): any[] {
  const pod = ctx.pod;
  const ns = pod.metadata.namespace ?? '';
  const selectors: any[] = [];
  const owner = (pod.metadata.ownerReferences ?? []).find((r) => r.controller);
  const storage: Record<string, string> = {
    ReplicaSet: 'apps/replicasets',
    StatefulSet: 'apps/statefulsets',
    ReplicationController: 'core/replicationcontrollers',
  };
  if (owner && storage[owner.kind]) {
    const o = ctx.view.store.get(storage[owner.kind]!, ns, owner.name);
    const sel =
      owner.kind === 'ReplicationController' ? { matchLabels: o?.spec?.selector } : o?.spec?.selector;
    if (sel) selectors.push(sel);
  }
  for (const svc of ctx.view.store.list('core/services', ns)) {
    const sel = svc.spec?.selector;
    if (sel && Object.keys(sel).length > 0 && selects({ matchLabels: sel }, pod.metadata.labels))
      selectors.push({ matchLabels: sel });
  }
  return selectors;
}

function scoringConstraints(ctx: CycleContext): { constraints: Constraint[]; system: boolean } {
  if ((ctx.pod.spec?.topologySpreadConstraints ?? []).length > 0)
    return { constraints: ownConstraints(ctx.pod, 'ScheduleAnyway'), system: false };
  const selectors = defaultSelectors(ctx);
  if (selectors.length === 0) return { constraints: [], system: true };
  return {
    system: true,
    constraints: [
      {
        maxSkew: 3,
        topologyKey: HOSTNAME,
        whenUnsatisfiable: 'ScheduleAnyway',
        honorAffinity: true,
        honorTaints: false,
        selectors,
      },
      {
        maxSkew: 5,
        topologyKey: ZONE,
        whenUnsatisfiable: 'ScheduleAnyway',
        honorAffinity: true,
        honorTaints: false,
        selectors,
      },
    ],
  };
}

const matchesAll = (selectors: any[], labels: Record<string, string> | undefined) =>
  selectors.every((s) => selects(s, labels));

/**
 * Matching pods per domain, over the nodes each constraint counts: by default those the pod's
 * node affinity allows, tainted ones included (`nodeTaintsPolicy: Ignore`) — which is why a
 * tainted control plane, an empty domain, keeps `maxSkew: 1` spreads to one pod per worker.
 */
function countDomains(
  ctx: CycleContext,
  constraints: Constraint[],
  requireAll: boolean,
): Map<string, number>[] {
  const tolerations: Toleration[] = ctx.pod.spec?.tolerations ?? [];
  const eligibleFor = (c: Constraint) => {
    const eligible = new Map<string, Record<string, string>>();
    for (const node of ctx.nodes.values()) {
      const labels = node.metadata.labels ?? {};
      if (requireAll && constraints.some((k) => labels[k.topologyKey] === undefined)) continue;
      if (c.honorAffinity && !podMatchesNode(ctx.pod, node)) continue;
      if (
        c.honorTaints &&
        firstUntolerated(node.spec?.taints ?? [], tolerations, ['NoSchedule', 'NoExecute'])
      )
        continue;
      eligible.set(node.metadata.name!, labels);
    }
    return eligible;
  };
  const ns = ctx.pod.metadata.namespace ?? '';
  return constraints.map((c) => {
    const eligible = eligibleFor(c);
    const counts = new Map<string, number>();
    for (const labels of eligible.values()) {
      const value = labels[c.topologyKey];
      if (value !== undefined && !counts.has(value)) counts.set(value, 0);
    }
    for (const p of ctx.view.candidates(ns, c.selectors[0])) {
      if (p.metadata.deletionTimestamp || ctx.excluded?.has(podKey(p))) continue;
      const value = eligible.get(p.spec.nodeName)?.[c.topologyKey];
      if (value === undefined || !matchesAll(c.selectors, p.metadata.labels)) continue;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  });
}

export const podTopologySpread: FilterPlugin & ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preFilter(ctx) {
    const constraints = ownConstraints(ctx.pod, 'DoNotSchedule');
    if (constraints.length > 0)
      ctx.state.set('PodTopologySpread', { constraints, counts: countDomains(ctx, constraints, true) });
    return undefined;
  },
  filter(ctx, n: NodeCandidate) {
    const s = ctx.state.get('PodTopologySpread') as
      | { constraints: Constraint[]; counts: Map<string, number>[] }
      | undefined;
    if (!s) return undefined;
    const labels = n.node.metadata.labels ?? {};
    for (const [i, c] of s.constraints.entries()) {
      const value = labels[c.topologyKey];
      if (value === undefined)
        return reject(
          this.name,
          'UnschedulableAndUnresolvable',
          "node(s) didn't match pod topology spread constraints (missing required label)",
        );
      const domains = s.counts[i]!;
      let min = domains.size > 0 ? Math.min(...domains.values()) : 0;
      if (c.minDomains !== undefined && domains.size < c.minDomains) min = 0;
      const self = matchesAll(c.selectors, ctx.pod.metadata.labels) ? 1 : 0;
      if ((domains.get(value) ?? 0) + self - min > c.maxSkew)
        return reject(this.name, 'Unschedulable', "node(s) didn't match pod topology spread constraints");
    }
    return undefined;
  },
  score(ctx, nodes) {
    const { constraints, system } = scoringConstraints(ctx);
    if (constraints.length === 0) return nodes.map(() => 0);
    const counts = countDomains(ctx, constraints, !system);
    const ignored = new Set<string>();
    const weights = constraints.map((c, i) => {
      const size = c.topologyKey === HOSTNAME ? nodes.length : counts[i]!.size;
      return Math.log(size + 2);
    });
    const raw = nodes.map((n) => {
      const labels = n.node.metadata.labels ?? {};
      if (!system && constraints.some((c) => labels[c.topologyKey] === undefined)) {
        ignored.add(n.name);
        return 0;
      }
      let score = 0;
      constraints.forEach((c, i) => {
        const value = labels[c.topologyKey];
        if (value === undefined) return;
        score += (counts[i]!.get(value) ?? 0) * weights[i]! + (c.maxSkew - 1);
      });
      return Math.round(score);
    });
    const valid = raw.filter((_, i) => !ignored.has(nodes[i]!.name));
    const max = Math.max(0, ...valid);
    const min = valid.length > 0 ? Math.min(...valid) : 0;
    return raw.map((s, i) => {
      if (ignored.has(nodes[i]!.name)) return 0;
      if (max === 0) return 100;
      return Math.floor((100 * (max + min - s)) / max);
    });
  },
};

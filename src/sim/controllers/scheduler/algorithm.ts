import type { KubeObject } from '../../store/types.js';
import type { ClusterView } from './cluster-view.js';
import type {
  CycleContext,
  Diagnosis,
  FilterPlugin,
  NodeCandidate,
  Rejection,
  ScorePlugin,
} from './framework.js';
import { balancedAllocation, nodeResourcesFit } from './plugins/fit.js';
import { interPodAffinity } from './plugins/inter-pod-affinity.js';
import { nodeAffinity, nodeName, nodePorts, nodeUnschedulable, taintToleration } from './plugins/node.js';
import { podTopologySpread } from './plugins/topology-spread.js';
import type { PodClaims, VolumeBinder, VolumePlan } from './volume-binding.js';

/**
 * One scheduling attempt: PreFilter, Filter on every node (the first rejecting plugin wins,
 * in the default profile's order), then weighted scores and the best node, ties broken at
 * random as upstream's `selectHost` does.
 */

export interface Placement {
  node: string;
  /** Volumes to bind before the pod (undefined when the pod has no unbound claims). */
  volumes?: VolumePlan;
}

export type AttemptResult = { placed: Placement } | { diagnosis: Diagnosis; ctx: CycleContext };

const VOLUME_STATE = 'VolumeBinding/claims';
const VOLUME_PLANS = 'VolumeBinding/plans';

function volumeBindingPlugin(binder: VolumeBinder): FilterPlugin {
  return {
    name: 'VolumeBinding',
    preFilter(ctx) {
      const claims = binder.podClaims(ctx.pod);
      if ('plugin' in claims) return claims;
      ctx.state.set(VOLUME_STATE, claims);
      ctx.state.set(VOLUME_PLANS, new Map<string, VolumePlan>());
      return undefined;
    },
    filter(ctx, n) {
      const claims = ctx.state.get(VOLUME_STATE) as PodClaims | undefined;
      if (!claims || claims.bound.length + claims.delayed.length === 0) return undefined;
      const plan = binder.findPodVolumes(claims, n.node);
      if ('plugin' in plan) return plan;
      (ctx.state.get(VOLUME_PLANS) as Map<string, VolumePlan>).set(n.name, plan);
      return undefined;
    },
  };
}

export class SchedulingAlgorithm {
  readonly filters: FilterPlugin[];
  readonly scorers: ScorePlugin[] = [
    taintToleration,
    nodeAffinity,
    nodeResourcesFit,
    podTopologySpread,
    interPodAffinity,
    balancedAllocation,
  ];

  constructor(
    private readonly view: ClusterView,
    binder: VolumeBinder,
  ) {
    this.filters = [
      nodeUnschedulable,
      nodeName,
      taintToleration,
      nodeAffinity,
      nodePorts,
      nodeResourcesFit,
      volumeBindingPlugin(binder),
      podTopologySpread,
      interPodAffinity,
    ];
  }

  newCycle(pod: KubeObject, excluded?: Set<string>): CycleContext {
    const nodes = new Map<string, KubeObject>();
    for (const n of this.view.nodes()) nodes.set(n.metadata.name!, n);
    const store = this.view.store;
    return {
      pod,
      view: this.view,
      nodes,
      state: new Map(),
      excluded,
      namespaceLabels: (ns) => store.get('core/namespaces', undefined, ns)?.metadata.labels,
    };
  }

  preFilter(ctx: CycleContext): Rejection | undefined {
    let rejected: Rejection | undefined;
    for (const p of this.filters) rejected = p.preFilter?.(ctx) ?? rejected;
    return rejected;
  }

  filterNode(ctx: CycleContext, n: NodeCandidate): Rejection | undefined {
    for (const p of this.filters) {
      const r = p.filter(ctx, n);
      if (r) return r;
    }
    return undefined;
  }

  candidate(name: string, node: KubeObject): NodeCandidate {
    return { name, node, usage: this.view.usageOf(name) };
  }

  schedule(pod: KubeObject): AttemptResult {
    const ctx = this.newCycle(pod);
    const diagnosis: Diagnosis = { numAllNodes: ctx.nodes.size, nodes: new Map() };
    if (ctx.nodes.size === 0) return { diagnosis, ctx };
    const pre = this.preFilter(ctx);
    if (pre) return { diagnosis: { ...diagnosis, preFilter: pre }, ctx };
    const feasible: NodeCandidate[] = [];
    for (const [name, node] of ctx.nodes) {
      const n = this.candidate(name, node);
      const r = this.filterNode(ctx, n);
      if (r) diagnosis.nodes.set(name, r);
      else feasible.push(n);
    }
    if (feasible.length === 0) return { diagnosis, ctx };
    const best = feasible.length === 1 ? feasible[0]! : this.pickBest(ctx, feasible);
    const plans = ctx.state.get(VOLUME_PLANS) as Map<string, VolumePlan> | undefined;
    const plan = plans?.get(best.name);
    const volumes = plan && plan.staticBindings.length + plan.provision.length > 0 ? plan : undefined;
    return { placed: { node: best.name, volumes } };
  }

  private pickBest(ctx: CycleContext, feasible: NodeCandidate[]): NodeCandidate {
    const totals = feasible.map(() => 0);
    for (const s of this.scorers) {
      const raw = s.score(ctx, feasible);
      const scores = s.normalize ? s.normalize(raw) : raw;
      scores.forEach((v, i) => {
        totals[i]! += v * s.weight;
      });
    }
    let best: NodeCandidate | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let ties = 0;
    feasible.forEach((n, i) => {
      const score = totals[i]!;
      if (score > bestScore) {
        best = n;
        bestScore = score;
        ties = 1;
      } else if (score === bestScore) {
        // Reservoir sampling: each of the tied nodes is picked with equal chance.
        ties++;
        if (Math.random() * ties < 1) best = n;
      }
    });
    return best!;
  }
}

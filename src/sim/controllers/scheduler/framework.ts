import type { KubeObject } from '../../store/types.js';
import type { ClusterView, NodeUsage } from './cluster-view.js';

/**
 * The pieces of upstream's scheduling framework the sim keeps: filter plugins that reject a
 * node with a status (Unschedulable, or UnschedulableAndUnresolvable when removing pods
 * would not help), score plugins normalised to 0–100 and weighted, and the FitError text
 * kubectl shows in `FailedScheduling` events.
 */

export type RejectCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Rejection {
  code: RejectCode;
  reasons: string[];
  plugin: string;
}

export const reject = (plugin: string, code: RejectCode, ...reasons: string[]): Rejection => ({
  plugin,
  code,
  reasons,
});

/** What a scheduling attempt knows; plugins stash per-attempt data in `state`. */
export interface CycleContext {
  pod: KubeObject;
  view: ClusterView;
  /** Every node of the cluster, by name. */
  nodes: Map<string, KubeObject>;
  state: Map<string, unknown>;
  /** Pods to treat as gone (`namespace/name`): the victims a preemption dry run removes. */
  excluded?: Set<string>;
  /** Namespaces' labels, for affinity terms with a namespaceSelector. */
  namespaceLabels(ns: string): Record<string, string> | undefined;
}

export interface NodeCandidate {
  node: KubeObject;
  name: string;
  usage: NodeUsage;
}

export interface FilterPlugin {
  readonly name: string;
  /** Once per attempt; a rejection here applies to every node (e.g. unbound immediate claims). */
  preFilter?(ctx: CycleContext): Rejection | undefined;
  filter(ctx: CycleContext, node: NodeCandidate): Rejection | undefined;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Raw scores for the feasible nodes, in their order. */
  score(ctx: CycleContext, nodes: NodeCandidate[]): number[];
  /** Map raw scores to 0–100 (default: as they are). */
  normalize?(scores: number[]): number[];
}

/** What a failed attempt found: per-node rejections, or one PreFilter rejection for all. */
export interface Diagnosis {
  numAllNodes: number;
  preFilter?: Rejection;
  nodes: Map<string, Rejection>;
  /** The preemption plugin's own FitError text (`0/3 nodes are available: …`) or its reason. */
  postFilterMsg?: string;
}

/**
 * `FitError.Error()` as kube-scheduler 1.33 words it:
 * `0/3 nodes are available: 1 node(s) had untolerated taint {…}, 2 Insufficient memory.
 * preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
 * Reasons are counted per node and sorted as strings (so `1 …` sorts before `2 …`).
 */
export function fitErrorMessage(d: Diagnosis): string {
  let msg = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilter) msg += ` ${d.preFilter.reasons.join(', ')}.`;
  else {
    const counts = new Map<string, number>();
    for (const r of d.nodes.values())
      for (const reason of r.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(goStringLess);
    if (histogram.length > 0) msg += ` ${histogram.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` preemption: ${d.postFilterMsg}`;
  return msg;
}

/** Go's sort.Strings order: by UTF-8 bytes (for the ASCII reasons, by char code). */
export function goStringLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

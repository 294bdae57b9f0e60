import type { HostPort } from '../cluster-view.js';
import { hostPorts } from '../cluster-view.js';
import {
  type CycleContext,
  type FilterPlugin,
  type NodeCandidate,
  type Rejection,
  reject,
  type ScorePlugin,
} from '../framework.js';
import { matchesTerm, pinnedNodeNames, podMatchesNode } from '../node-selector.js';
import { firstUntolerated, type Taint, type Toleration, taintText, tolerated } from '../tolerations.js';

/**
 * The plugins that look at one node and the pod alone: NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity and NodePorts, with upstream's reasons.
 */

const tolerationsOf = (ctx: CycleContext): Toleration[] => ctx.pod.spec?.tolerations ?? [];
const taintsOf = (n: NodeCandidate): Taint[] => n.node.spec?.taints ?? [];

/** Default normalisation: scale to 0–100 by the maximum (reversed: fewer is better). */
export function normalizeByMax(scores: number[], reverse = false): number[] {
  const top = Math.max(0, ...scores);
  if (top === 0) return scores.map(() => (reverse ? 100 : 0));
  return scores.map((s) => {
    const v = Math.floor((100 * s) / top);
    return reverse ? 100 - v : v;
  });
}

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(ctx, n) {
    if (!n.node.spec?.unschedulable) return undefined;
    const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
    if (tolerated(tolerationsOf(ctx), taint)) return undefined;
    return reject(this.name, 'UnschedulableAndUnresolvable', 'node(s) were unschedulable');
  },
};

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(ctx, n) {
    const wanted = ctx.pod.spec?.nodeName;
    if (!wanted || wanted === n.name) return undefined;
    return reject(this.name, 'UnschedulableAndUnresolvable', "node(s) didn't match the requested node name");
  },
};

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(ctx, n) {
    const taint = firstUntolerated(taintsOf(n), tolerationsOf(ctx), ['NoSchedule', 'NoExecute']);
    if (!taint) return undefined;
    return reject(
      this.name,
      'UnschedulableAndUnresolvable',
      `node(s) had untolerated taint ${taintText(taint)}`,
    );
  },
  score(ctx, nodes) {
    const prefer = tolerationsOf(ctx).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return nodes.map(
      (n) => taintsOf(n).filter((t) => t.effect === 'PreferNoSchedule' && !tolerated(prefer, t)).length,
    );
  },
  normalize: (scores) => normalizeByMax(scores, true),
};

export const nodeAffinity: FilterPlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preFilter(ctx) {
    const pinned = pinnedNodeNames(ctx.pod);
    if (pinned) ctx.state.set('NodeAffinity/pinned', pinned);
    return undefined;
  },
  filter(ctx, n) {
    const pinned = ctx.state.get('NodeAffinity/pinned') as Set<string> | undefined;
    // Nodes a PreFilter result leaves out get the framework's reason, not the plugin's.
    if (pinned && !pinned.has(n.name))
      return reject(
        this.name,
        'UnschedulableAndUnresolvable',
        "node(s) didn't satisfy plugin(s) [NodeAffinity]",
      );
    if (podMatchesNode(ctx.pod, n.node)) return undefined;
    return reject(
      this.name,
      'UnschedulableAndUnresolvable',
      "node(s) didn't match Pod's node affinity/selector",
    );
  },
  score(ctx, nodes) {
    const preferred: any[] =
      ctx.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    return nodes.map((n) =>
      preferred.reduce(
        (sum, p) => (p?.weight && matchesTerm(p.preference, n.node) ? sum + p.weight : sum),
        0,
      ),
    );
  },
  normalize: (scores) => normalizeByMax(scores),
};

function portsConflict(want: HostPort, used: HostPort): boolean {
  if (want.port !== used.port || want.protocol !== used.protocol) return false;
  return want.ip === '0.0.0.0' || used.ip === '0.0.0.0' || want.ip === used.ip;
}

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(ctx, n): Rejection | undefined {
    const wanted = hostPorts(ctx.pod);
    if (wanted.length === 0) return undefined;
    const used = n.usage.ports;
    if (wanted.some((w) => used.some((u) => portsConflict(w, u))))
      return reject(this.name, 'Unschedulable', "node(s) didn't have free ports for the requested pod ports");
    return undefined;
  },
};

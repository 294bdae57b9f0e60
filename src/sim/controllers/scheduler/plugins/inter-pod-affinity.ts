import type { KubeObject } from '../../../store/types.js';
import {
  type CycleContext,
  type FilterPlugin,
  type NodeCandidate,
  reject,
  type ScorePlugin,
} from '../framework.js';
import { selects } from '../selector.js';

/**
 * InterPodAffinity: required pod affinity and anti-affinity of the incoming pod, the required
 * anti-affinity of pods already placed (symmetry), on any topology key, and the preferred
 * terms as a score — counted per topology domain (`kubernetes.io/hostname=lab-worker`) once
 * per attempt, as upstream's PreFilter does.
 */

type Counts = Map<string, number>;

interface AffinityState {
  /** Domains where an existing pod's required anti-affinity matches the incoming pod. */
  existingAnti: Counts;
  /** Domains holding pods that match all of the incoming pod's required affinity terms. */
  affinity: Counts;
  /** Domains holding pods that match one of the incoming pod's required anti-affinity terms. */
  anti: Counts;
}

const pair = (key: string, value: string) => `${key}=${value}`;
const podKey = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;
const bump = (m: Counts, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

const required = (pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity'): any[] =>
  pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
const preferred = (pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity'): any[] =>
  pod.spec?.affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? [];

/** Does `term` (declared by `owner`) select `target`? Namespaces default to the owner's. */
function termMatches(ctx: CycleContext, owner: KubeObject, term: any, target: KubeObject): boolean {
  const ns = target.metadata.namespace ?? '';
  const names: string[] = term?.namespaces ?? [];
  let inNamespace: boolean;
  if (names.length === 0 && term?.namespaceSelector == null) inNamespace = ns === owner.metadata.namespace;
  else
    inNamespace =
      names.includes(ns) ||
      (term?.namespaceSelector != null && selects(term.namespaceSelector, ctx.namespaceLabels(ns)));
  return inNamespace && selects(term?.labelSelector, target.metadata.labels);
}

/** Placed pods a set of terms may select (found through the label index where possible). */
function candidates(ctx: CycleContext, owner: KubeObject, terms: any[]): KubeObject[] {
  const seen = new Map<string, KubeObject>();
  for (const t of terms) {
    const namespaces: string[] =
      t?.namespaceSelector != null
        ? ctx.view.pods.keys('namespace')
        : t?.namespaces?.length
          ? t.namespaces
          : [owner.metadata.namespace ?? ''];
    for (const ns of namespaces)
      for (const p of ctx.view.candidates(ns, t?.labelSelector)) seen.set(podKey(p), p);
  }
  seen.delete(podKey(owner));
  for (const k of ctx.excluded ?? []) seen.delete(k);
  return [...seen.values()];
}

const domainOf = (ctx: CycleContext, pod: KubeObject, key: string): string | undefined =>
  ctx.nodes.get(pod.spec?.nodeName)?.metadata.labels?.[key];

function computeState(ctx: CycleContext): AffinityState {
  const pod = ctx.pod;
  const state: AffinityState = { existingAnti: new Map(), affinity: new Map(), anti: new Map() };
  for (const existing of ctx.view.pods.get('antiAffinity', 'all')) {
    if (ctx.excluded?.has(podKey(existing))) continue;
    for (const term of required(existing, 'podAntiAffinity')) {
      const value = domainOf(ctx, existing, term.topologyKey);
      if (value !== undefined && termMatches(ctx, existing, term, pod))
        bump(state.existingAnti, pair(term.topologyKey, value));
    }
  }
  const affinityTerms = required(pod, 'podAffinity');
  if (affinityTerms.length > 0) {
    for (const other of candidates(ctx, pod, affinityTerms)) {
      if (!affinityTerms.every((t) => termMatches(ctx, pod, t, other))) continue;
      for (const t of affinityTerms) {
        const value = domainOf(ctx, other, t.topologyKey);
        if (value !== undefined) bump(state.affinity, pair(t.topologyKey, value));
      }
    }
  }
  const antiTerms = required(pod, 'podAntiAffinity');
  if (antiTerms.length > 0) {
    for (const other of candidates(ctx, pod, antiTerms)) {
      for (const t of antiTerms) {
        const value = domainOf(ctx, other, t.topologyKey);
        if (value !== undefined && termMatches(ctx, pod, t, other))
          bump(state.anti, pair(t.topologyKey, value));
      }
    }
  }
  return state;
}

function satisfiesAffinity(ctx: CycleContext, s: AffinityState, n: NodeCandidate): boolean {
  const terms = required(ctx.pod, 'podAffinity');
  const labels = n.node.metadata.labels ?? {};
  let podsExist = true;
  for (const t of terms) {
    const value = labels[t.topologyKey];
    if (value === undefined) return false;
    if ((s.affinity.get(pair(t.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself may go anywhere that has the topology.
  return s.affinity.size === 0 && terms.every((t) => termMatches(ctx, ctx.pod, t, ctx.pod));
}

function matchesDomain(counts: Counts, terms: any[], labels: Record<string, string>): boolean {
  return terms.some((t) => {
    const value = labels[t.topologyKey];
    return value !== undefined && (counts.get(pair(t.topologyKey, value)) ?? 0) > 0;
  });
}

function existingAntiViolated(s: AffinityState, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(labels)) if ((s.existingAnti.get(pair(k, v)) ?? 0) > 0) return true;
  return false;
}

export const interPodAffinity: FilterPlugin & ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preFilter(ctx) {
    ctx.state.set('InterPodAffinity', computeState(ctx));
    return undefined;
  },
  filter(ctx, n) {
    const s = ctx.state.get('InterPodAffinity') as AffinityState;
    const labels = n.node.metadata.labels ?? {};
    if (!satisfiesAffinity(ctx, s, n))
      return reject(this.name, 'UnschedulableAndUnresolvable', "node(s) didn't match pod affinity rules");
    if (matchesDomain(s.anti, required(ctx.pod, 'podAntiAffinity'), labels))
      return reject(this.name, 'Unschedulable', "node(s) didn't match pod anti-affinity rules");
    if (existingAntiViolated(s, labels))
      return reject(this.name, 'Unschedulable', "node(s) didn't satisfy existing pods anti-affinity rules");
    return undefined;
  },
  score(ctx, nodes) {
    const pod = ctx.pod;
    const weights: Counts = new Map();
    const add = (owner: KubeObject, placed: KubeObject, term: any, weight: number, target: KubeObject) => {
      const value = domainOf(ctx, placed, term?.topologyKey);
      if (value !== undefined && termMatches(ctx, owner, term, target))
        bump(weights, pair(term.topologyKey, value), weight);
    };
    const own = [
      ...preferred(pod, 'podAffinity').map((w) => ({ term: w.podAffinityTerm, weight: w.weight })),
      ...preferred(pod, 'podAntiAffinity').map((w) => ({ term: w.podAffinityTerm, weight: -w.weight })),
    ];
    if (own.length > 0) {
      for (const other of candidates(
        ctx,
        pod,
        own.map((o) => o.term),
      ))
        for (const o of own) add(pod, other, o.term, o.weight, other);
    }
    // Pods already placed whose own terms select the incoming pod (hard affinity counts 1).
    for (const existing of ctx.view.pods.get('podAffinity', 'all')) {
      if (ctx.excluded?.has(podKey(existing))) continue;
      for (const t of required(existing, 'podAffinity')) add(existing, existing, t, 1, pod);
      for (const w of preferred(existing, 'podAffinity'))
        add(existing, existing, w.podAffinityTerm, w.weight, pod);
      for (const w of preferred(existing, 'podAntiAffinity'))
        add(existing, existing, w.podAffinityTerm, -w.weight, pod);
    }
    if (weights.size === 0) return nodes.map(() => 0);
    return nodes.map((n) =>
      Object.entries(n.node.metadata.labels ?? {}).reduce(
        (sum, [k, v]) => sum + (weights.get(pair(k, v)) ?? 0),
        0,
      ),
    );
  },
  normalize(scores) {
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    if (max === min) return scores.map(() => 0);
    return scores.map((s) => Math.floor((100 * (s - min)) / (max - min)));
  },
};

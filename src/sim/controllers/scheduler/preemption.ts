import type { KubeObject } from '../../store/types.js';
import type { SchedulingAlgorithm } from './algorithm.js';
import { usageWithout } from './cluster-view.js';
import { type CycleContext, type Diagnosis, fitErrorMessage, type Rejection, reject } from './framework.js';
import { selects } from './selector.js';

/**
 * DefaultPreemption (the PostFilter plugin): when a pod fits nowhere, find nodes where
 * removing lower-priority pods would make room, keeping as many of them as still fit (PDB
 * violators reprieved first), and pick the node upstream would pick. Its message is what
 * follows `preemption:` in FailedScheduling events.
 */

export interface PreemptionResult {
  /** The text after `preemption: ` (undefined when preemption found a node). */
  message?: string;
  /** Where the pod may go once `victims` are gone. */
  node?: string;
  victims?: KubeObject[];
}

const priorityOf = (p: KubeObject): number => p.spec?.priority ?? 0;
const keyOf = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;
const startOf = (p: KubeObject) => Date.parse(p.status?.startTime ?? p.metadata.creationTimestamp ?? '') || 0;

/** Higher priority first, then the one that started earlier (`util.MoreImportantPod`). */
const moreImportant = (a: KubeObject, b: KubeObject) =>
  priorityOf(b) - priorityOf(a) || startOf(a) - startOf(b);

export const preemptedByScheduler = (p: KubeObject) =>
  !!p.metadata.deletionTimestamp &&
  (p.status?.conditions ?? []).some(
    (c: any) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler',
  );

interface Candidate {
  node: string;
  victims: KubeObject[];
  pdbViolations: number;
}

export function preempt(
  alg: SchedulingAlgorithm,
  ctx: CycleContext,
  diagnosis: Diagnosis,
  pdbs: (namespace: string) => KubeObject[],
): PreemptionResult {
  const pod = ctx.pod;
  if (pod.spec?.preemptionPolicy === 'Never')
    return { message: 'not eligible due to preemptionPolicy=Never.' };
  const nominated = pod.status?.nominatedNodeName;
  if (nominated && diagnosis.nodes.get(nominated)?.code !== 'UnschedulableAndUnresolvable') {
    const waiting = ctx.view
      .podsOn(nominated)
      .some((p) => priorityOf(p) < priorityOf(pod) && preemptedByScheduler(p));
    if (waiting) return { message: 'not eligible due to a terminating pod on the nominated node.' };
  }
  const statuses = new Map<string, Rejection>();
  const candidates: Candidate[] = [];
  const potential = diagnosis.preFilter
    ? []
    : [...diagnosis.nodes].filter(([, r]) => r.code === 'Unschedulable').map(([name]) => name);
  for (const name of potential) {
    const found = selectVictims(alg, ctx, name, pdbs);
    if ('plugin' in found) statuses.set(name, found);
    else candidates.push(found);
  }
  if (candidates.length === 0) {
    const notHelpful = reject(
      'DefaultPreemption',
      'UnschedulableAndUnresolvable',
      'Preemption is not helpful for scheduling',
    );
    for (const name of ctx.nodes.keys()) if (!statuses.has(name)) statuses.set(name, notHelpful);
    return { message: fitErrorMessage({ numAllNodes: ctx.nodes.size, nodes: statuses }) };
  }
  const best = pickCandidate(candidates);
  return { node: best.node, victims: best.victims };
}

function selectVictims(
  alg: SchedulingAlgorithm,
  ctx: CycleContext,
  nodeName: string,
  pdbs: (namespace: string) => KubeObject[],
): Candidate | Rejection {
  const node = ctx.nodes.get(nodeName)!;
  const potential = ctx.view
    .podsOn(nodeName)
    .filter((p) => priorityOf(p) < priorityOf(ctx.pod))
    .sort(moreImportant);
  if (potential.length === 0)
    return reject(
      'DefaultPreemption',
      'UnschedulableAndUnresolvable',
      'No preemption victims found for incoming pod',
    );
  const removed = new Set(potential.map(keyOf));
  const fits = (gone: KubeObject[]) => {
    const cycle = alg.newCycle(ctx.pod, new Set(gone.map(keyOf)));
    const pre = alg.preFilter(cycle);
    if (pre) return pre;
    const usage = usageWithout(ctx.view.usageOf(nodeName), gone);
    return alg.filterNode(cycle, { name: nodeName, node, usage });
  };
  const status = fits(potential);
  if (status) return status;
  const { violating, rest } = splitByPDB(potential, pdbs);
  const victims: KubeObject[] = [];
  let pdbViolations = 0;
  const reprieve = (p: KubeObject, violates: boolean) => {
    removed.delete(keyOf(p));
    const gone = potential.filter((q) => removed.has(keyOf(q)));
    if (!fits(gone)) return;
    removed.add(keyOf(p));
    victims.push(p);
    if (violates) pdbViolations++;
  };
  for (const p of violating) reprieve(p, true);
  for (const p of rest) reprieve(p, false);
  if (victims.length === 0)
    return reject(
      'DefaultPreemption',
      'UnschedulableAndUnresolvable',
      'No preemption victims found for incoming pod',
    );
  return { node: nodeName, victims: victims.sort(moreImportant), pdbViolations };
}

/** Pods whose eviction would take a PodDisruptionBudget below zero allowed disruptions. */
function splitByPDB(pods: KubeObject[], pdbs: (namespace: string) => KubeObject[]) {
  const allowed = new Map<KubeObject, number>();
  const violating: KubeObject[] = [];
  const rest: KubeObject[] = [];
  for (const p of pods) {
    let violated = false;
    for (const pdb of pdbs(p.metadata.namespace ?? '')) {
      const sel = pdb.spec?.selector;
      const empty =
        !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && !(sel.matchExpressions ?? []).length);
      if (empty || !selects(sel, p.metadata.labels)) continue;
      if (pdb.status?.disruptedPods?.[p.metadata.name!]) continue;
      const left = (allowed.get(pdb) ?? pdb.status?.disruptionsAllowed ?? 0) - 1;
      allowed.set(pdb, left);
      if (left < 0) violated = true;
    }
    (violated ? violating : rest).push(p);
  }
  return { violating, rest };
}

/** Fewest PDB violations, lowest top victim, lowest priority sum, fewest victims, latest start. */
function pickCandidate(candidates: Candidate[]): Candidate {
  const narrow = (list: Candidate[], score: (c: Candidate) => number) => {
    const best = Math.min(...list.map(score));
    return list.filter((c) => score(c) === best);
  };
  let list = narrow(candidates, (c) => c.pdbViolations);
  list = narrow(list, (c) => priorityOf(c.victims[0]!));
  list = narrow(list, (c) => c.victims.reduce((s, v) => s + 2 ** 31 + priorityOf(v), 0));
  list = narrow(list, (c) => c.victims.length);
  list = narrow(list, (c) => {
    const top = priorityOf(c.victims[0]!);
    return -Math.min(...c.victims.filter((v) => priorityOf(v) === top).map(startOf));
  });
  return list[0]!;
}

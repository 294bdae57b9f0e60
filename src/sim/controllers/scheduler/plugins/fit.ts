import {
  type CycleContext,
  type FilterPlugin,
  type NodeCandidate,
  reject,
  type ScorePlugin,
} from '../framework.js';
import { allocatable, podRequests, type Resources } from '../resources.js';

/**
 * NodeResourcesFit (requests against allocatable, `Too many pods`) with its default
 * LeastAllocated score, and NodeResourcesBalancedAllocation, as in kube-scheduler 1.33.
 */

const requestsOf = (ctx: CycleContext): Resources => {
  let r = ctx.state.get('fit/requests') as Resources | undefined;
  if (!r) {
    r = podRequests(ctx.pod);
    ctx.state.set('fit/requests', r);
  }
  return r;
};

/** What does not fit on the node, in upstream's order (pods, cpu, memory, storage, the rest). */
export function insufficientResources(req: Resources, n: NodeCandidate): string[] {
  const alloc = allocatable(n.node);
  const used = n.usage.requested;
  const out: string[] = [];
  if (n.usage.pods + 1 > alloc.pods) out.push('Too many pods');
  const nothing =
    req.milliCPU === 0 &&
    req.memory === 0 &&
    req.ephemeralStorage === 0 &&
    Object.values(req.scalar).every((v) => v === 0);
  if (nothing) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.resources.milliCPU - used.milliCPU)
    out.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > alloc.resources.memory - used.memory) out.push('Insufficient memory');
  if (
    req.ephemeralStorage > 0 &&
    req.ephemeralStorage > alloc.resources.ephemeralStorage - used.ephemeralStorage
  )
    out.push('Insufficient ephemeral-storage');
  for (const [name, q] of Object.entries(req.scalar).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (q === 0) continue;
    if (q > (alloc.resources.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) out.push(`Insufficient ${name}`);
  }
  return out;
}

export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(ctx, n) {
    const missing = insufficientResources(requestsOf(ctx), n);
    // 1.33 answers Unschedulable even when the node could never fit the pod, so preemption is tried.
    return missing.length > 0 ? reject(this.name, 'Unschedulable', ...missing) : undefined;
  },
  /** LeastAllocated over cpu and memory with weight 1 each, using the non-zero request defaults. */
  score(ctx, nodes) {
    const pod = podRequests(ctx.pod, true);
    return nodes.map((n) => {
      const alloc = allocatable(n.node).resources;
      const least = (requested: number, capacity: number) =>
        capacity === 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * 100) / capacity);
      const cpu = least(n.usage.nonZero.milliCPU + pod.milliCPU, alloc.milliCPU);
      const memory = least(n.usage.nonZero.memory + pod.memory, alloc.memory);
      return Math.floor((cpu + memory) / 2);
    });
  },
};

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(ctx, nodes) {
    const pod = requestsOf(ctx);
    return nodes.map((n) => {
      const alloc = allocatable(n.node).resources;
      const fraction = (requested: number, capacity: number) =>
        capacity === 0 ? 0 : Math.min(1, requested / capacity);
      const cpu = fraction(n.usage.requested.milliCPU + pod.milliCPU, alloc.milliCPU);
      const memory = fraction(n.usage.requested.memory + pod.memory, alloc.memory);
      const std = Math.abs(cpu - memory) / 2;
      return Math.floor((1 - std) * 100);
    });
  },
};

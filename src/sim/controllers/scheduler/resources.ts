import { intValue, milliValue } from '../../kinds/common/quantity.js';
import type { KubeObject } from '../../store/types.js';

/**
 * Resource arithmetic as the scheduler does it: CPU in millicores, everything else in whole
 * units (bytes, pods, devices), a pod's request computed with upstream's rules for init
 * containers, sidecars and overhead.
 */

export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Hugepages and extended resources (`example.com/gpu`). */
  scalar: Record<string, number>;
}

/** What the scoring plugins assume for a container that requests nothing (upstream's defaults). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const emptyResources = (): Resources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} });

const isScalarName = (name: string) => name.startsWith('hugepages-') || name.includes('/');

/** A ResourceList (`{cpu: "500m", memory: "1Gi"}`) as numbers; unknown or bad entries are skipped. */
export function toResources(list: Record<string, unknown> | undefined): Resources {
  const r = emptyResources();
  for (const [name, q] of Object.entries(list ?? {})) {
    if (typeof q !== 'string' && typeof q !== 'number') continue;
    try {
      if (name === 'cpu') r.milliCPU = Number(milliValue(q));
      else if (name === 'memory') r.memory = Number(intValue(q));
      else if (name === 'ephemeral-storage') r.ephemeralStorage = Number(intValue(q));
      else if (isScalarName(name)) r.scalar[name] = Number(intValue(q));
    } catch {
      // Validation keeps bad quantities out; nothing to count if one slipped through.
    }
  }
  return r;
}

export function add(a: Resources, b: Resources, sign = 1): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = (scalar[k] ?? 0) + sign * v;
  return {
    milliCPU: a.milliCPU + sign * b.milliCPU,
    memory: a.memory + sign * b.memory,
    ephemeralStorage: a.ephemeralStorage + sign * b.ephemeralStorage,
    scalar,
  };
}

function max(a: Resources, b: Resources): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = Math.max(scalar[k] ?? 0, v);
  return {
    milliCPU: Math.max(a.milliCPU, b.milliCPU),
    memory: Math.max(a.memory, b.memory),
    ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage),
    scalar,
  };
}

const isSidecar = (c: any) => c?.restartPolicy === 'Always';

/**
 * A pod's effective request (`resourcehelper.PodRequests`): the app containers' sum plus the
 * sidecars, or the largest init container (with the sidecars started before it) when that
 * is more, plus the pod overhead. `nonZero` applies the scoring defaults to containers that
 * request no CPU or memory.
 */
export function podRequests(pod: KubeObject, nonZero = false): Resources {
  const spec = pod.spec ?? {};
  const containerReq = (c: any): Resources => {
    const r = toResources(c?.resources?.requests);
    if (nonZero) {
      const req = c?.resources?.requests ?? {};
      if (req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
      if (req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
    }
    return r;
  };
  let reqs = emptyResources();
  for (const c of spec.containers ?? []) reqs = add(reqs, containerReq(c));
  let sidecars = emptyResources();
  let initMax = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const own = containerReq(c);
    let during: Resources;
    if (isSidecar(c)) {
      reqs = add(reqs, own);
      sidecars = add(sidecars, own);
      during = sidecars;
    } else {
      during = add(own, sidecars);
    }
    initMax = max(initMax, during);
  }
  reqs = max(reqs, initMax);
  if (spec.overhead) reqs = add(reqs, toResources(spec.overhead));
  return reqs;
}

/** Succeeded and Failed pods hold no resources (the scheduler's cache drops them). */
export function isTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Stored objects are never changed in place, so a node's parsed allocatable can be kept with it. */
const allocatableCache = new WeakMap<KubeObject, { resources: Resources; pods: number }>();

/** A node's allocatable resources and pod count. */
export function allocatable(node: KubeObject): { resources: Resources; pods: number } {
  let cached = allocatableCache.get(node);
  if (!cached) {
    cached = parseAllocatable(node);
    allocatableCache.set(node, cached);
  }
  return cached;
}

function parseAllocatable(node: KubeObject): { resources: Resources; pods: number } {
  const list = node.status?.allocatable ?? node.status?.capacity ?? {};
  let pods = 0;
  try {
    pods = list.pods !== undefined ? Number(intValue(list.pods)) : 0;
  } catch {
    pods = 0;
  }
  return { resources: toResources(list), pods };
}

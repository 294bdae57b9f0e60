import { milliValue, quantityValue } from '../../kinds/common/quantity.js';

/**
 * The numbers kubelet (systemd cgroup driver, cgroup v2) writes into a pod's cgroups, computed
 * the way `pkg/kubelet/cm` computes them: CPU requests become shares, shares become
 * `cpu.weight` by libcontainer's conversion, CPU limits become a CFS quota over a 100 ms
 * period, memory limits are written as bytes. Sources are in docs/sim-node-view.md.
 */

/** `MinShares`, `MaxShares`, `SharesPerCPU`, `MilliCPUToCPU` (pkg/kubelet/cm/helpers_linux.go). */
export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;
const MILLI_CPU_TO_CPU = 1000;
/** `QuotaPeriod` (100 ms in µs) and `MinQuotaPeriod` (1 ms in µs). */
export const QUOTA_PERIOD = 100_000;
const MIN_QUOTA_PERIOD = 1000;

/** `MilliCPUToShares`: a request of 250m is 256 shares; no request is the minimum, 2. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.floor((milliCPU * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** `MilliCPUToQuota`: 500m over 100000 µs is 50000 µs; never below 1000 µs; 0 means no limit. */
export function milliCPUToQuota(milliCPU: number, period = QUOTA_PERIOD): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.floor((milliCPU * period) / MILLI_CPU_TO_CPU));
}

/** libcontainer's `ConvertCPUSharesToCgroupV2Value`, as vendored by Kubernetes v1.33: [2, 262144] → [1, 10000]. */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.floor(((shares - 2) * 9999) / 262_142);
}

/** `cpu.max`: `<quota> <period>`, or `max <period>` without a limit. */
export function cpuMax(quota: number): string {
  return `${quota > 0 ? quota : 'max'} ${QUOTA_PERIOD}`;
}

/** `memory.max` (and `pids.max`): bytes, or `max`. */
export function limitText(value: number | undefined): string {
  return value === undefined || value <= 0 ? 'max' : String(value);
}

export interface CgroupValues {
  cpuWeight: number;
  cpuMax: string;
  memoryMax: string;
  pidsMax: string;
}

const milli = (v: unknown) => (v === undefined ? 0 : Number(milliValue(v as string)));
const bytes = (v: unknown) => (v === undefined ? undefined : quantityValue(v as string));

/** A container's own scope (`crio-<id>.scope`): from its requests and limits, as CRI-O is told. */
export function containerCgroup(spec: any): CgroupValues {
  const req = spec?.resources?.requests ?? {};
  const lim = spec?.resources?.limits ?? {};
  // The API copies a limit into a missing request, so the request is what kubelet reads.
  const cpuRequest = milli(req.cpu ?? lim.cpu);
  return {
    cpuWeight: sharesToWeight(milliCPUToShares(cpuRequest)),
    cpuMax: cpuMax(milliCPUToQuota(milli(lim.cpu))),
    memoryMax: limitText(bytes(lim.memory)),
    pidsMax: 'max',
  };
}

interface PodTotals {
  cpuRequest: number;
  cpuLimit: number | undefined;
  memoryLimit: number | undefined;
}

/**
 * What the pod asks for in all (`resource.PodRequests`/`PodLimits`): the sum over app
 * containers, or the largest init container when that is larger; a limit counts only when
 * every container declares it (`ResourceConfigForPod`'s cpuLimitsDeclared/memoryLimitsDeclared).
 */
export function podTotals(podSpec: any): PodTotals {
  const apps: any[] = podSpec?.containers ?? [];
  const inits: any[] = podSpec?.initContainers ?? [];
  const sum = (list: any[], f: (c: any) => number) => list.reduce((a, c) => a + f(c), 0);
  const max = (list: any[], f: (c: any) => number) => list.reduce((a, c) => Math.max(a, f(c)), 0);
  const req = (c: any) => milli(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
  const all = [...apps, ...inits];
  const cpuDeclared = all.every((c) => c.resources?.limits?.cpu !== undefined);
  const memDeclared = all.every((c) => c.resources?.limits?.memory !== undefined);
  const cpuLim = (c: any) => milli(c.resources?.limits?.cpu);
  const memLim = (c: any) => bytes(c.resources?.limits?.memory) ?? 0;
  return {
    cpuRequest: Math.max(sum(apps, req), max(inits, req)),
    cpuLimit: cpuDeclared ? Math.max(sum(apps, cpuLim), max(inits, cpuLim)) : undefined,
    memoryLimit: memDeclared ? Math.max(sum(apps, memLim), max(inits, memLim)) : undefined,
  };
}

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The pod's own slice (`kubepods-<qos>-pod<uid>.slice`); BestEffort pods get the minimum shares. */
export function podCgroup(podSpec: any, qos: QosClass): CgroupValues {
  if (qos === 'BestEffort')
    return { cpuWeight: sharesToWeight(MIN_SHARES), cpuMax: cpuMax(0), memoryMax: 'max', pidsMax: 'max' };
  const t = podTotals(podSpec);
  return {
    cpuWeight: sharesToWeight(milliCPUToShares(t.cpuRequest)),
    cpuMax: cpuMax(t.cpuLimit === undefined ? 0 : milliCPUToQuota(t.cpuLimit)),
    memoryMax: limitText(t.memoryLimit),
    pidsMax: 'max',
  };
}

/** `kubepods-burstable.slice`: shares for the sum of the Burstable pods' CPU requests (`setCPUCgroupConfig`). */
export function burstableCgroup(burstablePodSpecs: any[]): CgroupValues {
  const total = burstablePodSpecs.reduce((a, s) => a + podTotals(s).cpuRequest, 0);
  return {
    cpuWeight: sharesToWeight(milliCPUToShares(total)),
    cpuMax: cpuMax(0),
    memoryMax: 'max',
    pidsMax: 'max',
  };
}

/** `kubepods-besteffort.slice`: the minimum shares. */
export function bestEffortCgroup(): CgroupValues {
  return { cpuWeight: sharesToWeight(MIN_SHARES), cpuMax: cpuMax(0), memoryMax: 'max', pidsMax: 'max' };
}

/** `kubepods.slice`: the node's allocatable CPU as shares and its allocatable memory (`getCgroupConfig`). */
export function kubepodsCgroup(allocatable: Record<string, string>): CgroupValues {
  return {
    cpuWeight: sharesToWeight(milliCPUToShares(milli(allocatable.cpu))),
    cpuMax: cpuMax(0),
    memoryMax: limitText(bytes(allocatable.memory)),
    pidsMax: 'max',
  };
}

import type { KubeObject } from '../../store/types.js';
import { isPodActive, isPodReady, maxRestarts, readySince } from './pods.js';

/**
 * Which pods go first when a controller scales down (`controller.ActivePodsWithRanks`, with
 * LogarithmicScaleDown and PodDeletionCost on as in 1.33): unscheduled before scheduled,
 * Pending before Unknown before Running, not ready before ready, cheaper deletion cost first,
 * pods doubled up on a node first, then the more recently ready, the more restarted and the
 * newer, comparing times in powers-of-two buckets of their age.
 */

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

const deletionCost = (p: KubeObject) => {
  const v = Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0);
  return Number.isFinite(v) ? v : 0;
};

/** `logarithmicRankDiff`: compare floor(log2(age in ns)) of two times. */
function logRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

interface Ranked {
  pod: KubeObject;
  rank: number;
}

function less(a: Ranked, b: Ranked, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const oa = PHASE_ORDER[pa.status?.phase] ?? 0;
  const ob = PHASE_ORDER[pb.status?.phase] ?? 0;
  if (oa !== ob) return oa - ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const ta = readySince(pa);
    const tb = readySince(pb);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
      const diff = logRankDiff(ta, tb, now);
      if (diff !== 0) return diff;
      return uidOrder(pa, pb);
    }
  }
  const restarts = maxRestarts(pb) - maxRestarts(pa);
  if (restarts !== 0) return restarts;
  const ka = Date.parse(pa.metadata.creationTimestamp ?? '');
  const kb = Date.parse(pb.metadata.creationTimestamp ?? '');
  if (ka !== kb && !Number.isNaN(ka) && !Number.isNaN(kb)) {
    const diff = logRankDiff(ka, kb, now);
    if (diff !== 0) return diff;
    return uidOrder(pa, pb);
  }
  return 0;
}

const uidOrder = (a: KubeObject, b: KubeObject) =>
  (a.metadata.uid ?? '') < (b.metadata.uid ?? '')
    ? -1
    : (a.metadata.uid ?? '') > (b.metadata.uid ?? '')
      ? 1
      : 0;

/**
 * The first `count` of `pods` to delete. `related` are the pods whose co-location counts
 * (the owner's other pods): a pod sharing its node with more of them goes first.
 */
export function podsToDelete(pods: KubeObject[], count: number, now: number, related = pods): KubeObject[] {
  if (count <= 0) return [];
  const perNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: perNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => less(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}

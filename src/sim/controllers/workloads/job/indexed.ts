import type { KubeObject } from '../../../store/types.js';

/**
 * Indexed Jobs: each pod carries its completion index in an annotation and a label, and the
 * Job lists the indexes that succeeded as compressed intervals (`0-2,4`).
 */

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export const isIndexed = (job: KubeObject) => job.spec?.completionMode === 'Indexed';

/** The pod's completion index, or -1 when missing or invalid. */
export function completionIndex(pod: KubeObject): number {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  return Number(v);
}

/** Parse `status.completedIndexes` (`1,3-5`). */
export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    if (!Number.isInteger(from) || !Number.isInteger(to)) continue;
    for (let i = from; i <= to; i++) out.add(i);
  }
  return out;
}

/** Format indexes as sorted, compressed intervals. */
export function formatIndexes(set: Set<number>): string {
  const sorted = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** `firstPendingIndexes`: the lowest indexes neither done nor being worked on. */
export function pendingIndexes(
  count: number,
  completions: number,
  done: Set<number>,
  active: KubeObject[],
): number[] {
  const busy = new Set(active.map(completionIndex));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (!done.has(i) && !busy.has(i)) out.push(i);
  }
  return out;
}

/** Pod changes for an index: annotation, label, hostname, and `JOB_COMPLETION_INDEX` in every container. */
export function withIndex(pod: KubeObject, job: KubeObject, index: number): KubeObject {
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [COMPLETION_INDEX]: String(index) };
  pod.metadata.generateName = `${job.metadata.name}-${index}-`;
  pod.spec.hostname ??= `${job.metadata.name}-${index}`;
  const env = {
    name: 'JOB_COMPLETION_INDEX',
    valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } },
  };
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    if (!(c.env ?? []).some((e: any) => e.name === env.name))
      c.env = [...(c.env ?? []), structuredClone(env)];
  }
  return pod;
}

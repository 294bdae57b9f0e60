import type { KubeObject } from '../../../store/types.js';
import { podMatchesNode } from '../../scheduler/node-selector.js';
import { firstUntolerated, type Taint, type Toleration } from '../../scheduler/tolerations.js';

/**
 * Where a DaemonSet's pods belong (`NodeShouldRunDaemonPod`) and what they carry so the
 * default scheduler binds them there: the standard DaemonSet tolerations and node affinity
 * pinning `metadata.name` to the node.
 */

export const HASH_LABEL = 'controller-revision-hash';
export const GENERATION_LABEL = 'pod-template-generation';
const GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** `AddOrUpdateDaemonPodTolerations`: node problems never evict or keep out a daemon pod. */
export function addDaemonTolerations(spec: any): void {
  const wanted: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) {
    wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  }
  const tolerations: Toleration[] = [...(spec.tolerations ?? [])];
  for (const t of wanted) {
    // `AddOrUpdateTolerationInPodSpec`: the same key, operator, value and effect is replaced.
    const i = tolerations.findIndex(
      (x) =>
        x.key === t.key &&
        (x.operator ?? 'Equal') === t.operator &&
        (x.value ?? '') === '' &&
        x.effect === t.effect,
    );
    if (i === -1) tolerations.push(t);
    else tolerations[i] = t;
  }
  spec.tolerations = tolerations;
}

export function templateGeneration(ds: KubeObject): string | undefined {
  return ds.metadata.annotations?.[GENERATION_ANNOTATION];
}

/** `CreatePodTemplate` plus `ReplaceDaemonSetPodNodeNameNodeAffinity` for one node. */
export function daemonPodTemplate(ds: KubeObject, hash: string, node: string): any {
  const template = structuredClone(ds.spec?.template ?? {});
  template.metadata ??= {};
  template.spec ??= {};
  addDaemonTolerations(template.spec);
  const labels = { ...(template.metadata.labels ?? {}) };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[GENERATION_LABEL] = generation;
  if (hash) labels[HASH_LABEL] = hash;
  template.metadata.labels = labels;
  const pin = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
  };
  const affinity = template.spec.affinity ?? {};
  affinity.nodeAffinity = {
    ...(affinity.nodeAffinity ?? {}),
    requiredDuringSchedulingIgnoredDuringExecution: pin,
  };
  template.spec.affinity = affinity;
  return template;
}

/** `GetTargetNodeName`: the bound node, or the node its affinity pins it to. */
export function targetNode(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: any[] =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t?.matchFields ?? []) {
      if (f?.key === 'metadata.name' && f?.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

export interface Placement {
  /** A pod should be created on the node. */
  shouldRun: boolean;
  /** A pod already there may stay (it tolerates the node's NoExecute taints). */
  shouldContinueRunning: boolean;
}

/**
 * `NodeShouldRunDaemonPod` for every node at once (node name, node selector and affinity,
 * then taints), reading the template without copying it.
 */
export function placements(ds: KubeObject, nodes: KubeObject[]): Map<string, Placement> {
  const template = ds.spec?.template ?? {};
  const base = template.spec ?? {};
  const spec = { ...base, tolerations: base.tolerations };
  addDaemonTolerations(spec);
  const tolerations: Toleration[] = spec.tolerations ?? [];
  const out = new Map<string, Placement>();
  for (const node of nodes) {
    const name = node.metadata.name!;
    const pod: KubeObject = { metadata: template.metadata ?? {}, spec: { ...spec, nodeName: name } };
    if ((base.nodeName && base.nodeName !== name) || !podMatchesNode(pod, node)) {
      out.set(name, { shouldRun: false, shouldContinueRunning: false });
      continue;
    }
    const taints: Taint[] = node.spec?.taints ?? [];
    if (firstUntolerated(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
      out.set(name, {
        shouldRun: false,
        shouldContinueRunning: !firstUntolerated(taints, tolerations, ['NoExecute']),
      });
    } else out.set(name, { shouldRun: true, shouldContinueRunning: true });
  }
  return out;
}

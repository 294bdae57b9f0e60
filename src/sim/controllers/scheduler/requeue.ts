import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import { isTerminal } from './resources.js';

/**
 * Which cluster events may help an unschedulable pod, by the plugins that rejected it (a
 * coarse version of upstream's queueing hints): a new node helps everyone; a node's changed
 * labels, taints, allocatable or cordon help the plugins that look at them; a pod leaving a
 * node frees resources and ports; a pod arriving or relabelled matters to affinity and
 * spreading; claims, volumes and classes matter to volume binding.
 */

const RESOURCE_PLUGINS = [
  'NodeResourcesFit',
  'NodePorts',
  'InterPodAffinity',
  'PodTopologySpread',
  'DefaultPreemption',
];
const LABEL_PLUGINS = ['NodeAffinity', 'InterPodAffinity', 'PodTopologySpread', 'VolumeBinding'];

const assigned = (p: KubeObject | undefined) => !!p?.spec?.nodeName && !isTerminal(p);

function nodeChange(before: KubeObject, after: KubeObject): Set<string> | undefined {
  const out = new Set<string>();
  if (!isDeepStrictEqual(before.metadata.labels, after.metadata.labels))
    for (const p of LABEL_PLUGINS) out.add(p);
  if (!isDeepStrictEqual(before.spec?.taints, after.spec?.taints)) out.add('TaintToleration');
  if (!!before.spec?.unschedulable !== !!after.spec?.unschedulable) out.add('NodeUnschedulable');
  if (!isDeepStrictEqual(before.status?.allocatable, after.status?.allocatable)) out.add('NodeResourcesFit');
  return out.size > 0 ? out : undefined;
}

export function pluginsHelpedBy(e: StoreEvent): Set<string> | 'all' | undefined {
  switch (e.resource) {
    case 'core/nodes':
      if (e.type === 'ADDED') return 'all';
      if (e.type === 'MODIFIED' && e.old) return nodeChange(e.old, e.object);
      return undefined;
    case 'core/pods': {
      const was = assigned(e.old);
      const is = e.type !== 'DELETED' && assigned(e.object);
      if (was && !is) return new Set(RESOURCE_PLUGINS);
      if (!was && is) return new Set(['InterPodAffinity', 'PodTopologySpread']);
      if (was && is && !isDeepStrictEqual(e.old?.metadata.labels, e.object.metadata.labels))
        return new Set(['InterPodAffinity', 'PodTopologySpread']);
      // A victim that starts terminating frees nothing yet, but a preemptor waits for it.
      return undefined;
    }
    case 'core/persistentvolumeclaims':
    case 'core/persistentvolumes':
    case 'storage.k8s.io/storageclasses':
      return new Set(['VolumeBinding']);
    case 'core/namespaces':
      if (e.type === 'MODIFIED' && !isDeepStrictEqual(e.old?.metadata.labels, e.object.metadata.labels))
        return new Set(['InterPodAffinity']);
      return undefined;
    case 'core/services':
      return new Set(['PodTopologySpread']);
    default:
      return undefined;
  }
}

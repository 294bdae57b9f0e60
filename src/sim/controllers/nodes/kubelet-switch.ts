import type { InternalClient } from '../../api/client.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';

/**
 * Whether a node's simulated kubelet runs. The switch is an annotation on the Node, so it is
 * visible (`kubectl get node -o yaml`), settable by scenarios with plain kubectl, and survives
 * a restart of the sim with the rest of the state:
 *
 *     kubectl annotate node lab-worker sim.clusterlab.dev/kubelet=stopped   # stop the kubelet
 *     kubectl annotate node lab-worker sim.clusterlab.dev/kubelet-          # start it again
 *
 * Every part of the sim that plays the kubelet (heartbeats here, pods in the kubelet
 * controller) reads it through `kubeletRunning` and does nothing for a node whose kubelet is
 * stopped; when the annotation goes, they resume from what is in the store.
 */

export const KUBELET_ANNOTATION = 'sim.clusterlab.dev/kubelet';
export const KUBELET_STOPPED = 'stopped';

/** True unless the node carries `sim.clusterlab.dev/kubelet: stopped`. */
export function kubeletRunning(node: KubeObject | undefined): boolean {
  return !!node && node.metadata.annotations?.[KUBELET_ANNOTATION] !== KUBELET_STOPPED;
}

/** The same, looked up by node name (false when the node does not exist). */
export function kubeletRunningOn(store: ObjectStore, nodeName: string): boolean {
  return kubeletRunning(store.get('core/nodes', undefined, nodeName));
}

/** Did this Node change turn its kubelet on or off? (`undefined` when it did not.) */
export function kubeletSwitched(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): 'started' | 'stopped' | undefined {
  if (!before || !after) return undefined;
  const was = kubeletRunning(before);
  const is = kubeletRunning(after);
  if (was === is) return undefined;
  return is ? 'started' : 'stopped';
}

/** Stop (or start) a node's kubelet, as a troubleshooting scenario would. */
export async function setKubeletRunning(
  client: InternalClient,
  nodeName: string,
  running: boolean,
): Promise<void> {
  const nodes = client.resource('', 'nodes');
  const node = nodes.get(undefined, nodeName);
  if (!node) throw new Error(`node ${nodeName} does not exist`);
  if (kubeletRunning(node) === running) return;
  const annotations = { ...(node.metadata.annotations ?? {}) };
  if (running) delete annotations[KUBELET_ANNOTATION];
  else annotations[KUBELET_ANNOTATION] = KUBELET_STOPPED;
  await nodes.update({ ...node, metadata: { ...node.metadata, annotations } });
}

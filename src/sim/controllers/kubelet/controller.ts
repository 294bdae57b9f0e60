import { isDeepStrictEqual } from 'node:util';
import type { NodeRuntime } from '../../node/runtime.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { kubeletRunning } from '../nodes/kubelet-switch.js';
import { byNodeName, ObjectIndex } from '../object-index.js';
import type { Controller } from '../types.js';
import { NodeKubelet } from './node-kubelet.js';

/**
 * One kubelet per simulated node. A node is simulated when it was registered the way a kind
 * node's kubelet registers it, with a CRI-O runtime (`status.nodeInfo.containerRuntimeVersion`
 * `cri-o://…`): the lab's own nodes, and nodes a benchmark or scenario registers the same way.
 * A Node object made by hand has no kubelet, as on a real cluster.
 */

const KUBELET_CONDITIONS = new Set([
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
]);

export function isSimulatedNode(node: KubeObject): boolean {
  return String(node.status?.nodeInfo?.containerRuntimeVersion ?? '').startsWith('cri-o://');
}

function nodeInfo(node: KubeObject) {
  const ip = (node.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
  return { name: node.metadata.name!, ip, podCIDR: node.spec?.podCIDR as string | undefined };
}

/** Changes a kubelet acts on: anything but its own status writes (and other writers' status, bar their conditions). */
function matters(e: StoreEvent): boolean {
  if (e.type !== 'MODIFIED' || !e.old) return true;
  const a = e.old;
  const b = e.object;
  if (a.metadata.uid !== b.metadata.uid || a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp)
    return true;
  if (a.metadata.deletionGracePeriodSeconds !== b.metadata.deletionGracePeriodSeconds) return true;
  if (!isDeepStrictEqual(a.spec, b.spec)) return true;
  const foreign = (o: KubeObject) =>
    (o.status?.conditions ?? []).filter((c: any) => !KUBELET_CONDITIONS.has(c.type));
  return !isDeepStrictEqual(foreign(a), foreign(b));
}

export class KubeletController implements Controller {
  readonly name = 'kubelet';
  private readonly kubelets = new Map<string, NodeKubelet>();
  private index: ObjectIndex | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    const store = this.ctx.services.store;
    this.index = new ObjectIndex(store, 'core/pods', { node: byNodeName });
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const node of store.list('core/nodes')) this.nodeChanged(node);
  }

  stop(): void {
    this.unsubscribe?.();
    this.index?.close();
    for (const k of this.kubelets.values()) k.stop();
    this.kubelets.clear();
  }

  async idle(): Promise<void> {
    await Promise.all([...this.kubelets.values()].map((k) => k.idle()));
  }

  /** The container runtime of a node (for the node shell, `crictl` and `kubectl logs`). */
  runtime(nodeName: string): NodeRuntime | undefined {
    return this.kubelets.get(nodeName)?.runtime;
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'core/nodes') {
      if (e.type === 'DELETED') {
        this.kubelets.get(e.object.metadata.name!)?.stop();
        this.kubelets.delete(e.object.metadata.name!);
      } else this.nodeChanged(e.object);
      return;
    }
    if (e.resource === 'core/persistentvolumes' && e.type === 'DELETED') {
      this.volumeDeleted(e.object);
      return;
    }
    if (e.resource === 'core/configmaps' || e.resource === 'core/secrets') {
      if (e.type !== 'DELETED' && e.object.metadata.namespace)
        for (const k of this.kubelets.values()) k.projectionSourceChanged(e.object.metadata.namespace);
      return;
    }
    if (e.resource !== 'core/pods' || !matters(e)) return;
    const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
    const nodes = new Set([e.object.spec?.nodeName, e.old?.spec?.nodeName]);
    for (const n of nodes) if (n) this.kubelets.get(n)?.enqueue(key);
  }

  /**
   * A local-path volume of reclaim policy Delete is gone: its directory on the node goes too
   * (the provisioner's `helper-pod-delete` does this on kind).
   */
  private volumeDeleted(pv: KubeObject): void {
    const a = pv.metadata.annotations ?? {};
    if (a['pv.kubernetes.io/provisioned-by'] !== 'rancher.io/local-path') return;
    if (pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    const dir: string | undefined = pv.spec?.hostPath?.path;
    const node = a['local.path.provisioner/selected-node'];
    const disk = node ? this.kubelets.get(node)?.runtime.disk : undefined;
    if (dir && disk?.stat(dir.replace(/^\/+/, ''))) disk.remove(dir.replace(/^\/+/, ''), true);
  }

  private nodeChanged(node: KubeObject): void {
    if (!isSimulatedNode(node)) return;
    const name = node.metadata.name!;
    const existing = this.kubelets.get(name);
    if (existing) {
      existing.setRunning(kubeletRunning(node));
      return;
    }
    const kubelet = new NodeKubelet(nodeInfo(node), this.ctx, () => this.index?.get('node', name) ?? []);
    this.kubelets.set(name, kubelet);
    kubelet.start(kubeletRunning(node));
  }
}

import type { Clock } from '../../clock.js';
import { ClusterNetwork } from '../../network/cluster-network.js';
import type { ObjectStore } from '../../store/store.js';
import type { NodeRuntime } from '../runtime.js';
import { NodeModel } from './node-model.js';

/**
 * What a node's shell and a container's network tools need of the whole cluster: the store,
 * the clock, every node's runtime and the data path. One per sim; found from any of its
 * runtimes, so tools that only know their container's runtime can reach the rest.
 */
export class ClusterView {
  readonly network: ClusterNetwork;

  constructor(
    readonly store: ObjectStore,
    readonly clock: Clock,
    private readonly runtimeOf: (node: string) => NodeRuntime | undefined,
    readonly crioVersion: string,
  ) {
    this.network = new ClusterNetwork({ store, runtimes: () => this.runtimes() });
  }

  runtimes(): NodeRuntime[] {
    return this.store
      .list('core/nodes')
      .map((n) => this.runtimeOf(n.metadata.name!))
      .filter((r): r is NodeRuntime => !!r);
  }

  runtime(node: string): NodeRuntime | undefined {
    return this.runtimeOf(node);
  }

  /** The node as its shell sees it now (a fresh model per command: it reads the current state). */
  model(nodeName: string): NodeModel | undefined {
    const node = this.store.get('core/nodes', undefined, nodeName);
    const runtime = this.runtimeOf(nodeName);
    if (!node || !runtime) return undefined;
    return new NodeModel({
      node,
      runtime,
      pods: () => this.store.list('core/pods').filter((p) => p.spec?.nodeName === nodeName),
      nodes: () => this.store.list('core/nodes'),
      now: () => this.clock.now().getTime(),
    });
  }
}

const views = new WeakMap<NodeRuntime, ClusterView>();

export function bindRuntime(runtime: NodeRuntime, view: ClusterView): void {
  views.set(runtime, view);
}

export function clusterViewOf(runtime: NodeRuntime): ClusterView | undefined {
  return views.get(runtime);
}

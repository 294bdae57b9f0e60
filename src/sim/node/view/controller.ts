import type { ControllerContext } from '../../controllers/index.js';
import { KubeletController } from '../../controllers/kubelet/controller.js';
import type { Controller } from '../../controllers/types.js';
import { bindRuntime, ClusterView } from './cluster-view.js';

/**
 * Makes the node view available: one ClusterView for this sim, bound to every node's runtime
 * as the kubelets create them (this controller starts after the kubelet controller, so its
 * store listener runs after the kubelet's has made the runtime).
 */
export class NodeViewController implements Controller {
  readonly name = 'node-view';
  readonly view: ClusterView;
  private unsubscribe?: () => void;

  private readonly kubelet: () => KubeletController | undefined;

  constructor(ctx: ControllerContext, controllers: readonly Controller[]) {
    this.kubelet = () => controllers.find((c): c is KubeletController => c instanceof KubeletController);
    this.view = new ClusterView(
      ctx.services.store,
      ctx.clock,
      (n) => this.kubelet()?.runtime(n),
      ctx.config.crioVersion,
    );
  }

  private bindAll(): void {
    for (const r of this.view.runtimes()) bindRuntime(r, this.view);
  }

  start(): void {
    this.bindAll();
    this.unsubscribe = this.view.store.subscribe((e) => {
      if (e.resource === 'core/nodes' && e.type !== 'DELETED') {
        const r = this.kubelet()?.runtime(e.object.metadata.name!);
        if (r) bindRuntime(r, this.view);
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  async idle(): Promise<void> {}
}

import { ApiError } from '../../api/errors.js';
import type { Logger } from '../../log.js';
import type { StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import { CONTROLLER_NAME, EndpointsSync, MANAGED_BY } from './endpoints-sync.js';
import { podChangeMatters, ServiceSelection } from './selection.js';
import { SERVICE_NAME, SLICE_CONTROLLER, SLICE_MANAGED_BY, SliceSync } from './slices-sync.js';
import { SyncThrottle } from './throttle.js';

/**
 * The endpoint and EndpointSlice controllers of kube-controller-manager, sharing one view of
 * which pods each Service selects. Each has its own work queue keyed by Service, fed by
 * Service changes, by pod changes that can matter (labels, IP, readiness, deletion), and by
 * edits to the objects they own (a deleted Endpoints or a hand-edited slice is put back).
 */

const split = (key: string) => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)] as const;
};

/** A namespace being deleted refuses new objects; the Service goes with it, so give up. */
function ignoreTerminating(err: unknown): void {
  if (err instanceof ApiError && err.code === 403) return;
  throw err;
}

export class EndpointControllers implements Controller {
  readonly name = 'endpoint-controllers';
  private readonly endpointsQueue: SyncThrottle;
  private readonly slicesQueue: SyncThrottle;
  private readonly queues: WorkQueue[];
  private selection: ServiceSelection | undefined;
  private endpoints: EndpointsSync | undefined;
  private slices: SliceSync | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    log: Logger = ctx.log,
  ) {
    const endpoints = new WorkQueue(
      'endpoint-controller',
      (k) => this.endpointsQueue.measure(k, () => this.syncEndpoints(k)),
      log,
    );
    const slices = new WorkQueue(
      'endpointslice-controller',
      (k) => this.slicesQueue.measure(k, () => this.syncSlices(k)),
      log,
    );
    this.queues = [endpoints, slices];
    this.endpointsQueue = new SyncThrottle(endpoints);
    this.slicesQueue = new SyncThrottle(slices);
  }

  start(): void {
    const { store } = this.ctx.services;
    this.selection = new ServiceSelection(store);
    this.endpoints = new EndpointsSync(this.ctx.client('kube-controller-manager'), this.selection);
    this.slices = new SliceSync(this.ctx.client('kube-controller-manager'), store, this.selection);
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const svc of store.list('core/services'))
      this.both(`${svc.metadata.namespace}/${svc.metadata.name}`);
    // Objects left behind by Services deleted while the sim was down.
    for (const ep of store.list('core/endpoints')) {
      if (ep.metadata.labels?.[MANAGED_BY] === CONTROLLER_NAME)
        this.endpointsQueue.add(`${ep.metadata.namespace}/${ep.metadata.name}`);
    }
    for (const key of this.slices.serviceKeys()) this.slicesQueue.add(key);
  }

  stop(): void {
    this.unsubscribe?.();
    this.endpointsQueue.stop();
    this.slicesQueue.stop();
    for (const q of this.queues) q.stop();
    this.slices?.close();
    this.selection?.close();
  }

  async idle(): Promise<void> {
    // A sync may schedule another batch, and a batch ends in a sync: wait for both to rest.
    for (;;) {
      await Promise.all([this.endpointsQueue.idle(), this.slicesQueue.idle()]);
      await Promise.all(this.queues.map((q) => q.idle()));
      if (!this.endpointsQueue.pending && !this.slicesQueue.pending) return;
    }
  }

  private both(key: string): void {
    this.endpointsQueue.add(key);
    this.slicesQueue.add(key);
  }

  private onEvent(e: StoreEvent): void {
    const o = e.object;
    switch (e.resource) {
      case 'core/services':
        this.both(`${o.metadata.namespace}/${o.metadata.name}`);
        return;
      case 'core/pods': {
        const cur = e.type === 'DELETED' ? undefined : o;
        if (!podChangeMatters(e.old, cur)) return;
        const keys = new Set(this.selection!.servicesFor(o));
        if (e.old) for (const k of this.selection!.servicesFor(e.old)) keys.add(k);
        for (const k of keys) this.both(k);
        return;
      }
      case 'core/endpoints':
        if (e.type === 'DELETED' && o.metadata.labels?.[MANAGED_BY] === CONTROLLER_NAME)
          this.endpointsQueue.add(`${o.metadata.namespace}/${o.metadata.name}`);
        return;
      case 'core/nodes': {
        // Slices leave out pods of unknown nodes and carry node zones: a node that appears,
        // goes or changes zone can change any Service's slices (nodes change rarely).
        const zone = (n: typeof o | undefined) => n?.metadata.labels?.['topology.kubernetes.io/zone'];
        if (e.type !== 'MODIFIED' || zone(e.old) !== zone(o)) {
          this.slices?.nodesChanged();
          for (const svc of this.ctx.services.store.list('core/services'))
            this.slicesQueue.add(`${svc.metadata.namespace}/${svc.metadata.name}`);
        }
        return;
      }
      case 'discovery.k8s.io/endpointslices': {
        const labels = e.type === 'ADDED' ? undefined : (e.old ?? o).metadata.labels;
        if (labels?.[SLICE_MANAGED_BY] === SLICE_CONTROLLER && labels[SERVICE_NAME])
          this.slicesQueue.add(`${o.metadata.namespace}/${labels[SERVICE_NAME]}`);
        return;
      }
    }
  }

  private async syncEndpoints(key: string): Promise<void> {
    const [ns, name] = split(key);
    await this.endpoints?.sync(ns, name).catch(ignoreTerminating);
  }

  private async syncSlices(key: string): Promise<void> {
    const [ns, name] = split(key);
    await this.slices?.sync(ns, name).catch(ignoreTerminating);
  }
}

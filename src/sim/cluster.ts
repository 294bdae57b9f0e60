import { ServiceAllocator } from './allocator.js';
import type { OpenApiProvider } from './api/server.js';
import type { ApiServices, FieldManager, ObjectDecoder } from './api/services.js';
import { type Clock, RealClock } from './clock.js';
import type { SimConfig } from './config.js';
import { bootstrap } from './controllers/bootstrap.js';
import { type ControllerContext, controllerContext, createControllers } from './controllers/index.js';
import type { Controller } from './controllers/types.js';
import { registerBuiltins } from './kinds/index.js';
import { Registry } from './kinds/registry.js';
import type { KindContext } from './kinds/types.js';
import { type Logger, silentLogger } from './log.js';
import { patchServices } from './patch/index.js';
import { DefaultPatcher } from './patch/patcher.js';
import { schemaServices } from './schema/index.js';
import { Journal, type RecoveryReport } from './store/journal.js';
import { ObjectStore } from './store/store.js';

export interface SimClusterOptions {
  config: SimConfig;
  /** Directory for the journal and snapshots; without it the cluster lives in memory only. */
  dataDir?: string;
  /** Skip fsync (benchmarks of other things and throwaway test clusters only). */
  noSync?: boolean;
  clock?: Clock;
  log?: Logger;
  /** PEM of the lab's CA, published in every namespace as `kube-root-ca.crt`. */
  caCert: string;
  bookmarkIntervalMs?: number;
  /** See ApiServices.watch.minRequestTimeoutMs (default 1800 s, as upstream). */
  minRequestTimeoutMs?: number;
  historySize?: number;
}

/**
 * A simulated Kubernetes cluster without its HTTP front: the store, the served types, the
 * write path and the controllers. `serve.ts` puts the API server in front of it.
 */
export class SimCluster {
  readonly services: ApiServices;
  readonly controllers: Controller[];
  readonly recovery: RecoveryReport | undefined;
  readonly openapi: OpenApiProvider;
  private readonly journal: Journal | undefined;

  private constructor(
    readonly config: SimConfig,
    services: ApiServices,
    openapi: OpenApiProvider,
    journal: Journal | undefined,
    recovery: RecoveryReport | undefined,
    controllers: Controller[],
    /** What controllers share: clients, the clock, the event recorder (tests use it too). */
    readonly context: ControllerContext,
  ) {
    this.services = services;
    this.openapi = openapi;
    this.journal = journal;
    this.recovery = recovery;
    this.controllers = controllers;
  }

  static async create(opts: SimClusterOptions): Promise<SimCluster> {
    const log = opts.log ?? silentLogger;
    const clock = opts.clock ?? new RealClock();
    const store = new ObjectStore({ historySize: opts.historySize });
    let journal: Journal | undefined;
    let recovery: RecoveryReport | undefined;
    if (opts.dataDir) {
      ({ journal, report: recovery } = Journal.open(opts.dataDir, store, { noSync: opts.noSync }));
      if (recovery.corruptCopy)
        log.warn(`journal was damaged in the middle; a copy is kept at ${recovery.corruptCopy}`);
      if (recovery.truncatedBytes)
        log.info(`cut ${recovery.truncatedBytes} bytes of an unfinished last write from the journal`);
    }
    const registry = new Registry();
    registerBuiltins(registry);
    const allocator = new ServiceAllocator(opts.config.serviceSubnet);
    const kindContext: KindContext = {
      now: () => clock.now(),
      get: (storage, ns, name) => store.get(storage, ns, name),
      list: (storage, ns) => store.list(storage, ns),
      allocator,
    };
    const schema = schemaServices(registry, store);
    const patches = patchServices(schema.models);
    const services: ApiServices = {
      store,
      registry,
      kindContext,
      clock,
      decoder: schema.decoder as ObjectDecoder,
      patcher: new DefaultPatcher(patches.strategic, patches.apply),
      fieldManager: patches.fieldManager as FieldManager,
      watch: {
        bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
        minRequestTimeoutMs: opts.minRequestTimeoutMs ?? 1_800_000,
      },
    };
    for (const svc of store.list('core/services')) {
      allocator.reserve(
        svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []),
        [...(svc.spec?.ports ?? []).map((p: any) => p.nodePort), svc.spec?.healthCheckNodePort].filter(
          Boolean,
        ),
      );
    }
    schema.start();

    const ctx = controllerContext(services, opts.config, log, opts.caCert);
    ctx.dataDir = opts.dataDir;
    await bootstrap(ctx.client('kube-apiserver'), opts.config, clock.now(), allocator.apiServerIP);
    const controllers = createControllers(ctx);
    for (const c of controllers) c.start();
    return new SimCluster(opts.config, services, schema.openapi, journal, recovery, controllers, ctx);
  }

  get store(): ObjectStore {
    return this.services.store;
  }

  get registry(): Registry {
    return this.services.registry;
  }

  /** Wait until every controller has caught up (tests). */
  async settle(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const rv = this.store.resourceVersion;
      await Promise.all(this.controllers.map((c) => c.idle()));
      await new Promise((r) => setImmediate(r));
      if (this.store.resourceVersion === rv) return;
    }
  }

  async close(): Promise<void> {
    for (const c of this.controllers) c.stop();
    await this.journal?.close();
  }
}

import { InternalClient } from '../api/client.js';
import type { ApiServices } from '../api/services.js';
import type { Clock } from '../clock.js';
import type { SimConfig } from '../config.js';
import type { Logger } from '../log.js';
import { CrdController } from './crd.js';
import { EventRecorder } from './events.js';
import { NamespaceController } from './namespace.js';
import { NamespaceDefaultsController } from './namespace-defaults.js';
import type { Controller } from './types.js';

/** What every controller gets: the cluster's services and a client per component name. */
export interface ControllerContext {
  services: ApiServices;
  config: SimConfig;
  clock: Clock;
  log: Logger;
  events: EventRecorder;
  /** PEM of the lab's CA. */
  caCert: string;
  /** A client whose writes are recorded under `manager` (`kube-scheduler`, `kubelet`, …). */
  client(manager: string): InternalClient;
}

export function controllerContext(
  services: ApiServices,
  config: SimConfig,
  log: Logger,
  caCert: string,
): ControllerContext {
  const client = (manager: string) => new InternalClient(services, manager);
  return {
    services,
    config,
    clock: services.clock,
    log,
    caCert,
    client,
    events: new EventRecorder(client('event-recorder'), services.clock, log),
  };
}

/**
 * The controllers a sim runs, in start order. Add new ones here (one line each); `start()`
 * must not wait for the network or the clock.
 */
export function createControllers(ctx: ControllerContext): Controller[] {
  return [
    // First: it serves the stored CRDs' resources, which the other controllers may touch.
    new CrdController(ctx.services, ctx.client('apiextensions-apiserver'), ctx.log),
    new NamespaceController(ctx.services, ctx.client('namespace-controller'), ctx.log),
    new NamespaceDefaultsController(ctx.services, ctx.client('kube-controller-manager'), ctx.caCert, ctx.log),
  ];
}

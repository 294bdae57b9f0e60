import { InternalClient } from '../api/client.js';
import type { ApiServices } from '../api/services.js';
import type { Clock } from '../clock.js';
import type { SimConfig } from '../config.js';
import type { Logger } from '../log.js';
import { NodeViewController } from '../node/view/controller.js';
import { CrdController } from './crd.js';
import { DisruptionController } from './disruption/controller.js';
import { EndpointControllers } from './endpoints/controller.js';
import { EventRecorder } from './events.js';
import { GarbageCollector } from './gc/collector.js';
import { KubeletController } from './kubelet/controller.js';
import { NamespaceController } from './namespace.js';
import { NamespaceDefaultsController } from './namespace-defaults.js';
import { NodeHeartbeat } from './nodes/heartbeat.js';
import { NodeLifecycleController } from './nodes/lifecycle.js';
import { PodGarbageCollector } from './nodes/pod-gc.js';
import { TaintEvictionController } from './nodes/taint-eviction.js';
import { ResourceQuotaController } from './quota/controller.js';
import { Scheduler } from './scheduler/index.js';
import { LocalPathProvisioner } from './storage/local-path.js';
import { PersistentVolumeController } from './storage/pv-controller.js';
import { PvProtectionController } from './storage/pv-protection.js';
import { PvcProtectionController } from './storage/pvc-protection.js';
import { SystemWorkloadsController } from './system/controller.js';
import type { Controller } from './types.js';
import { CronJobController } from './workloads/cronjob/controller.js';
import { DaemonSetController } from './workloads/daemonset/controller.js';
import { DeploymentController } from './workloads/deployment/controller.js';
import { JobController } from './workloads/job/controller.js';
import { TtlAfterFinishedController } from './workloads/job/ttl.js';
import { ReplicaSetController } from './workloads/replicaset/controller.js';
import { REPLICATION_CONTROLLERS } from './workloads/replicaset/flavor.js';
import { StatefulSetController } from './workloads/statefulset/controller.js';

/** What every controller gets: the cluster's services and a client per component name. */
export interface ControllerContext {
  services: ApiServices;
  config: SimConfig;
  clock: Clock;
  log: Logger;
  events: EventRecorder;
  /** PEM of the lab's CA. */
  caCert: string;
  /** The lab's state directory (none: the cluster lives in memory); nodes keep their disks there. */
  dataDir?: string;
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
  const list: Controller[] = [
    // First: it serves the stored CRDs' resources, which the other controllers may touch.
    new CrdController(ctx.services, ctx.client('apiextensions-apiserver'), ctx.log),
    new NamespaceController(ctx.services, ctx.client('namespace-controller'), ctx.log),
    new NamespaceDefaultsController(ctx.services, ctx.client('kube-controller-manager'), ctx.caCert, ctx.log),
    new SystemWorkloadsController(ctx),
    new EndpointControllers(ctx),
    new ResourceQuotaController(ctx.services, ctx.client('kube-controller-manager'), ctx.log),
    new Scheduler(ctx),
    new KubeletController(ctx),
    new NodeHeartbeat(ctx),
    new NodeLifecycleController(ctx),
    new TaintEvictionController(ctx),
    new PodGarbageCollector(ctx),
    new DisruptionController(ctx),
    new GarbageCollector(ctx),
    new DeploymentController(ctx),
    new ReplicaSetController(ctx),
    new ReplicaSetController(ctx, REPLICATION_CONTROLLERS),
    new StatefulSetController(ctx),
    new DaemonSetController(ctx),
    new JobController(ctx),
    new TtlAfterFinishedController(ctx),
    new CronJobController(ctx),
    new PersistentVolumeController(ctx),
    new LocalPathProvisioner(ctx),
    new PvcProtectionController(ctx),
    new PvProtectionController(ctx),
  ];
  // Last: it reads the kubelets' runtimes (node shells, crictl, the data path).
  list.push(new NodeViewController(ctx, list));
  return list;
}

import { ApiError } from '../../api/errors.js';
import type { SimConfig } from '../../config.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import {
  type AddonObject,
  CLUSTER_DOMAIN,
  controlPlaneEndpoint,
  controlPlaneNode,
  KUBE_SYSTEM,
} from './addon.js';
import { corednsAddon } from './coredns.js';
import { kindnetAddon } from './kindnet.js';
import { kubeProxyAddon } from './kube-proxy.js';
import { localPathAddon } from './local-path.js';
import { MIRROR_ANNOTATION, staticPods } from './static-pods.js';

/**
 * kind's system workloads as real objects, so `kubectl get pods -A` on a fresh lab lists what
 * a fresh kind cluster lists. Two jobs, as on kind:
 *  - the addons `kubeadm init` and kind install once (CoreDNS, kube-proxy, kindnet,
 *    local-path-provisioner and their ConfigMaps, accounts and roles). The `kubeadm-config`
 *    ConfigMap, written last, records that this was done: a learner who deletes CoreDNS keeps
 *    it deleted, across sim restarts too;
 *  - the control plane's mirror pods, which the kubelet recreates whenever they are deleted.
 */

const MARKER = 'kubeadm-config';
const ADDONS = 'addons';
const STATIC_PODS = 'static-pods';

function clusterConfiguration(cfg: SimConfig): string {
  return `apiServer:
  certSANs:
  - localhost
  - 127.0.0.1
  extraArgs:
  - name: runtime-config
    value: ""
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: ${cfg.name}
controlPlaneEndpoint: ${controlPlaneEndpoint(cfg)}
controllerManager:
  extraArgs:
  - name: enable-hostpath-provisioner
    value: "true"
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: ${cfg.kubernetesVersion}
networking:
  dnsDomain: ${CLUSTER_DOMAIN}
  podSubnet: ${cfg.podSubnet}
  serviceSubnet: ${cfg.serviceSubnet}
proxy: {}
scheduler: {}
`;
}

export function systemAddons(cfg: SimConfig): AddonObject[] {
  return [...localPathAddon(), ...corednsAddon(cfg), ...kubeProxyAddon(cfg), ...kindnetAddon(cfg)];
}

export class SystemWorkloadsController implements Controller {
  readonly name = 'system-workloads';
  private readonly queue: WorkQueue;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(this.name, (job) => this.run(job), ctx.log);
  }

  start(): void {
    const cp = controlPlaneNode(this.ctx.config).name;
    this.unsubscribe = this.ctx.services.store.subscribe((e: StoreEvent) => {
      if (e.resource === 'core/nodes' && e.object.metadata.name === cp && e.type === 'ADDED') {
        this.queue.add(STATIC_PODS);
      } else if (
        e.resource === 'core/pods' &&
        (e.type === 'DELETED' || e.object.metadata.deletionTimestamp) &&
        e.object.metadata.namespace === KUBE_SYSTEM &&
        e.object.metadata.annotations?.[MIRROR_ANNOTATION]
      ) {
        this.queue.add(STATIC_PODS);
      }
    });
    this.queue.add(ADDONS);
    this.queue.add(STATIC_PODS);
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async run(job: string): Promise<void> {
    if (job === ADDONS) await this.installAddons();
    else await this.ensureStaticPods();
  }

  private async installAddons(): Promise<void> {
    const client = this.ctx.client('kubeadm');
    const configMaps = client.resource('', 'configmaps');
    if (configMaps.get(KUBE_SYSTEM, MARKER)) return;
    for (const addon of systemAddons(this.ctx.config)) await this.ensure(addon);
    await this.ensure({
      group: '',
      plural: 'configmaps',
      manager: 'kubeadm',
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: MARKER, namespace: KUBE_SYSTEM },
        data: { ClusterConfiguration: clusterConfiguration(this.ctx.config) },
      },
    });
  }

  /** Create an addon object unless it exists (a half-done install resumes after a restart). */
  private async ensure(addon: AddonObject): Promise<void> {
    let api: ReturnType<ReturnType<ControllerContext['client']>['resource']>;
    try {
      api = this.ctx.client(addon.manager).resource(addon.group, addon.plural);
    } catch {
      return; // Not served by this build (RBAC kinds in a trimmed registry).
    }
    const { name, namespace } = addon.object.metadata;
    if (api.get(namespace, name!)) return;
    try {
      await api.create(structuredClone(addon.object));
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }

  private async ensureStaticPods(): Promise<void> {
    const cfg = this.ctx.config;
    const node = this.ctx.services.store.get('core/nodes', undefined, controlPlaneNode(cfg).name);
    if (!node) return;
    const pods = this.ctx.client('kubelet').resource('', 'pods');
    for (const pod of staticPods(cfg, node, this.ctx.clock.now()) as KubeObject[]) {
      const current = pods.get(KUBE_SYSTEM, pod.metadata.name!);
      if (current && !current.metadata.deletionTimestamp) continue;
      // A deleted mirror pod does not stop the static pod: the kubelet removes the old mirror
      // at once and posts a new one (a new uid, its age reset).
      if (current) {
        await pods.delete(KUBE_SYSTEM, pod.metadata.name!, {
          gracePeriodSeconds: 0,
          preconditions: { uid: current.metadata.uid },
        });
      }
      await pods.create(pod);
    }
  }
}

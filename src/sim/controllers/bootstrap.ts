import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { InternalClient } from '../api/client.js';
import { timestamp } from '../api/validation/objectmeta.js';
import type { SimConfig, SimNodeConfig } from '../config.js';
import type { KubeObject } from '../store/types.js';
import { ensureApiServerEndpoints } from './bootstrap-endpoints.js';
import { ensureBootstrapAccess } from './bootstrap-rbac.js';

/**
 * What a freshly made kind cluster has before anyone touches it: the four system namespaces,
 * one registered, Ready node per lab node, and the `kubernetes` Service in `default` with its
 * Endpoints and EndpointSlice.
 * Idempotent: on a restart only what is missing is created.
 */

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function nodeObject(cfg: SimConfig, n: SimNodeConfig, now: Date): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    ...(n.labels ?? {}),
  };
  if (n.role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const t = timestamp(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  const machineId = randomUUID().replaceAll('-', '');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/crio/crio.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: n.podCIDR,
      podCIDRs: [n.podCIDR],
      providerID: `kind://docker/${cfg.name}/${n.name}`,
      // kind untaints the control plane of a cluster without workers so that pods can run.
      ...(n.role === 'control-plane' && cfg.nodes.some((other) => other.role === 'worker')
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
    },
    status: {
      capacity: { ...n.capacity },
      allocatable: { ...(n.allocatable ?? n.capacity) },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: n.internalIP },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: machineId,
        systemUUID: randomUUID(),
        bootID: randomUUID(),
        kernelVersion: os.release(),
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: `cri-o://${cfg.crioVersion}`,
        kubeletVersion: cfg.kubernetesVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export async function bootstrap(
  client: InternalClient,
  cfg: SimConfig,
  now: Date,
  apiServerIP: string,
): Promise<void> {
  const namespaces = client.resource('', 'namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    if (!namespaces.get(undefined, name)) {
      await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }
  const nodes = client.resource('', 'nodes');
  for (const n of cfg.nodes) {
    if (!nodes.get(undefined, n.name)) await nodes.create(nodeObject(cfg, n, now));
  }
  await ensureDefaultStorageClass(client, cfg.defaultStorageClass ?? 'standard');
  await ensureBootstrapAccess(client);
  let services: ReturnType<InternalClient['resource']>;
  try {
    services = client.resource('', 'services');
  } catch {
    return; // Services are not served by this build.
  }
  if (!services.get('default', 'kubernetes')) {
    await services.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: apiServerIP,
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    });
  }
  await ensureApiServerEndpoints(client, cfg);
}

/** kind's default StorageClass: `standard`, served by the local-path provisioner. */
export const DEFAULT_STORAGE_CLASS: KubeObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: 'standard',
    annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
  },
  provisioner: 'rancher.io/local-path',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

async function ensureDefaultStorageClass(client: InternalClient, name: string): Promise<void> {
  let classes: ReturnType<InternalClient['resource']>;
  try {
    classes = client.resource('storage.k8s.io', 'storageclasses');
  } catch {
    return; // StorageClasses are not served by this build.
  }
  if (!classes.get(undefined, name)) {
    const sc = structuredClone(DEFAULT_STORAGE_CLASS);
    sc.metadata.name = name;
    await classes.create(sc);
  }
}

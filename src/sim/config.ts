import { intToIp, parseCidr } from './allocator.js';

/** What a simulated cluster looks like: its nodes, versions and networks. */

export type NodeRole = 'control-plane' | 'worker';

export interface SimNodeConfig {
  name: string;
  role: NodeRole;
  internalIP: string;
  podCIDR: string;
  capacity: Record<string, string>;
  /** What pods may use; the capacity when absent (kind reserves nothing). */
  allocatable?: Record<string, string>;
  /** Labels beyond the ones kubelet and kubeadm set (`kubernetes.io/hostname`, roles, …). */
  labels?: Record<string, string>;
}

export interface SimConfig {
  /** The lab's name (`clusterlab-<name>` is the kubeconfig context). */
  name: string;
  kubernetesVersion: string;
  crioVersion: string;
  podSubnet: string;
  serviceSubnet: string;
  nodes: SimNodeConfig[];
  /** Name of the StorageClass made the default at bootstrap (kind's is `standard`). */
  defaultStorageClass?: string;
}

/** Capacity, allocatable and labels for a node; unset parts fall back to the defaults. */
export interface NodeTemplate {
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface TopologyOptions {
  name: string;
  /** Total node count: one control plane and the rest workers. */
  nodes: number;
  kubernetesVersion?: string;
  crioVersion?: string;
  podSubnet?: string;
  serviceSubnet?: string;
  /** Capacity of every node (merged over DEFAULT_NODE_CAPACITY). */
  nodeCapacity?: Record<string, string>;
  /** Per role, then per node by kind's name suffix (`control-plane`, `worker`, `worker2`, …). */
  controlPlane?: NodeTemplate;
  worker?: NodeTemplate;
  byName?: Record<string, NodeTemplate>;
  defaultStorageClass?: string;
}

export const DEFAULT_KUBERNETES_VERSION = 'v1.33.1';
export const DEFAULT_CRIO_VERSION = '1.33.2';
export const DEFAULT_STORAGE_CLASS_NAME = 'standard';
export const DEFAULT_NODE_CAPACITY: Record<string, string> = {
  cpu: '4',
  'ephemeral-storage': '100Gi',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '8Gi',
  pods: '110',
};

/** kind's name suffixes: `control-plane`, `worker`, `worker2`, … (index 0 is the control plane). */
export function nodeSuffixes(total: number): string[] {
  const names = ['control-plane'];
  for (let i = 1; i < total; i++) names.push(i === 1 ? 'worker' : `worker${i}`);
  return names;
}

/** Node names as kind gives them: `<lab>-control-plane`, `<lab>-worker`, `<lab>-worker2`, … */
export function nodeNames(lab: string, total: number): string[] {
  return nodeSuffixes(total).map((s) => `${lab}-${s}`);
}

const merge = (...lists: Array<Record<string, string> | undefined>) => Object.assign({}, ...lists);

export function buildTopology(o: TopologyOptions): SimConfig {
  if (!Number.isInteger(o.nodes) || o.nodes < 1)
    throw new Error(`a lab needs at least one node (got ${o.nodes})`);
  const podSubnet = o.podSubnet ?? '10.244.0.0/16';
  const serviceSubnet = o.serviceSubnet ?? '10.96.0.0/16';
  const pods = parseCidr(podSubnet);
  // kind's Docker network is 172.18.0.0/16; the gateway is .1 and nodes start at .2.
  const nodes = nodeSuffixes(o.nodes).map((suffix, i): SimNodeConfig => {
    const role: NodeRole = i === 0 ? 'control-plane' : 'worker';
    const byRole = role === 'control-plane' ? o.controlPlane : o.worker;
    const own = o.byName?.[suffix];
    const capacity = merge(DEFAULT_NODE_CAPACITY, o.nodeCapacity, byRole?.capacity, own?.capacity);
    const node: SimNodeConfig = {
      name: `${o.name}-${suffix}`,
      role,
      internalIP: `172.18.0.${i + 2}`,
      podCIDR: `${intToIp(pods.base + i * 256)}/24`,
      capacity,
    };
    if (byRole?.allocatable || own?.allocatable)
      node.allocatable = merge(capacity, byRole?.allocatable, own?.allocatable);
    const labels = merge(byRole?.labels, own?.labels);
    if (Object.keys(labels).length > 0) node.labels = labels;
    return node;
  });
  return {
    name: o.name,
    kubernetesVersion: o.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    crioVersion: o.crioVersion ?? DEFAULT_CRIO_VERSION,
    podSubnet,
    serviceSubnet,
    nodes,
    defaultStorageClass: o.defaultStorageClass ?? DEFAULT_STORAGE_CLASS_NAME,
  };
}

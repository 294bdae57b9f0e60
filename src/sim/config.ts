import { intToIp, parseCidr } from './allocator.js';

/** What a simulated cluster looks like: its nodes, versions and networks. */

export interface SimNodeConfig {
  name: string;
  role: 'control-plane' | 'worker';
  internalIP: string;
  podCIDR: string;
  capacity: Record<string, string>;
}

export interface SimConfig {
  /** The lab's name (`clusterlab-<name>` is the kubeconfig context). */
  name: string;
  kubernetesVersion: string;
  crioVersion: string;
  podSubnet: string;
  serviceSubnet: string;
  nodes: SimNodeConfig[];
}

export interface TopologyOptions {
  name: string;
  /** Total node count: one control plane and the rest workers. */
  nodes: number;
  kubernetesVersion?: string;
  crioVersion?: string;
  podSubnet?: string;
  serviceSubnet?: string;
  nodeCapacity?: Record<string, string>;
}

export const DEFAULT_KUBERNETES_VERSION = 'v1.33.1';
export const DEFAULT_CRIO_VERSION = '1.33.2';
export const DEFAULT_NODE_CAPACITY: Record<string, string> = {
  cpu: '4',
  'ephemeral-storage': '100Gi',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '8Gi',
  pods: '110',
};

/** Node names as kind gives them: `<lab>-control-plane`, `<lab>-worker`, `<lab>-worker2`, … */
export function nodeNames(lab: string, total: number): string[] {
  const names = [`${lab}-control-plane`];
  for (let i = 1; i < total; i++) names.push(i === 1 ? `${lab}-worker` : `${lab}-worker${i}`);
  return names;
}

export function buildTopology(o: TopologyOptions): SimConfig {
  if (!Number.isInteger(o.nodes) || o.nodes < 1)
    throw new Error(`a lab needs at least one node (got ${o.nodes})`);
  const podSubnet = o.podSubnet ?? '10.244.0.0/16';
  const serviceSubnet = o.serviceSubnet ?? '10.96.0.0/16';
  const pods = parseCidr(podSubnet);
  // kind's Docker network is 172.18.0.0/16; the gateway is .1 and nodes start at .2.
  const nodes = nodeNames(o.name, o.nodes).map((name, i) => ({
    name,
    role: (i === 0 ? 'control-plane' : 'worker') as SimNodeConfig['role'],
    internalIP: `172.18.0.${i + 2}`,
    podCIDR: `${intToIp(pods.base + i * 256)}/24`,
    capacity: { ...DEFAULT_NODE_CAPACITY, ...(o.nodeCapacity ?? {}) },
  }));
  return {
    name: o.name,
    kubernetesVersion: o.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    crioVersion: o.crioVersion ?? DEFAULT_CRIO_VERSION,
    podSubnet,
    serviceSubnet,
    nodes,
  };
}

import { stringify } from 'yaml';
import type { LabSpec, NodeTemplateSpec } from '../types.js';
import { CRIO_SOCKET, clusterName, type NodeRole, nodeNames } from './names.js';

/** Where the serverless ingress listens: a NodePort on the control plane, mapped to the host. */
export interface IngressPort {
  /** The NodePort the gateway Service uses (kind maps the control plane's port to the host). */
  nodePort: number;
  hostPort: number;
  /** Loopback only by default: nothing of a lab listens on other interfaces. */
  listenAddress: string;
}

export const DEFAULT_INGRESS_PORT: IngressPort = {
  nodePort: 31080,
  hostPort: 8080,
  listenAddress: '127.0.0.1',
};

export interface KindConfigOptions {
  ingress: IngressPort;
  /** A file mounted into every node as a CRI-O registries drop-in (the image cache's mirrors). */
  mirrorConf?: { hostPath: string; containerPath: string };
}

/** kubeadm's nodeRegistration.criSocket, for the kubeadm config kinds a node runs. */
const criSocketPatch = (kind: 'InitConfiguration' | 'JoinConfiguration') =>
  `kind: ${kind}\nnodeRegistration:\n  criSocket: ${CRIO_SOCKET}\n`;

/**
 * The kind cluster config of a lab: one control plane and the workers, each with the criSocket
 * patches kind's kubeadm template needs for CRI-O (Init and Join on the control plane, since
 * kind also renders a JoinConfiguration for it; Join on workers), the lab's subnets, its node
 * labels, and the ingress port mapped on the control plane.
 */
export function kindConfig(spec: LabSpec, o: KindConfigOptions): Record<string, unknown> {
  const nodes = nodeNames(spec.name, spec.controlPlanes, spec.workers).map(({ name, role }) => {
    const node: Record<string, unknown> = {
      role,
      kubeadmConfigPatches:
        role === 'control-plane'
          ? [criSocketPatch('InitConfiguration'), criSocketPatch('JoinConfiguration')]
          : [criSocketPatch('JoinConfiguration')],
    };
    const labels = nodeLabels(spec, name, role);
    if (Object.keys(labels).length > 0) node.labels = labels;
    if (role === 'control-plane' && name === `${clusterName(spec.name)}-control-plane`)
      node.extraPortMappings = [
        {
          containerPort: o.ingress.nodePort,
          hostPort: o.ingress.hostPort,
          listenAddress: o.ingress.listenAddress,
          protocol: 'TCP',
        },
      ];
    if (o.mirrorConf)
      node.extraMounts = [
        { hostPath: o.mirrorConf.hostPath, containerPath: o.mirrorConf.containerPath, readOnly: true },
      ];
    return node;
  });
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: clusterName(spec.name),
    networking: {
      ...(spec.podSubnet ? { podSubnet: spec.podSubnet } : {}),
      ...(spec.serviceSubnet ? { serviceSubnet: spec.serviceSubnet } : {}),
    },
    nodes,
  };
}

export function renderKindConfig(spec: LabSpec, o: KindConfigOptions): string {
  return `# Made by clusterlab for lab "${spec.name}"; kind reads it once, at create.\n${stringify(kindConfig(spec, o))}`;
}

/** The lab definition's labels for one node, merged from its role's and its own (by name suffix). */
function nodeLabels(spec: LabSpec, name: string, role: NodeRole): Record<string, string> {
  const t = spec.topology;
  const suffix = name.slice(clusterName(spec.name).length + 1);
  const layers: Array<NodeTemplateSpec | undefined> = [
    role === 'control-plane' ? t?.controlPlane : t?.worker,
    t?.byName?.[suffix],
  ];
  return Object.assign({}, ...layers.map((l) => l?.labels ?? {}));
}

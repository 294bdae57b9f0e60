import { intToIp, parseCidr } from '../../allocator.js';
import type { SimConfig } from '../../config.js';
import type { KubeObject } from '../../store/types.js';

/** One object of kind's system workloads, with the resource it is created through. */
export interface AddonObject {
  group: string;
  plural: string;
  /** Field manager of the tool that creates it on kind (`kubeadm`, `kubectl-create`). */
  manager: string;
  object: KubeObject;
}

export const KUBE_SYSTEM = 'kube-system';
export const CLUSTER_DOMAIN = 'cluster.local';

/** kubeadm's DNS address: the tenth of the service CIDR (10.96.0.10 on kind). */
export function dnsServiceIP(cfg: SimConfig): string {
  return intToIp(parseCidr(cfg.serviceSubnet).base + 10);
}

export const controlPlaneNode = (cfg: SimConfig) =>
  cfg.nodes.find((n) => n.role === 'control-plane') ?? cfg.nodes[0]!;

/** `https://<lab>-control-plane:6443`: how kind's components reach the API server. */
export const controlPlaneEndpoint = (cfg: SimConfig) => `${controlPlaneNode(cfg).name}:6443`;

export const serviceAccount = (name: string, namespace: string, manager: string): AddonObject => ({
  group: '',
  plural: 'serviceaccounts',
  manager,
  object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
});

export function clusterRole(name: string, rules: unknown[], manager: string): AddonObject {
  return {
    group: 'rbac.authorization.k8s.io',
    plural: 'clusterroles',
    manager,
    object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules },
  };
}

/** A ClusterRoleBinding of a role to one kube-system (or other) ServiceAccount. */
export function clusterRoleBinding(
  name: string,
  role: string,
  sa: { name: string; namespace: string },
  manager: string,
): AddonObject {
  return {
    group: 'rbac.authorization.k8s.io',
    plural: 'clusterrolebindings',
    manager,
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }],
    },
  };
}

export const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({
  apiGroups,
  resources,
  verbs,
});

/** `fieldRef` environment variables, as the manifests write them. */
export const fieldEnv = (name: string, fieldPath: string) => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});

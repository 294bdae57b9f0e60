/**
 * Every name and label the kind backend uses, in one place. kind's own (node containers,
 * Docker labels, its network) are repeated here as kind defines them
 * (kind: pkg/cluster/internal/providers/common/namer.go, providers/docker/constants.go).
 */

/** Docker labels kind puts on each node container. */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role';
/** The Docker network kind attaches nodes to. */
export const KIND_NETWORK = 'kind';

/** The kind cluster of a lab has the lab's name, so its nodes are named as the sim names them. */
export const clusterName = (lab: string): string => lab;

/** The kubeconfig context kind writes, and the one clusterlab renames it to. */
export const kindContextName = (lab: string): string => `kind-${clusterName(lab)}`;
export const labContextName = (lab: string): string => `clusterlab-${lab}`;

export type NodeRole = 'control-plane' | 'worker';

/** kind's node names: the first of a role has no number (`lab-worker`, `lab-worker2`, …). */
export function nodeNames(
  lab: string,
  controlPlanes: number,
  workers: number,
): Array<{ name: string; role: NodeRole }> {
  const named = (role: NodeRole, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      name: `${clusterName(lab)}-${role}${i === 0 ? '' : i + 1}`,
      role,
    }));
  return [...named('control-plane', controlPlanes), ...named('worker', workers)];
}

/** The CRI-O socket the nodes' kubelets talk to (kind's template says containerd's). */
export const CRIO_SOCKET = 'unix:///var/run/crio/crio.sock';

/** The node image clusterlab builds: one repository, tagged `<k8s version>-<context hash>`. */
export const NODE_IMAGE_REPOSITORY = 'clusterlab/kind-node-crio';

/** Labels clusterlab puts on what it owns in Docker (images it builds, the image cache). */
export const OWNER_LABEL = 'dev.clusterlab.owner';
export const OWNER_VALUE = 'clusterlab';
export const CACHE_ROLE_LABEL = 'dev.clusterlab.image-cache';

/** Files in the lab directory. */
export const LAB_FILES = {
  kindConfig: 'kind-config.yaml',
  kubeconfig: 'kubeconfig',
  registriesDir: 'registries.conf.d',
  mirrorConf: '50-clusterlab-cache.conf',
} as const;

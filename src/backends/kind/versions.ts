/**
 * Every upstream version the kind backend depends on, pinned. docs/backend-kind.md lists
 * them with what was verified where; change them together.
 */

/** The kind release clusterlab is written against; older ones lack what the config uses. */
export const KIND_VERSION = 'v0.29.0';
export const MIN_KIND_VERSION = '0.20.0';

/**
 * kind's published node images by Kubernetes version (from kind v0.29.0's release notes),
 * with their digests: kind asks for exactly these images, as the base of the CRI-O image.
 */
export const BASE_NODE_IMAGES: Record<string, string> = {
  'v1.33.1': 'kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f',
};

/**
 * The CRI-O package for each Kubernetes minor, from the stable stream of the same minor
 * (pkgs.k8s.io/addons:/cri-o:/stable:/v1.XX, cri-o/packaging); the version is an apt version
 * pattern.
 */
export const CRIO_PACKAGES: Record<string, { stream: string; version: string }> = {
  'v1.33': { stream: 'v1.33', version: '1.33.2*' },
};

/** kind's containerd pins this sandbox image; CRI-O must use the same one. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** The image cache: Docker's registry, run as a pull-through proxy per upstream registry. */
export const REGISTRY_IMAGE = 'docker.io/library/registry:2.8.3';

/** Knative Serving and its Kourier ingress, from their GitHub releases. */
export const KNATIVE_VERSION = 'knative-v1.19.0';

/** The Kubernetes versions the kind backend can make, from the images above. */
export const kindKubernetesVersions = (): string[] => Object.keys(BASE_NODE_IMAGES);

export const minorOf = (version: string): string => version.split('.').slice(0, 2).join('.');

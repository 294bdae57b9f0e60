/**
 * The images a kind v0.29.0 node for Kubernetes v1.33 runs its system pods from (kind's
 * `pkg/build/nodeimage` constants and kubeadm 1.33's defaults). The kubelet's image catalog
 * must know these names for the system pods to start.
 */

export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.5.21-0';
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.0';
export const KINDNETD_IMAGE = 'docker.io/kindest/kindnetd:v20250512-df8de77b';
export const LOCAL_PATH_PROVISIONER_IMAGE = 'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a';
export const LOCAL_PATH_HELPER_IMAGE = 'docker.io/kindest/local-path-helper:v20241212-8ac705d0';
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** `registry.k8s.io/kube-apiserver:v1.33.1` and its siblings, at the lab's version. */
export const controlPlaneImage = (component: string, version: string) =>
  `registry.k8s.io/${component}:${version}`;

/** Every image the system pods use, for the kubelet engineer's catalog. */
export function systemImages(version: string): string[] {
  return [
    ETCD_IMAGE,
    COREDNS_IMAGE,
    KINDNETD_IMAGE,
    LOCAL_PATH_PROVISIONER_IMAGE,
    ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].map((c) =>
      controlPlaneImage(c, version),
    ),
  ];
}

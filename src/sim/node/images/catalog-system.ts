import type { CatalogImage, ImageVariant } from './catalog.js';

/**
 * The images a kind v0.29 node (Kubernetes v1.33.1) runs for its own system pods, at the
 * versions kind pins (`pkg/build/nodeimage/const_*.go`, kubeadm's v1.33 constants), so the
 * sim can run kind's control plane, CoreDNS, kindnet, kube-proxy and local-path-provisioner.
 * They are present on every node from the start, as on a kind node.
 */

const distroless = (sizeBytes: number) => (): ImageVariant => ({ sizeBytes, shell: 'none' });

const KUBE_TAG = /^v1\.\d+\.\d+$/;
const K8S_VERSION = 'v1.33.1';

const kube = (
  name: 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kube-proxy',
  sizeBytes: number,
  summary: string,
): CatalogImage => ({
  repository: `registry.k8s.io/${name}`,
  tags: KUBE_TAG,
  tagsDoc: '`v1.N.M`',
  variant: distroless(sizeBytes),
  entrypoint: [],
  cmd: [`/usr/local/bin/${name}`],
  env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  stopSignal: 'SIGTERM',
  programs: { [name]: name },
  preloaded: [K8S_VERSION],
  summary,
});

export const SYSTEM_IMAGES: CatalogImage[] = [
  {
    repository: 'registry.k8s.io/pause',
    tags: /^3\.\d+(\.\d+)?$/,
    tagsDoc: '`3.N`',
    variant: distroless(736_000),
    entrypoint: ['/pause'],
    cmd: [],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    stopSignal: 'SIGTERM',
    programs: { pause: 'pause' },
    preloaded: ['3.10'],
    summary: 'the sandbox image: sleeps until stopped',
  },
  {
    repository: 'registry.k8s.io/coredns/coredns',
    tags: /^v1\.\d+\.\d+$/,
    tagsDoc: '`v1.N.M`',
    variant: distroless(76_129_280),
    entrypoint: ['/coredns'],
    cmd: [],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    stopSignal: 'SIGTERM',
    programs: { coredns: 'coredns' },
    preloaded: ['v1.12.0'],
    summary: 'DNS on 53/UDP and 53/TCP, `/health` on 8080, `/ready` on 8181, metrics on 9153',
  },
  {
    repository: 'registry.k8s.io/etcd',
    tags: /^3\.\d+\.\d+-\d+$/,
    tagsDoc: '`3.N.M-K`',
    variant: distroless(150_779_904),
    entrypoint: [],
    cmd: ['/usr/local/bin/etcd'],
    env: { PATH: '/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' },
    stopSignal: 'SIGTERM',
    programs: { etcd: 'etcd' },
    preloaded: ['3.5.21-0'],
    summary: 'clients on 2379, peers on 2380, `/health`, `/livez`, `/readyz` over HTTP on 2381',
  },
  kube('kube-apiserver', 98_402_304, 'HTTPS on 6443 (`/livez`, `/readyz`, `/healthz`)'),
  kube('kube-controller-manager', 91_553_792, 'HTTPS on 10257 (`/healthz`)'),
  kube('kube-scheduler', 73_449_472, 'HTTPS on 10259 (`/livez`, `/readyz`, `/healthz`)'),
  kube('kube-proxy', 99_123_200, 'metrics on 10249, `/healthz` and `/livez` on 10256'),
  {
    repository: 'docker.io/kindest/kindnetd',
    tags: /^v\d{8}-[0-9a-f]{8}$/,
    tagsDoc: "kind's `vYYYYMMDD-<commit>` tags",
    variant: distroless(40_239_104),
    entrypoint: [],
    cmd: ['/bin/kindnetd'],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    stopSignal: 'SIGTERM',
    programs: { kindnetd: 'kindnetd' },
    preloaded: ['v20250512-df8de77b'],
    summary: "kind's CNI daemon: no ports, stays Running",
  },
  {
    repository: 'docker.io/kindest/local-path-provisioner',
    tags: /^v\d{8}-[0-9a-f]{8}$/,
    tagsDoc: "kind's `vYYYYMMDD-<commit>` tags",
    variant: distroless(57_176_064),
    entrypoint: [],
    cmd: ['local-path-provisioner'],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    stopSignal: 'SIGTERM',
    programs: { 'local-path-provisioner': 'local-path-provisioner' },
    preloaded: ['v20250214-acbabc1a'],
    summary: 'the dynamic provisioner behind the `standard` StorageClass: no ports, stays Running',
  },
  {
    repository: 'docker.io/kindest/local-path-helper',
    tags: /^v\d{8}-[0-9a-f]{8}$/,
    tagsDoc: "kind's `vYYYYMMDD-<commit>` tags",
    variant: () => ({ sizeBytes: 3_287_040, shell: 'busybox' }),
    entrypoint: [],
    cmd: ['sh'],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    stopSignal: 'SIGTERM',
    programs: {},
    preloaded: ['v20241212-8ac705d0'],
    summary: "local-path-provisioner's helper pods: a busybox shell",
  },
];

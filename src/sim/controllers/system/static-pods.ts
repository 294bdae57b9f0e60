import { createHash } from 'node:crypto';
import type { SimConfig } from '../../config.js';
import type { KubeObject } from '../../store/types.js';
import { CLUSTER_DOMAIN, controlPlaneNode, KUBE_SYSTEM } from './addon.js';
import { controlPlaneImage, ETCD_IMAGE } from './images.js';

/**
 * The control plane's static pods (kubeadm's manifests in /etc/kubernetes/manifests) as the
 * API shows them: mirror pods named `<component>-<node>`, owned by the Node, marked with
 * `kubernetes.io/config.mirror`, on the host network at system-node-critical priority.
 */

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

interface Component {
  name: string;
  image: string;
  command: string[];
  cpu: string;
  memory?: string;
  probePort: number;
  probeHost: string;
  scheme: 'HTTP' | 'HTTPS';
  live: string;
  ready?: string;
  volumes: Array<[name: string, path: string, type: string, readOnly?: boolean]>;
  annotations?: Record<string, string>;
}

const flags = (f: Record<string, string>) => Object.entries(f).map(([k, v]) => `--${k}=${v}`);
const PKI = '/etc/kubernetes/pki';

function components(cfg: SimConfig): Component[] {
  const node = controlPlaneNode(cfg);
  const ip = node.internalIP;
  const v = cfg.kubernetesVersion;
  const kubeconfig = (f: string) => `/etc/kubernetes/${f}`;
  const k8sVolumes: Component['volumes'] = [
    ['ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate', true],
    ['etc-ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate', true],
    ['k8s-certs', PKI, 'DirectoryOrCreate', true],
    ['usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', 'DirectoryOrCreate', true],
    ['usr-share-ca-certificates', '/usr/share/ca-certificates', 'DirectoryOrCreate', true],
  ];
  return [
    {
      name: 'etcd',
      image: ETCD_IMAGE,
      command: [
        'etcd',
        ...flags({
          'advertise-client-urls': `https://${ip}:2379`,
          'cert-file': `${PKI}/etcd/server.crt`,
          'client-cert-auth': 'true',
          'data-dir': '/var/lib/etcd',
          'experimental-initial-corrupt-check': 'true',
          'experimental-watch-progress-notify-interval': '5s',
          'initial-advertise-peer-urls': `https://${ip}:2380`,
          'initial-cluster': `${node.name}=https://${ip}:2380`,
          'key-file': `${PKI}/etcd/server.key`,
          'listen-client-urls': `https://127.0.0.1:2379,https://${ip}:2379`,
          'listen-metrics-urls': 'http://127.0.0.1:2381',
          'listen-peer-urls': `https://${ip}:2380`,
          name: node.name,
          'peer-cert-file': `${PKI}/etcd/peer.crt`,
          'peer-client-cert-auth': 'true',
          'peer-key-file': `${PKI}/etcd/peer.key`,
          'peer-trusted-ca-file': `${PKI}/etcd/ca.crt`,
          'snapshot-count': '10000',
          'trusted-ca-file': `${PKI}/etcd/ca.crt`,
        }),
      ],
      cpu: '100m',
      memory: '100Mi',
      probePort: 2381,
      probeHost: '127.0.0.1',
      scheme: 'HTTP',
      live: '/livez',
      ready: '/readyz',
      volumes: [
        ['etcd-certs', `${PKI}/etcd`, 'DirectoryOrCreate'],
        ['etcd-data', '/var/lib/etcd', 'DirectoryOrCreate'],
      ],
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    },
    {
      name: 'kube-apiserver',
      image: controlPlaneImage('kube-apiserver', v),
      command: [
        'kube-apiserver',
        ...flags({
          'advertise-address': ip,
          'allow-privileged': 'true',
          'authorization-mode': 'Node,RBAC',
          'client-ca-file': `${PKI}/ca.crt`,
          'enable-admission-plugins': 'NodeRestriction',
          'enable-bootstrap-token-auth': 'true',
          'etcd-cafile': `${PKI}/etcd/ca.crt`,
          'etcd-certfile': `${PKI}/apiserver-etcd-client.crt`,
          'etcd-keyfile': `${PKI}/apiserver-etcd-client.key`,
          'etcd-servers': 'https://127.0.0.1:2379',
          'kubelet-client-certificate': `${PKI}/apiserver-kubelet-client.crt`,
          'kubelet-client-key': `${PKI}/apiserver-kubelet-client.key`,
          'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
          'runtime-config': '',
          'secure-port': '6443',
          'service-account-issuer': `https://kubernetes.default.svc.${CLUSTER_DOMAIN}`,
          'service-account-key-file': `${PKI}/sa.pub`,
          'service-account-signing-key-file': `${PKI}/sa.key`,
          'service-cluster-ip-range': cfg.serviceSubnet,
          'tls-cert-file': `${PKI}/apiserver.crt`,
          'tls-private-key-file': `${PKI}/apiserver.key`,
        }),
      ],
      cpu: '250m',
      probePort: 6443,
      probeHost: ip,
      scheme: 'HTTPS',
      live: '/livez',
      ready: '/readyz',
      volumes: k8sVolumes,
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
    },
    {
      name: 'kube-controller-manager',
      image: controlPlaneImage('kube-controller-manager', v),
      command: [
        'kube-controller-manager',
        ...flags({
          'allocate-node-cidrs': 'true',
          'authentication-kubeconfig': kubeconfig('controller-manager.conf'),
          'authorization-kubeconfig': kubeconfig('controller-manager.conf'),
          'bind-address': '127.0.0.1',
          'client-ca-file': `${PKI}/ca.crt`,
          'cluster-cidr': cfg.podSubnet,
          'cluster-name': cfg.name,
          'cluster-signing-cert-file': `${PKI}/ca.crt`,
          'cluster-signing-key-file': `${PKI}/ca.key`,
          controllers: '*,bootstrapsigner,tokencleaner',
          'enable-hostpath-provisioner': 'true',
          kubeconfig: kubeconfig('controller-manager.conf'),
          'leader-elect': 'true',
          'requestheader-client-ca-file': `${PKI}/front-proxy-ca.crt`,
          'root-ca-file': `${PKI}/ca.crt`,
          'service-account-private-key-file': `${PKI}/sa.key`,
          'service-cluster-ip-range': cfg.serviceSubnet,
          'use-service-account-credentials': 'true',
        }),
      ],
      cpu: '200m',
      probePort: 10257,
      probeHost: '127.0.0.1',
      scheme: 'HTTPS',
      live: '/healthz',
      volumes: [
        ...k8sVolumes,
        ['flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', 'DirectoryOrCreate'],
        ['kubeconfig', kubeconfig('controller-manager.conf'), 'FileOrCreate', true],
      ],
    },
    {
      name: 'kube-scheduler',
      image: controlPlaneImage('kube-scheduler', v),
      command: [
        'kube-scheduler',
        ...flags({
          'authentication-kubeconfig': kubeconfig('scheduler.conf'),
          'authorization-kubeconfig': kubeconfig('scheduler.conf'),
          'bind-address': '127.0.0.1',
          kubeconfig: kubeconfig('scheduler.conf'),
          'leader-elect': 'true',
        }),
      ],
      cpu: '100m',
      probePort: 10259,
      probeHost: '127.0.0.1',
      scheme: 'HTTPS',
      live: '/livez',
      ready: '/readyz',
      volumes: [['kubeconfig', kubeconfig('scheduler.conf'), 'FileOrCreate', true]],
    },
  ];
}

const probe = (c: Component, path: string, failureThreshold: number, initialDelaySeconds?: number) => ({
  failureThreshold,
  httpGet: { host: c.probeHost, path, port: c.probePort, scheme: c.scheme },
  ...(initialDelaySeconds !== undefined ? { initialDelaySeconds } : {}),
  periodSeconds: initialDelaySeconds === undefined ? 1 : 10,
  timeoutSeconds: 15,
});

function mirrorPod(c: Component, cfg: SimConfig, node: KubeObject, seen: Date): KubeObject {
  const podName = `${c.name}-${node.metadata.name}`;
  const hash = createHash('sha256').update(`${cfg.name}/${podName}/${c.image}`).digest('hex').slice(0, 32);
  const requests: Record<string, string> = { cpu: c.cpu };
  if (c.memory) requests.memory = c.memory;
  const container: Record<string, unknown> = {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    command: c.command,
    livenessProbe: probe(c, c.live, 8, 10),
    resources: { requests },
    startupProbe: probe(c, c.live, 24, 10),
    volumeMounts: c.volumes.map(([name, path, , readOnly]) => ({
      mountPath: path,
      name,
      ...(readOnly ? { readOnly } : {}),
    })),
  };
  if (c.ready) container.readinessProbe = probe(c, c.ready, 3);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName,
      namespace: KUBE_SYSTEM,
      labels: { component: c.name, tier: 'control-plane' },
      annotations: {
        ...(c.annotations ?? {}),
        'kubernetes.io/config.hash': hash,
        [MIRROR_ANNOTATION]: hash,
        'kubernetes.io/config.seen': seen.toISOString().replace('Z', '000000Z'),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: node.metadata.name!,
          uid: node.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      containers: [container],
      hostNetwork: true,
      nodeName: node.metadata.name,
      priority: 2_000_001_000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      volumes: c.volumes.map(([name, path, type]) => ({ hostPath: { path, type }, name })),
    },
  };
}

/** The four mirror pods of the control-plane node (`etcd-<node>`, `kube-apiserver-<node>`, …). */
export function staticPods(cfg: SimConfig, node: KubeObject, seen: Date): KubeObject[] {
  return components(cfg).map((c) => mirrorPod(c, cfg, node, seen));
}

import type { SimConfig } from '../../config.js';
import {
  type AddonObject,
  clusterRoleBinding,
  controlPlaneEndpoint,
  fieldEnv,
  KUBE_SYSTEM,
  serviceAccount,
} from './addon.js';
import { controlPlaneImage } from './images.js';

/**
 * kubeadm's kube-proxy addon: the DaemonSet on every node and the `kube-proxy` ConfigMap with
 * the KubeProxyConfiguration kind sets (iptables mode, the pod subnet as clusterCIDR,
 * conntrack left to the host). The configuration is kubeadm's marshalling of that config
 * with everything else at its zero value, as `kubectl -n kube-system get cm kube-proxy`
 * shows on kind (rendered by hand here).
 */

const MANAGER = 'kubeadm';
const LABELS = { 'k8s-app': 'kube-proxy' };

function proxyConfig(cfg: SimConfig): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: ${cfg.podSubnet}
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: iptables
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""`;
}

function kubeconfig(cfg: SimConfig): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://${controlPlaneEndpoint(cfg)}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token`;
}

function daemonSet(cfg: SimConfig): AddonObject['object'] {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: KUBE_SYSTEM, labels: { ...LABELS } },
    spec: {
      selector: { matchLabels: { ...LABELS } },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          priorityClassName: 'system-node-critical',
          containers: [
            {
              name: 'kube-proxy',
              image: controlPlaneImage('kube-proxy', cfg.kubernetesVersion),
              imagePullPolicy: 'IfNotPresent',
              command: [
                '/usr/local/bin/kube-proxy',
                '--config=/var/lib/kube-proxy/config.conf',
                '--hostname-override=$(NODE_NAME)',
              ],
              securityContext: { privileged: true },
              volumeMounts: [
                { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
                { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
                { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
              ],
              env: [fieldEnv('NODE_NAME', 'spec.nodeName')],
            },
          ],
          hostNetwork: true,
          serviceAccountName: 'kube-proxy',
          volumes: [
            { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
          ],
          tolerations: [{ operator: 'Exists' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
    },
  };
}

export function kubeProxyAddon(cfg: SimConfig): AddonObject[] {
  return [
    serviceAccount('kube-proxy', KUBE_SYSTEM, MANAGER),
    clusterRoleBinding(
      'kubeadm:node-proxier',
      'system:node-proxier',
      { name: 'kube-proxy', namespace: KUBE_SYSTEM },
      MANAGER,
    ),
    {
      group: '',
      plural: 'configmaps',
      manager: MANAGER,
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-proxy', namespace: KUBE_SYSTEM, labels: { app: 'kube-proxy' } },
        data: { 'config.conf': proxyConfig(cfg), 'kubeconfig.conf': kubeconfig(cfg) },
      },
    },
    { group: 'apps', plural: 'daemonsets', manager: MANAGER, object: daemonSet(cfg) },
  ];
}

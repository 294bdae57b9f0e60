import type { SimConfig } from '../../config.js';
import {
  type AddonObject,
  CLUSTER_DOMAIN,
  clusterRole,
  clusterRoleBinding,
  dnsServiceIP,
  KUBE_SYSTEM,
  rule,
  serviceAccount,
} from './addon.js';
import { COREDNS_IMAGE } from './images.js';

/** kubeadm's CoreDNS addon as kind installs it: two replicas behind `kube-dns` at 10.96.0.10. */

const MANAGER = 'kubeadm';
const LABELS = { 'k8s-app': 'kube-dns' };

/** The Corefile kubeadm 1.33 renders for the `cluster.local` domain. */
export const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${CLUSTER_DOMAIN}
       disable denial ${CLUSTER_DOMAIN}
    }
    loop
    reload
    loadbalance
}
`;

const port = (name: string, containerPort: number, protocol: string) => ({ containerPort, name, protocol });

function deployment(): AddonObject['object'] {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: KUBE_SYSTEM, labels: { ...LABELS } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: { ...LABELS } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: {
                      matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }],
                    },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              ports: [
                port('dns', 53, 'UDP'),
                port('dns-tcp', 53, 'TCP'),
                port('metrics', 9153, 'TCP'),
                port('liveness-probe', 8080, 'TCP'),
                port('readiness-probe', 8181, 'TCP'),
              ],
              livenessProbe: {
                httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              },
              readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
            },
          ],
          dnsPolicy: 'Default',
          volumes: [
            {
              name: 'config-volume',
              configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] },
            },
          ],
        },
      },
    },
  };
}

export function corednsAddon(cfg: SimConfig): AddonObject[] {
  return [
    serviceAccount('coredns', KUBE_SYSTEM, MANAGER),
    clusterRole(
      'system:coredns',
      [
        rule([''], ['endpoints', 'services', 'pods', 'namespaces'], ['list', 'watch']),
        rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
      ],
      MANAGER,
    ),
    clusterRoleBinding(
      'system:coredns',
      'system:coredns',
      { name: 'coredns', namespace: KUBE_SYSTEM },
      MANAGER,
    ),
    {
      group: '',
      plural: 'configmaps',
      manager: MANAGER,
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'coredns', namespace: KUBE_SYSTEM },
        data: { Corefile: COREFILE },
      },
    },
    { group: 'apps', plural: 'deployments', manager: MANAGER, object: deployment() },
    {
      group: '',
      plural: 'services',
      manager: MANAGER,
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kube-dns',
          namespace: KUBE_SYSTEM,
          labels: { ...LABELS, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
          annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
        },
        spec: {
          clusterIP: dnsServiceIP(cfg),
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
            { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
          ],
          selector: { ...LABELS },
        },
      },
    },
  ];
}

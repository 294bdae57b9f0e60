import type { SimConfig } from '../../config.js';
import {
  type AddonObject,
  clusterRole,
  clusterRoleBinding,
  controlPlaneEndpoint,
  fieldEnv,
  KUBE_SYSTEM,
  rule,
  serviceAccount,
} from './addon.js';
import { KINDNETD_IMAGE } from './images.js';

/**
 * kind's default CNI, kindnetd, as kind's node image installs it (`const_cni.go`): a
 * host-network DaemonSet that tolerates every taint, so one pod runs on each node.
 */

const MANAGER = 'kubectl-create';
const LABELS = { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' };

function daemonSet(cfg: SimConfig): AddonObject['object'] {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kindnet', namespace: KUBE_SYSTEM, labels: { ...LABELS } },
    spec: {
      selector: { matchLabels: { app: 'kindnet' } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          hostNetwork: true,
          tolerations: [{ operator: 'Exists' }],
          serviceAccountName: 'kindnet',
          containers: [
            {
              name: 'kindnet-cni',
              image: KINDNETD_IMAGE,
              env: [
                fieldEnv('HOST_IP', 'status.hostIP'),
                fieldEnv('POD_IP', 'status.podIP'),
                { name: 'POD_SUBNET', value: cfg.podSubnet },
                { name: 'CONTROL_PLANE_ENDPOINT', value: controlPlaneEndpoint(cfg) },
              ],
              volumeMounts: [
                { name: 'cni-cfg', mountPath: '/etc/cni/net.d' },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
                { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
              ],
              resources: {
                requests: { cpu: '100m', memory: '50Mi' },
                limits: { cpu: '100m', memory: '50Mi' },
              },
              securityContext: { privileged: false, capabilities: { add: ['NET_RAW', 'NET_ADMIN'] } },
            },
          ],
          volumes: [
            { name: 'cni-cfg', hostPath: { path: '/etc/cni/net.d' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
          ],
        },
      },
    },
  };
}

export function kindnetAddon(cfg: SimConfig): AddonObject[] {
  return [
    clusterRole(
      'kindnet',
      [
        rule([''], ['nodes'], ['list', 'watch', 'patch']),
        rule([''], ['configmaps'], ['get']),
        rule([''], ['pods', 'namespaces'], ['list', 'watch']),
        rule(['networking.k8s.io'], ['networkpolicies'], ['list', 'watch']),
      ],
      MANAGER,
    ),
    clusterRoleBinding('kindnet', 'kindnet', { name: 'kindnet', namespace: KUBE_SYSTEM }, MANAGER),
    serviceAccount('kindnet', KUBE_SYSTEM, MANAGER),
    { group: 'apps', plural: 'daemonsets', manager: MANAGER, object: daemonSet(cfg) },
  ];
}

import {
  type AddonObject,
  clusterRole,
  clusterRoleBinding,
  fieldEnv,
  rule,
  serviceAccount,
} from './addon.js';
import { LOCAL_PATH_HELPER_IMAGE, LOCAL_PATH_PROVISIONER_IMAGE } from './images.js';

/**
 * kind's storage addon (`const_storage.go`): Rancher's local-path provisioner in its own
 * namespace, behind the `standard` StorageClass that bootstrap creates.
 */

const MANAGER = 'kubectl-create';
const NS = 'local-path-storage';
const SA = 'local-path-provisioner-service-account';

const CONFIG_JSON = `{
        "nodePathMap":[
        {
                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",
                "paths":["/var/local-path-provisioner"]
        }
        ]
}`;

const HELPER_POD = `apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  containers:
  - name: helper-pod
    image: ${LOCAL_PATH_HELPER_IMAGE}
    imagePullPolicy: IfNotPresent`;

function deployment(): AddonObject['object'] {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'local-path-provisioner', namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'local-path-provisioner' } },
      template: {
        metadata: { labels: { app: 'local-path-provisioner' } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Equal', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', operator: 'Equal', effect: 'NoSchedule' },
          ],
          serviceAccountName: SA,
          containers: [
            {
              name: 'local-path-provisioner',
              image: LOCAL_PATH_PROVISIONER_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              command: [
                'local-path-provisioner',
                '--debug',
                'start',
                '--helper-image',
                LOCAL_PATH_HELPER_IMAGE,
                '--config',
                '/etc/config/config.json',
              ],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config/' }],
              env: [fieldEnv('POD_NAMESPACE', 'metadata.namespace')],
            },
          ],
          volumes: [{ name: 'config-volume', configMap: { name: 'local-path-config' } }],
        },
      },
    },
  };
}

export function localPathAddon(): AddonObject[] {
  return [
    {
      group: '',
      plural: 'namespaces',
      manager: MANAGER,
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    },
    serviceAccount(SA, NS, MANAGER),
    clusterRole(
      'local-path-provisioner-role',
      [
        rule([''], ['nodes', 'persistentvolumeclaims', 'configmaps'], ['get', 'list', 'watch']),
        rule([''], ['endpoints', 'persistentvolumes', 'pods'], ['*']),
        rule([''], ['events'], ['create', 'patch']),
        rule(['storage.k8s.io'], ['storageclasses'], ['get', 'list', 'watch']),
      ],
      MANAGER,
    ),
    clusterRoleBinding(
      'local-path-provisioner-bind',
      'local-path-provisioner-role',
      { name: SA, namespace: NS },
      MANAGER,
    ),
    { group: 'apps', plural: 'deployments', manager: MANAGER, object: deployment() },
    {
      group: '',
      plural: 'configmaps',
      manager: MANAGER,
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'local-path-config', namespace: NS },
        data: {
          'config.json': CONFIG_JSON,
          setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"',
          teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"',
          'helperPod.yaml': HELPER_POD,
        },
      },
    },
  ];
}

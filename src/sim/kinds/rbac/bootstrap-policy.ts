import type { KubeObject } from '../../store/types.js';
import type { PolicyRule } from './authorizer.js';
import { RBAC_GROUP } from './validation.js';

/**
 * The part of kube-apiserver's bootstrap RBAC policy a learner meets (upstream
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy): the user-facing roles cluster-admin,
 * admin, edit and view with the rules aggregation gives them on a real cluster, the roles
 * they aggregate from, what every authenticated user may do, and kubeadm's binding of
 * the admin kubeconfig's group. The ~60 controller and node roles are left out.
 */

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
});
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const AGGREGATE_TO_VIEW: PolicyRule[] = [
  rule(
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
    ],
    READ,
  ),
  rule(
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
    READ,
  ),
  rule([''], ['namespaces'], READ),
  rule(['discovery.k8s.io'], ['endpointslices'], READ),
  rule(
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
    READ,
  ),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  rule(
    ['extensions'],
    [
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'ingresses',
      'ingresses/status',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'replicationcontrollers/scale',
    ],
    READ,
  ),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
];

const POD_ACCESS = ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'];

const AGGREGATE_TO_EDIT: PolicyRule[] = [
  rule([''], [...POD_ACCESS, 'secrets', 'services/proxy'], READ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', ...POD_ACCESS], WRITE),
  rule([''], ['pods/eviction'], ['create']),
  rule(
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    WRITE,
  ),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    WRITE,
  ),
  rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  rule(['batch'], ['cronjobs', 'jobs'], WRITE),
  rule(
    ['extensions'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'ingresses',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
    ],
    WRITE,
  ),
  rule(['policy'], ['poddisruptionbudgets'], WRITE),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
  rule(['coordination.k8s.io'], ['leases'], ALL),
];

const AGGREGATE_TO_ADMIN: PolicyRule[] = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule([RBAC_GROUP], ['rolebindings', 'roles'], ALL),
];

/** What the aggregation controller makes of the roles a selector picks (in name order, no repeats). */
function aggregate(...sources: PolicyRule[][]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const r of sources.flat()) {
    const key = JSON.stringify(r);
    if (!seen.has(key)) out.push(structuredClone(r));
    seen.add(key);
  }
  return out;
}

const VIEW = aggregate(AGGREGATE_TO_VIEW);
// Matching roles are visited by name: "system:aggregate-to-edit" sorts before "view".
const EDIT = aggregate(AGGREGATE_TO_EDIT, VIEW);
const ADMIN = aggregate(EDIT, AGGREGATE_TO_ADMIN);

const BOOTSTRAP_META = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

function clusterRole(
  name: string,
  rules: PolicyRule[],
  opts: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  const obj: KubeObject = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { ...BOOTSTRAP_META.labels, ...opts.labels },
      annotations: { ...BOOTSTRAP_META.annotations },
    },
    rules,
  };
  if (opts.aggregateFrom) {
    obj.aggregationRule = {
      clusterRoleSelectors: [
        { matchLabels: { [`rbac.authorization.k8s.io/${opts.aggregateFrom}`]: 'true' } },
      ],
    };
  }
  return obj;
}

export const BOOTSTRAP_CLUSTER_ROLES: KubeObject[] = [
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
  clusterRole('admin', ADMIN, { aggregateFrom: 'aggregate-to-admin' }),
  clusterRole('edit', EDIT, {
    aggregateFrom: 'aggregate-to-edit',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
  }),
  clusterRole('view', VIEW, {
    aggregateFrom: 'aggregate-to-view',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
  }),
  clusterRole('system:aggregate-to-admin', AGGREGATE_TO_ADMIN, {
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
  }),
  clusterRole('system:aggregate-to-edit', AGGREGATE_TO_EDIT, {
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
  }),
  clusterRole('system:aggregate-to-view', AGGREGATE_TO_VIEW, {
    labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
  }),
  clusterRole('system:basic-user', [
    rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
  ]),
  clusterRole('system:discovery', [
    urls(
      [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
      ['get'],
    ),
  ]),
  clusterRole('system:public-info-viewer', [
    urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get']),
  ]),
];

const group = (name: string) => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });

function clusterRoleBinding(name: string, roleName: string, groups: string[], bootstrap = true): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: bootstrap
      ? { name, labels: { ...BOOTSTRAP_META.labels }, annotations: { ...BOOTSTRAP_META.annotations } }
      : { name },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName },
    subjects: groups.map(group),
  };
}

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', ['system:masters']),
  // kubeadm (not the API server) makes this one, for the group in admin.conf's certificate.
  clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', ['kubeadm:cluster-admins'], false),
  clusterRoleBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
  clusterRoleBinding('system:discovery', 'system:discovery', ['system:authenticated']),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    'system:authenticated',
    'system:unauthenticated',
  ]),
];

import type { InternalClient } from '../api/client.js';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from '../kinds/rbac/bootstrap-policy.js';
import { SYSTEM_PRIORITY_CLASSES } from '../kinds/scheduling/priorityclass.js';
import type { KubeObject } from '../store/types.js';

/**
 * What kube-apiserver's post-start hooks (and kubeadm) put in a new cluster besides
 * namespaces and nodes: the bootstrap ClusterRoles and ClusterRoleBindings (see
 * kinds/rbac/bootstrap-policy.ts) and the two system PriorityClasses. Only missing objects are
 * created, so a restart keeps what the learner changed (upstream would reconcile roles marked
 * `autoupdate` back; the sim leaves them as they are).
 */

function served(client: InternalClient, group: string, plural: string) {
  try {
    return client.resource(group, plural);
  } catch {
    return undefined; // Not served by this build.
  }
}

async function ensure(client: InternalClient, group: string, plural: string, objects: KubeObject[]) {
  const resource = served(client, group, plural);
  if (!resource) return;
  for (const obj of objects) {
    if (!resource.get(undefined, obj.metadata.name!)) await resource.create(structuredClone(obj));
  }
}

export async function ensureBootstrapAccess(client: InternalClient): Promise<void> {
  await ensure(client, 'rbac.authorization.k8s.io', 'clusterroles', BOOTSTRAP_CLUSTER_ROLES);
  await ensure(client, 'rbac.authorization.k8s.io', 'clusterrolebindings', BOOTSTRAP_CLUSTER_ROLE_BINDINGS);
  await ensure(
    client,
    'scheduling.k8s.io',
    'priorityclasses',
    SYSTEM_PRIORITY_CLASSES.map((pc) => ({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: pc.name },
      value: pc.value,
      description: pc.description,
    })),
  );
}

import type { KubeClient } from '../../kube/client.js';

/** One permission a lab needs: `kubectl auth can-i <verb> <resource> [-n <namespace>]`. */
export interface Permission {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Checked in the lab's namespace; cluster-wide otherwise. */
  namespaced: boolean;
  /** What breaks without it. */
  needed: 'lab' | 'scenarios' | 'podExec' | 'nodeExec';
}

/** What a learner's account must be allowed, for a lab and for the scenarios in it. */
export const PERMISSIONS: Permission[] = [
  { verb: 'create', group: '', resource: 'namespaces', namespaced: false, needed: 'lab' },
  { verb: 'delete', group: '', resource: 'namespaces', namespaced: false, needed: 'lab' },
  { verb: 'create', group: '', resource: 'pods', namespaced: true, needed: 'scenarios' },
  { verb: 'create', group: 'apps', resource: 'deployments', namespaced: true, needed: 'scenarios' },
  { verb: 'create', group: '', resource: 'services', namespaced: true, needed: 'scenarios' },
  { verb: 'create', group: '', resource: 'configmaps', namespaced: true, needed: 'scenarios' },
  { verb: 'create', group: '', resource: 'events', namespaced: true, needed: 'scenarios' },
  { verb: 'list', group: '', resource: 'nodes', namespaced: false, needed: 'nodeExec' },
  { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespaced: true, needed: 'podExec' },
];

export const describePermission = (p: Permission, namespace: string) =>
  `${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}${p.subresource ? `/${p.subresource}` : ''}` +
  (p.namespaced ? ` in namespace ${namespace}` : ' (cluster-wide)');

/** `kubectl auth can-i` for one permission, through a SelfSubjectAccessReview. */
export async function canI(client: KubeClient, p: Permission, namespace: string): Promise<boolean> {
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb: p.verb,
        group: p.group,
        resource: p.resource,
        ...(p.subresource ? { subresource: p.subresource } : {}),
        ...(p.namespaced ? { namespace } : {}),
      },
    },
  };
  const r = await client.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: JSON.stringify(body),
  });
  if (r.status >= 400) return false;
  return (JSON.parse(r.body) as { status?: { allowed?: boolean } }).status?.allowed === true;
}

/** The permissions this account lacks. */
export async function missingPermissions(client: KubeClient, namespace: string): Promise<Permission[]> {
  const answers = await Promise.all(
    PERMISSIONS.map(async (p) => ((await canI(client, p, namespace)) ? undefined : p)),
  );
  return answers.filter((p): p is Permission => p !== undefined);
}

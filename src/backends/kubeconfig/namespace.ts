import { UserError } from '../../errors.js';
import { type KubeClient, statusMessage } from '../../kube/client.js';
import { LAB_LABEL, LEARNER_LABEL, learnerSlug, MANAGED_BY } from './names.js';

interface NamespaceObject {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { phase?: string };
}

export async function getNamespace(client: KubeClient, name: string): Promise<NamespaceObject | undefined> {
  const r = await client.request('GET', `/api/v1/namespaces/${name}`);
  if (r.status === 404) return undefined;
  if (r.status >= 300)
    throw new Error(statusMessage(r.body) ?? `reading namespace ${name} answered ${r.status}`);
  return JSON.parse(r.body) as NamespaceObject;
}

/** Make the lab's namespace, or adopt the one this learner's lab made before; never another's. */
export async function ensureLabNamespace(
  client: KubeClient,
  name: string,
  lab: string,
  learner: string,
): Promise<'created' | 'existed'> {
  const labels = { ...MANAGED_BY, [LAB_LABEL]: lab, [LEARNER_LABEL]: learnerSlug(learner) };
  const existing = await getNamespace(client, name);
  if (existing) {
    const mine = Object.entries(labels).every(([k, v]) => existing.metadata.labels?.[k] === v);
    if (!mine)
      throw new UserError(
        `namespace "${name}" already exists on the cluster and clusterlab did not make it for this lab`,
        {
          fix: `CLUSTERLAB_LEARNER=<a name of your own> clusterlab up --name ${lab} --backend kubeconfig`,
        },
      );
    if (existing.status?.phase === 'Terminating')
      throw new UserError(
        `namespace "${name}" is still being deleted (a previous down); try again in a moment`,
        {
          fix: `kubectl wait --for=delete namespace/${name} --timeout=120s`,
        },
      );
    return 'existed';
  }
  const r = await client.request('POST', '/api/v1/namespaces', {
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }),
  });
  if (r.status >= 300)
    throw new UserError(
      `could not create namespace "${name}": ${statusMessage(r.body) ?? `the API answered ${r.status}`}`,
      {
        fix: `kubectl auth can-i create namespaces`,
      },
    );
  return 'created';
}

/** Delete the lab's namespace (everything in it goes with it); only one clusterlab labelled. */
export async function deleteLabNamespace(client: KubeClient, name: string, lab: string): Promise<boolean> {
  const existing = await getNamespace(client, name);
  if (!existing) return false;
  if (existing.metadata.labels?.[LAB_LABEL] !== lab)
    throw new UserError(`namespace "${name}" is not labelled as lab "${lab}"'s; clusterlab leaves it alone`, {
      fix: `kubectl get namespace ${name} --show-labels`,
    });
  const r = await client.request('DELETE', `/api/v1/namespaces/${name}`, {
    body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }),
  });
  if (r.status >= 300 && r.status !== 404)
    throw new UserError(`could not delete namespace "${name}": ${statusMessage(r.body) ?? r.status}`, {
      fix: `kubectl delete namespace ${name}`,
    });
  return true;
}

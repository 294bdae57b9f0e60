import { createHash } from 'node:crypto';
import { UserError } from '../../errors.js';
import type { KubeClient } from '../../kube/client.js';
import { statusMessage } from '../../kube/client.js';
import { LAB_LABEL } from './names.js';
import { getNamespace } from './namespace.js';
import { type KubeconfigLabRecord, writeKubeconfigLab } from './record.js';

/**
 * A scenario's namespaces on a shared cluster: `shop` of lab namespace `clusterlab-ada-ws` is
 * `clusterlab-ada-ws--shop`, so every learner's lab has its own. The `--` keeps them apart from
 * another lab's namespace (`clusterlab-ada-ws-shop` is lab "ws-shop"'s); a name longer than a
 * DNS label allows is cut and given a hash of the whole.
 */
export function scenarioNamespaceName(labNamespace: string, declared: string): string {
  const full = `${labNamespace}--${declared}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/**
 * The mapping for `declared`, remembered in lab.json: the learner makes these namespaces
 * (`kubectl create namespace "$NS_SHOP"`), so they carry no label of clusterlab's and `down`
 * finds them by this record.
 */
export function resolveScenarioNamespaces(
  dir: string,
  rec: KubeconfigLabRecord,
  declared: readonly string[],
): Record<string, string> {
  const map = Object.fromEntries(declared.map((n) => [n, scenarioNamespaceName(rec.namespace, n)]));
  const known = new Set(rec.scenarioNamespaces ?? []);
  const added = Object.values(map).filter((n) => !known.has(n));
  if (added.length > 0) writeKubeconfigLab(dir, { ...rec, scenarioNamespaces: [...known, ...added].sort() });
  return map;
}

/**
 * Delete the namespaces the lab's scenarios used; the names that no longer exist are done. One
 * labelled as another lab's is left alone (a lab whose name happens to match).
 */
export async function deleteScenarioNamespaces(client: KubeClient, names: readonly string[], lab: string) {
  for (const name of names) {
    const ns = await getNamespace(client, name);
    if (!ns) continue;
    const owner = ns.metadata.labels?.[LAB_LABEL];
    if (owner !== undefined && owner !== lab) continue;
    const r = await client.request('DELETE', `/api/v1/namespaces/${name}`, {
      body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }),
    });
    if (r.status >= 300 && r.status !== 404)
      throw new UserError(
        `could not delete namespace "${name}" (a scenario's, of lab "${lab}"): ${statusMessage(r.body) ?? r.status}`,
        { fix: `kubectl delete namespace ${name}` },
      );
  }
}

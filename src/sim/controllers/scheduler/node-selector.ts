import type { KubeObject } from '../../store/types.js';

/**
 * `v1.NodeSelector` matching as `component-helpers/scheduling/corev1/nodeaffinity` does it:
 * terms are ORed, a term's expressions and fields are ANDed, an empty term matches nothing.
 * Used for required node affinity and for PersistentVolumes' node affinity.
 */

function matchRequirement(req: any, value: string | undefined, present: boolean): boolean {
  const values: string[] = req?.values ?? [];
  switch (req?.operator) {
    case 'In':
      return present && values.includes(value!);
    case 'NotIn':
      return !present || !values.includes(value!);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      if (!present || values.length !== 1) return false;
      const have = Number.parseInt(value!, 10);
      const want = Number.parseInt(values[0]!, 10);
      if (!/^-?\d+$/.test(value!) || Number.isNaN(want)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

export function matchesTerm(term: any, node: KubeObject): boolean {
  const exprs: any[] = term?.matchExpressions ?? [];
  const fields: any[] = term?.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) {
    if (!matchRequirement(r, labels[r?.key], Object.hasOwn(labels, r?.key ?? ''))) return false;
  }
  for (const r of fields) {
    if (r?.key !== 'metadata.name') return false;
    if (!matchRequirement(r, node.metadata.name, true)) return false;
  }
  return true;
}

/** Whether a NodeSelector (`{nodeSelectorTerms: […]}`) selects the node. */
export function matchesNodeSelector(selector: any, node: KubeObject): boolean {
  const terms: any[] = selector?.nodeSelectorTerms ?? [];
  return terms.some((t) => matchesTerm(t, node));
}

/** `spec.nodeSelector` plus required node affinity, as the NodeAffinity filter checks them. */
export function podMatchesNode(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries<string>(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !matchesNodeSelector(required, node)) return false;
  return true;
}

/**
 * Node names the pod can only go to, when every required term pins `metadata.name` with `In`
 * (how DaemonSet pods name their node); undefined when any node may do.
 */
export function pinnedNodeNames(pod: KubeObject): Set<string> | undefined {
  const terms: any[] =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const t of terms) {
    const pin = (t?.matchFields ?? []).find((f: any) => f?.key === 'metadata.name' && f?.operator === 'In');
    if (!pin) return undefined;
    for (const v of pin.values ?? []) names.add(v);
  }
  return names;
}

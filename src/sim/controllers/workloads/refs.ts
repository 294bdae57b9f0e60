import type { ResourceClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import {
  labelSelectorFromObject,
  matchesLabels,
  type Requirement,
  SelectorError,
} from '../../store/selectors.js';
import type { KubeObject, OwnerReference } from '../../store/types.js';
import type { IndexFunc } from '../object-index.js';

/**
 * Controller references and claiming, as upstream's `ControllerRefManager` does them: a
 * controller owns what carries its controller reference, adopts orphans its selector matches
 * and releases what it owns but no longer selects.
 */

export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** Index functions the workload controllers file their dependents under. */
export const controllerUid: IndexFunc = (o) => {
  const ref = controllerOf(o);
  return ref ? [ref.uid] : [];
};
/** Objects without a controller, by namespace: the candidates for adoption. */
export const orphanNamespace: IndexFunc = (o) => (controllerOf(o) ? [] : [o.metadata.namespace ?? '']);

export const objectKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

export interface ClaimOptions {
  owner: KubeObject;
  ref: OwnerReference;
  /** Whether the owner selects these labels (a LabelSelector object, or a map for RCs). */
  selects(labels: Record<string, string> | undefined): boolean;
  /** What the owner's controller reference is on now. */
  owned: KubeObject[];
  /** Objects without a controller in the owner's namespace. */
  orphans: KubeObject[];
  client: ResourceClient;
}

const isNotFound = (e: unknown) => e instanceof ApiError && e.code === 404;

/** The objects the owner controls after adopting and releasing; writes go through `client`. */
export async function claim(o: ClaimOptions): Promise<KubeObject[]> {
  const claimed: KubeObject[] = [];
  const deleting = !!o.owner.metadata.deletionTimestamp;
  for (const obj of o.owned) {
    if (o.selects(obj.metadata.labels)) {
      claimed.push(obj);
      continue;
    }
    if (deleting || obj.metadata.deletionTimestamp) continue;
    await release(o.client, obj, o.owner.metadata.uid!);
  }
  if (deleting) return claimed;
  for (const obj of o.orphans) {
    if (obj.metadata.deletionTimestamp || !o.selects(obj.metadata.labels)) continue;
    if (o.owner.metadata.namespace && obj.metadata.namespace !== o.owner.metadata.namespace) continue;
    const adopted = await adopt(o.client, obj, o.ref);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function adopt(
  client: ResourceClient,
  obj: KubeObject,
  ref: OwnerReference,
): Promise<KubeObject | undefined> {
  const latest = client.get(obj.metadata.namespace, obj.metadata.name!);
  if (!latest || controllerOf(latest)) return undefined;
  const refs = (latest.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  try {
    return await client.update({
      ...latest,
      metadata: { ...latest.metadata, ownerReferences: [...refs, ref] },
    });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function release(client: ResourceClient, obj: KubeObject, uid: string): Promise<void> {
  const latest = client.get(obj.metadata.namespace, obj.metadata.name!);
  if (!latest) return;
  const refs = (latest.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
  const metadata: KubeObject['metadata'] = { ...latest.metadata, ownerReferences: refs };
  if (refs.length === 0) delete metadata.ownerReferences;
  try {
    await client.update({ ...latest, metadata });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * A LabelSelector's `selects` for claim(), parsed once; a selector that selects everything
 * (or cannot be parsed) claims nothing.
 */
export function labelSelects(selector: any): (labels: Record<string, string> | undefined) => boolean {
  const empty =
    !selector ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
  if (empty) return () => false;
  let reqs: Requirement[] | null;
  try {
    reqs = labelSelectorFromObject(selector);
  } catch (e) {
    if (e instanceof SelectorError) return () => false;
    throw e;
  }
  return (labels) => reqs !== null && matchesLabels(reqs, labels);
}

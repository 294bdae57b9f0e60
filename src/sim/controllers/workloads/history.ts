import type { ResourceClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../store/types.js';
import { goJson } from './hash.js';
import { controllerRef } from './refs.js';

/**
 * ControllerRevisions, the template history StatefulSets and DaemonSets keep (and what
 * `kubectl rollout history|undo` reads for them). A revision's data is the patch that puts
 * the owner's pod template back: `{"spec":{"template":{…,"$patch":"replace"}}}`.
 */

/** `getPatch`: the strategic merge patch that restores the owner's current template. */
export function templatePatch(owner: KubeObject): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(owner.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision restores (`ApplyRevision`). */
export function revisionTemplate(revision: KubeObject): any {
  const t = structuredClone(revision.data?.spec?.template ?? {});
  delete t.$patch;
  return t;
}

/** Revisions are the same when their data serializes to the same bytes. */
export const sameData = (a: KubeObject, b: KubeObject) => goJson(a.data) === goJson(b.data);

export const matchesOwner = (owner: KubeObject, revision: KubeObject) =>
  goJson(templatePatch(owner)) === goJson(revision.data);

export const byRevision = (a: KubeObject, b: KubeObject) => (a.revision ?? 0) - (b.revision ?? 0);

export const maxRevision = (rs: KubeObject[]) => rs.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);

export interface NewRevision {
  owner: KubeObject;
  apiVersion: string;
  kind: string;
  revision: number;
  /** Name and hash label for a collision count (the owner's naming scheme). */
  naming(collisionCount: number | undefined): { name: string; labels: Record<string, string> };
}

export function buildRevision(o: NewRevision, collisionCount: number | undefined): KubeObject {
  const { name, labels } = o.naming(collisionCount);
  const annotations = { ...(o.owner.metadata.annotations ?? {}) };
  const metadata: KubeObject['metadata'] = {
    name,
    namespace: o.owner.metadata.namespace,
    labels: { ...(o.owner.spec?.template?.metadata?.labels ?? {}), ...labels },
    ownerReferences: [controllerRef(o.owner, o.apiVersion, o.kind)],
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata,
    data: templatePatch(o.owner),
    revision: o.revision,
  };
}

export interface Created {
  revision: KubeObject;
  collisionCount: number | undefined;
}

/**
 * `CreateControllerRevision`: on a name clash with different data, count a collision and try
 * the next name; the same data under the name means it was made before.
 */
export async function createRevision(
  client: ResourceClient,
  o: NewRevision,
  collisionCount: number | undefined,
): Promise<Created> {
  let count = collisionCount;
  for (let attempt = 0; attempt < 100; attempt++) {
    const cr = buildRevision(o, count);
    try {
      return { revision: await client.create(cr), collisionCount: count };
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 409) throw e;
      const existing = client.get(cr.metadata.namespace, cr.metadata.name!);
      if (existing && sameData(existing, cr)) return { revision: existing, collisionCount: count };
      count = (count ?? 0) + 1;
    }
  }
  throw new Error(`no free ControllerRevision name for ${o.owner.metadata.name}`);
}

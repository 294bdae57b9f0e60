import type { ResourceClient } from '../../../api/client.js';
import type { KubeObject } from '../../../store/types.js';
import { podTemplateHash } from '../hash.js';
import { createRevision, matchesOwner, maxRevision } from '../history.js';
import { HASH_LABEL } from './placement.js';

/**
 * `constructHistory`: the DaemonSet's ControllerRevisions split into the one matching its
 * template (made if missing, renumbered to be the newest) and the old ones. Revisions are
 * named `<ds>-<hash>` and labelled `controller-revision-hash: <hash>`, the label its pods get.
 */
export async function constructHistory(
  client: ResourceClient,
  ds: KubeObject,
  revisions: KubeObject[],
): Promise<{ current: KubeObject; old: KubeObject[]; collisionCount: number | undefined }> {
  const matching: KubeObject[] = [];
  const old: KubeObject[] = [];
  for (let r of revisions) {
    if (!r.metadata.labels?.[HASH_LABEL]) {
      r = await client.update({
        ...r,
        metadata: { ...r.metadata, labels: { ...(r.metadata.labels ?? {}), [HASH_LABEL]: r.metadata.name! } },
      });
    }
    (matchesOwner(ds, r) ? matching : old).push(r);
  }
  const next = maxRevision(old) + 1;
  let collisionCount: number | undefined = ds.status?.collisionCount;
  let current: KubeObject;
  if (matching.length === 0) {
    ({ revision: current, collisionCount } = await createRevision(
      client,
      {
        owner: ds,
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        revision: next,
        naming: (count) => {
          const hash = podTemplateHash(ds.spec?.template, count);
          return { name: `${ds.metadata.name}-${hash}`, labels: { [HASH_LABEL]: hash } };
        },
      },
      collisionCount,
    ));
  } else {
    // Duplicates (from a lost update) collapse into the newest.
    matching.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
    current = matching[0]!;
    for (const dup of matching.slice(1)) await client.delete(dup.metadata.namespace, dup.metadata.name!);
    if ((current.revision ?? 0) < next) current = await client.update({ ...current, revision: next });
  }
  return { current, old, collisionCount };
}

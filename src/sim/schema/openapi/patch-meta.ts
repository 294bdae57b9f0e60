/**
 * Strategic-merge metadata of a field (the Go struct tags upstream publishes as
 * x-kubernetes-patch-merge-key / -patch-strategy / -list-type / -list-map-keys). kubectl's
 * client-side apply computes its patch from these, so lists like `containers` merge by name
 * instead of being replaced.
 *
 * The sim's strategic-merge engine owns the table (src/sim/patch); the OpenAPI documents take
 * it through this lookup so both always agree. Without one, documents carry no patch
 * metadata and kubectl sends whole lists.
 */
export interface PatchMeta {
  mergeKey?: string;
  /** `merge`, `replace`, `retainKeys` or `merge,retainKeys`. */
  strategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
}

/** The metadata of `field` in client-node model `model` (`V1PodSpec`, `containers`). */
export type PatchMetaLookup = (model: string, field: string) => PatchMeta | undefined;

export const noPatchMeta: PatchMetaLookup = () => undefined;

/** The OpenAPI extensions for a field's patch metadata. */
export function patchExtensions(meta: PatchMeta | undefined): Record<string, unknown> {
  if (!meta) return {};
  const ext: Record<string, unknown> = {};
  if (meta.listMapKeys?.length) ext['x-kubernetes-list-map-keys'] = meta.listMapKeys;
  if (meta.listType) ext['x-kubernetes-list-type'] = meta.listType;
  if (meta.mergeKey) ext['x-kubernetes-patch-merge-key'] = meta.mergeKey;
  if (meta.strategy) ext['x-kubernetes-patch-strategy'] = meta.strategy;
  return ext;
}

import { type ResourceType, storageKey } from './types.js';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const STATUS_VERBS = ['get', 'patch', 'update'];

type KindSpec = Omit<
  ResourceType,
  'listKind' | 'storage' | 'verbs' | 'singular' | 'statusSubresource' | 'generation'
> &
  Partial<
    Pick<ResourceType, 'listKind' | 'storage' | 'verbs' | 'singular' | 'statusSubresource' | 'generation'>
  >;

/**
 * Fill the parts of a resource type that follow from the rest: list kind, singular name,
 * storage key, the usual verbs, and a `status` subresource entry when the kind has one.
 */
export function defineKind(spec: KindSpec): ResourceType {
  const statusSubresource = spec.statusSubresource ?? false;
  const subresources = [...(spec.subresources ?? [])];
  if (statusSubresource && !subresources.some((s) => s.name === 'status')) {
    subresources.unshift({ name: 'status', kind: spec.kind, verbs: STATUS_VERBS });
  }
  return {
    ...spec,
    singular: spec.singular ?? spec.kind.toLowerCase(),
    listKind: spec.listKind ?? `${spec.kind}List`,
    storage: spec.storage ?? storageKey(spec.group, spec.plural),
    verbs: spec.verbs ?? ALL_VERBS,
    statusSubresource,
    generation: spec.generation ?? false,
    subresources: subresources.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

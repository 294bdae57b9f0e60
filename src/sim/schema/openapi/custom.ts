import type { ResourceType } from '../../kinds/types.js';
import type { Models } from '../models.js';
import type { Schema } from './components.js';
import { componentName, customComponentName, ref } from './naming.js';

/**
 * Components for a custom resource, published the way the apiextensions API server does: the
 * version's openAPIV3Schema as written, with apiVersion, kind and metadata (ObjectMeta)
 * added, plus its List kind.
 */
export function customComponents(
  type: ResourceType,
  models: Models,
): { kind: string; list: string; schemas: Record<string, Schema> } {
  const gvk = { group: type.group, kind: type.kind, version: type.version };
  const kind = customComponentName(gvk);
  const list = customComponentName({ ...gvk, kind: type.listKind });
  const typeMeta = models.docsOf('V1Pod')?.properties ?? {};
  const listMetaDoc = models.docsOf('V1PodList')?.properties.metadata;
  const standard = {
    apiVersion: { description: typeMeta.apiVersion, type: 'string' },
    kind: { description: typeMeta.kind, type: 'string' },
  };
  const declared = (type.custom?.schema ?? {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  }) as Schema;
  const { properties, ...rest } = structuredClone(declared) as Schema & {
    properties?: Record<string, Schema>;
  };
  const objectMeta = ref(componentName(models, 'V1ObjectMeta'));
  const kindSchema: Schema = {
    ...rest,
    properties: {
      ...standard,
      ...properties,
      metadata: { allOf: [objectMeta], description: typeMeta.metadata ?? 'Standard object metadata.' },
    },
    type: 'object',
    'x-kubernetes-group-version-kind': [gvk],
  };
  const listSchema: Schema = {
    description: `${type.listKind} is a list of ${type.kind}`,
    properties: {
      ...standard,
      items: { description: `List of ${type.plural}.`, items: ref(kind), type: 'array' },
      metadata: {
        allOf: [ref(componentName(models, 'V1ListMeta'))],
        description: listMetaDoc ?? 'Standard list metadata.',
      },
    },
    required: ['items'],
    type: 'object',
    'x-kubernetes-group-version-kind': [{ ...gvk, kind: type.listKind }],
  };
  return { kind, list, schemas: { [kind]: kindSchema, [list]: listSchema } };
}

import { ApiError, type FieldError, invalidValue } from '../api/errors.js';
import { validateCustomResource } from '../schema/structural.js';
import type { KubeObject } from '../store/types.js';
import { CRD_STORAGE, isConditionTrue } from './apiextensions/helpers.js';
import { printerColumnsTable } from './apiextensions/printer-columns.js';
import { ALL_VERBS, STATUS_VERBS } from './define.js';
import { type CustomResourceInfo, type ResourceType, type SubresourceSpec, storageKey } from './types.js';

/**
 * The resource type a CRD serves for one of its versions. Every version shares one storage key,
 * so the store keeps a single copy of each object and reads rewrite `apiVersion` (conversion
 * strategy None). Names come from `status.acceptedNames`, as upstream serves them.
 */
export function customResourceType(crd: KubeObject, version: any): ResourceType {
  const names = crd.status?.acceptedNames ?? crd.spec.names;
  const group: string = crd.spec.group;
  const kind: string = names.kind;
  const plural: string = names.plural;
  const scale = version.subresources?.scale;
  const hasStatus = version.subresources?.status !== undefined && version.subresources?.status !== null;
  const subresources: SubresourceSpec[] = [];
  if (scale) {
    subresources.push({
      name: 'scale',
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
      verbs: STATUS_VERBS,
    });
  }
  if (hasStatus) subresources.unshift({ name: 'status', kind, verbs: STATUS_VERBS });
  subresources.sort((a, b) => a.name.localeCompare(b.name));

  const custom: CustomResourceInfo = {
    crdName: crd.metadata.name!,
    schema: version.schema?.openAPIV3Schema,
    scale: scale
      ? {
          specReplicasPath: scale.specReplicasPath,
          statusReplicasPath: scale.statusReplicasPath,
          labelSelectorPath: scale.labelSelectorPath,
        }
      : undefined,
    preserveUnknownFields: crd.spec.preserveUnknownFields === true,
  };

  return {
    group,
    version: version.name,
    kind,
    plural,
    singular: names.singular || kind.toLowerCase(),
    listKind: names.listKind || `${kind}List`,
    namespaced: crd.spec.scope === 'Namespaced',
    ...(names.shortNames?.length ? { shortNames: [...names.shortNames] } : {}),
    ...(names.categories?.length ? { categories: [...names.categories] } : {}),
    verbs: ALL_VERBS,
    subresources,
    storage: storageKey(group, plural),
    statusSubresource: hasStatus,
    generation: true,
    table: printerColumnsTable(version.additionalPrinterColumns),
    fieldSelectors: selectableFieldReaders(version.selectableFields),
    custom,
    validate(obj) {
      // The name (a DNS subdomain) is checked with the rest of the metadata.
      return [...validateCustomResource(custom.schema, obj), ...validateScale(custom.scale, obj)];
    },
    prepareCreate(_obj, ctx) {
      const owner = ctx.get(CRD_STORAGE, undefined, custom.crdName);
      if (owner && isConditionTrue(owner, 'Terminating')) {
        throw new ApiError(
          405,
          'MethodNotAllowed',
          'create not allowed while custom resource definition is terminating',
          {
            group,
            kind: plural,
          },
        );
      }
    },
  };
}

function readPath(obj: unknown, path: string): unknown {
  let v: any = obj;
  for (const k of path.replace(/^\./, '').split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

/** Field selector keys from `selectableFields` (`.spec.color` is selected as `spec.color`). */
function selectableFieldReaders(fields: any[] | undefined): Record<string, (o: any) => string | undefined> {
  const readers: Record<string, (o: any) => string | undefined> = {};
  for (const f of fields ?? []) {
    const path: string = f?.jsonPath ?? '';
    if (!path) continue;
    readers[path.replace(/^\./, '')] = (o) => {
      const v = readPath(o, path);
      return v === undefined || v === null ? '' : String(v);
    };
  }
  return readers;
}

const MAX_INT32 = 2147483647;

/** The replica counts the scale subresource reads must be usable (upstream's validateScaleSpec/Status). */
function validateScale(scale: CustomResourceInfo['scale'], obj: KubeObject): FieldError[] {
  if (!scale) return [];
  const errs: FieldError[] = [];
  for (const path of [scale.specReplicasPath, scale.statusReplicasPath]) {
    const v = readPath(obj, path);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      const shown = typeof v === 'object' ? JSON.stringify(v) : String(v);
      errs.push(
        invalidValue(path, 0, `${path} accessor error: ${shown} is of the type ${goType(v)}, expected int64`),
      );
    } else if (v < 0) errs.push(invalidValue(path, v, 'should be a non-negative integer'));
    else if (v > MAX_INT32) errs.push(invalidValue(path, v, `should be less than or equal to ${MAX_INT32}`));
  }
  if (scale.labelSelectorPath) {
    const v = readPath(obj, scale.labelSelectorPath);
    if (v !== undefined && v !== null && typeof v !== 'string') {
      errs.push(invalidValue(scale.labelSelectorPath, '', 'should be a string'));
    }
  }
  return errs;
}

function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

import type { ResourceType } from '../../kinds/types.js';
import type { Models } from '../models.js';
import type { ComponentBuilder, Schema } from './components.js';
import { customComponents } from './custom.js';
import { componentName, type GroupVersionKind } from './naming.js';
import { pathsFor } from './paths.js';

/**
 * One group-version's OpenAPI v3 document (`/openapi/v3/apis/apps/v1`): the paths of its
 * served resources and the component schemas they use, built-in and custom alike.
 */

/** Kinds of subresources with a body schema; the others (exec, log, …) are connect calls. */
const SUBRESOURCE_MODELS: Record<string, string> = { Scale: 'V1Scale' };

export function groupVersionDocument(
  types: ResourceType[],
  models: Models,
  components: ComponentBuilder,
  kubernetesVersion: string,
): Schema {
  const roots = ['V1Status', 'V1DeleteOptions'];
  const gvks = new Map<string, GroupVersionKind[]>();
  const addGvk = (model: string, gvk: GroupVersionKind) => {
    const list = gvks.get(model) ?? [];
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind))
      list.push(gvk);
    gvks.set(model, list);
  };
  addGvk('V1Status', { group: '', kind: 'Status', version: 'v1' });
  let customSchemas: Record<string, Schema> = {};
  const paths: Record<string, Schema> = {};

  for (const type of [...types].sort((a, b) => a.plural.localeCompare(b.plural))) {
    const gvk = { group: type.group, kind: type.kind, version: type.version };
    addGvk('V1DeleteOptions', { group: type.group, kind: 'DeleteOptions', version: type.version });
    let kind: string;
    let list: string;
    if (type.custom) {
      const c = customComponents(type, models);
      customSchemas = { ...customSchemas, ...c.schemas };
      ({ kind, list } = c);
      roots.push('V1ObjectMeta', 'V1ListMeta');
    } else if (type.schema && models.get(type.schema)) {
      roots.push(type.schema);
      addGvk(type.schema, gvk);
      const listModel = models.get(`${type.schema}List`) ? `${type.schema}List` : undefined;
      if (listModel) {
        roots.push(listModel);
        addGvk(listModel, { ...gvk, kind: type.listKind });
      }
      kind = componentName(models, type.schema);
      list = listModel ? componentName(models, listModel) : kind;
    } else {
      continue; // a built-in kind without a model: nothing to describe
    }
    const subresourceKinds = new Map<string, { gvk: GroupVersionKind; component: string }>();
    for (const sub of type.subresources ?? []) {
      const subGvk = { group: sub.group ?? type.group, kind: sub.kind, version: sub.version ?? type.version };
      if (sub.kind === type.kind && subGvk.group === type.group) {
        subresourceKinds.set(sub.name, { gvk: subGvk, component: kind });
        continue;
      }
      const model = SUBRESOURCE_MODELS[sub.kind];
      if (!model || !models.get(model)) continue;
      roots.push(model);
      addGvk(model, subGvk);
      subresourceKinds.set(sub.name, { gvk: subGvk, component: componentName(models, model) });
    }
    Object.assign(paths, pathsFor({ type, gvk, kind, list }, subresourceKinds));
  }

  const schemas = { ...components.build(roots, gvks), ...customSchemas };
  return {
    components: { schemas: sortKeys(schemas) },
    info: { title: 'Kubernetes', version: kubernetesVersion },
    openapi: '3.0.0',
    paths: sortKeys(paths),
  };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

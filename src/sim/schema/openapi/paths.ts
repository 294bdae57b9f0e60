import type { ResourceType } from '../../kinds/types.js';
import {
  DELETE_OPTIONS,
  type GroupVersionKind,
  operationGroup,
  operationTag,
  PATCH,
  ref,
  STATUS,
} from './naming.js';

/**
 * The paths of a group-version document: one item per URL a served resource answers, each
 * operation tagged with its GVK and action like upstream's. kubectl reads two things from
 * them: whether PATCH accepts a `fieldValidation` query parameter (then it validates on the
 * server), and whether it accepts strategic merge patches (then client-side apply sends one).
 */

type Schema = Record<string, unknown>;

const query = (name: string, description: string, type = 'string'): Schema => ({
  description,
  in: 'query',
  name,
  schema: { type, uniqueItems: true },
});

const PARAM = {
  dryRun: query('dryRun', 'When present (All), the request is checked and answered but nothing is stored.'),
  fieldManager: query(
    'fieldManager',
    'The name of the actor making the change, recorded in managedFields; required for apply patches.',
  ),
  fieldValidation: query(
    'fieldValidation',
    'How to treat unknown or duplicate fields in the request object: Ignore drops them silently, Warn (the default) drops them and returns a Warning header for each, Strict rejects the request with a BadRequest naming them.',
  ),
  force: query('force', 'Take over fields other managers own (apply patches only).', 'boolean'),
  pretty: query('pretty', 'Pretty-print the response.'),
  gracePeriodSeconds: query(
    'gracePeriodSeconds',
    'Seconds before the object is deleted; 0 deletes at once.',
    'integer',
  ),
  propagationPolicy: query(
    'propagationPolicy',
    'How dependents are garbage collected: Orphan, Background or Foreground.',
  ),
  labelSelector: query('labelSelector', 'Only objects whose labels match this selector.'),
  fieldSelector: query('fieldSelector', 'Only objects whose fields match this selector.'),
  limit: query('limit', 'The largest number of items to return in one page.', 'integer'),
  continue: query('continue', 'The token of the next page, from a previous list response.'),
  resourceVersion: query('resourceVersion', 'The resource version a read or watch starts from.'),
  resourceVersionMatch: query(
    'resourceVersionMatch',
    'How resourceVersion applies to a list: Exact or NotOlderThan.',
  ),
  watch: query('watch', 'Stream changes instead of returning a list.', 'boolean'),
  allowWatchBookmarks: query('allowWatchBookmarks', 'Allow BOOKMARK events in a watch stream.', 'boolean'),
  timeoutSeconds: query('timeoutSeconds', 'End the list or watch call after this many seconds.', 'integer'),
  sendInitialEvents: query(
    'sendInitialEvents',
    'Start a watch with the current objects as ADDED events.',
    'boolean',
  ),
};

const pathParam = (name: string, description: string): Schema => ({
  description,
  in: 'path',
  name,
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

/** Patch types an API server accepts: strategic merge only for built-in kinds. */
export function patchContentTypes(custom: boolean): string[] {
  return custom
    ? ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']
    : [
        'application/apply-patch+yaml',
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ];
}

const RESPONSE_TYPES = ['application/json', 'application/yaml'];

function content(component: string): Schema {
  return Object.fromEntries(RESPONSE_TYPES.map((t) => [t, { schema: ref(component) }]));
}

function responses(component: string, codes: Record<string, string>): Schema {
  const out: Schema = {};
  for (const [code, description] of Object.entries(codes))
    out[code] = { content: content(component), description };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

interface OperationSpec {
  action: string;
  id: string;
  description: string;
  parameters?: Schema[];
  requestBody?: Schema;
  responses: Schema;
}

export interface PathContext {
  type: ResourceType;
  gvk: GroupVersionKind;
  /** Component names of the kind and its list. */
  kind: string;
  list: string;
}

/** Every path item a served type contributes, keyed by URL template. */
export function pathsFor(
  ctx: PathContext,
  subresourceKinds: Map<string, { gvk: GroupVersionKind; component: string }>,
): Record<string, Schema> {
  const { type, gvk } = ctx;
  const prefix = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const scope = type.namespaced ? 'Namespaced' : '';
  const opGroup = operationGroup(type.group, type.version);
  const tag = operationTag(type.group, type.version);
  const verbs = new Set(type.verbs);
  const base = type.namespaced
    ? `${prefix}/namespaces/{namespace}/${type.plural}`
    : `${prefix}/${type.plural}`;
  const scopeParams = type.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const nameParam = pathParam('name', `name of the ${type.kind}`);

  const op = (spec: OperationSpec, opGvk: GroupVersionKind = gvk): Schema => ({
    description: spec.description,
    operationId: spec.id,
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses: spec.responses,
    tags: [tag],
    'x-kubernetes-action': spec.action,
    'x-kubernetes-group-version-kind': opGvk,
  });
  const body = (component: string) => ({ content: { '*/*': { schema: ref(component) } }, required: true });
  const writeParams = [PARAM.dryRun, PARAM.fieldManager, PARAM.fieldValidation];
  const patchBody = {
    content: Object.fromEntries(patchContentTypes(!!type.custom).map((t) => [t, { schema: ref(PATCH) }])),
    required: true,
  };
  const listParams = [
    PARAM.allowWatchBookmarks,
    PARAM.continue,
    PARAM.fieldSelector,
    PARAM.labelSelector,
    PARAM.limit,
    PARAM.resourceVersion,
    PARAM.resourceVersionMatch,
    PARAM.sendInitialEvents,
    PARAM.timeoutSeconds,
    PARAM.watch,
  ];
  const name = `${scope}${type.kind}`;
  const paths: Record<string, Schema> = {};

  const collection: Schema = { parameters: [...scopeParams, PARAM.pretty] };
  if (verbs.has('list')) {
    collection.get = op({
      action: 'list',
      id: `list${opGroup}${name}`,
      description: `list or watch objects of kind ${type.kind}`,
      parameters: listParams,
      responses: responses(ctx.list, { '200': 'OK' }),
    });
  }
  if (verbs.has('create')) {
    collection.post = op({
      action: 'post',
      id: `create${opGroup}${name}`,
      description: `create a ${type.kind}`,
      parameters: writeParams,
      requestBody: body(ctx.kind),
      responses: responses(ctx.kind, { '200': 'OK', '201': 'Created', '202': 'Accepted' }),
    });
  }
  if (verbs.has('deletecollection')) {
    collection.delete = op({
      action: 'deletecollection',
      id: `delete${opGroup}Collection${name}`,
      description: `delete collection of ${type.kind}`,
      parameters: [PARAM.dryRun, PARAM.gracePeriodSeconds, PARAM.propagationPolicy, ...listParams],
      requestBody: body(DELETE_OPTIONS),
      responses: responses(STATUS, { '200': 'OK' }),
    });
  }
  paths[base] = collection;

  const item: Schema = { parameters: [nameParam, ...scopeParams, PARAM.pretty] };
  if (verbs.has('get')) {
    item.get = op({
      action: 'get',
      id: `read${opGroup}${name}`,
      description: `read the specified ${type.kind}`,
      responses: responses(ctx.kind, { '200': 'OK' }),
    });
  }
  if (verbs.has('update')) {
    item.put = op({
      action: 'put',
      id: `replace${opGroup}${name}`,
      description: `replace the specified ${type.kind}`,
      parameters: writeParams,
      requestBody: body(ctx.kind),
      responses: responses(ctx.kind, { '200': 'OK', '201': 'Created' }),
    });
  }
  if (verbs.has('patch')) {
    item.patch = op({
      action: 'patch',
      id: `patch${opGroup}${name}`,
      description: `partially update the specified ${type.kind}`,
      parameters: [...writeParams, PARAM.force],
      requestBody: patchBody,
      responses: responses(ctx.kind, { '200': 'OK', '201': 'Created' }),
    });
  }
  if (verbs.has('delete')) {
    item.delete = op({
      action: 'delete',
      id: `delete${opGroup}${name}`,
      description: `delete a ${type.kind}`,
      parameters: [PARAM.dryRun, PARAM.gracePeriodSeconds, PARAM.propagationPolicy],
      requestBody: body(DELETE_OPTIONS),
      responses: responses(STATUS, { '200': 'OK', '202': 'Accepted' }),
    });
  }
  paths[`${base}/{name}`] = item;

  if (type.namespaced && verbs.has('list')) {
    paths[`${prefix}/${type.plural}`] = {
      get: op({
        action: 'list',
        id: `list${opGroup}${type.kind}ForAllNamespaces`,
        description: `list or watch objects of kind ${type.kind}`,
        parameters: listParams,
        responses: responses(ctx.list, { '200': 'OK' }),
      }),
      parameters: [PARAM.pretty],
    };
  }

  for (const sub of type.subresources ?? []) {
    const target = subresourceKinds.get(sub.name);
    if (!target) continue;
    const subVerbs = new Set(sub.verbs);
    const title = sub.name.charAt(0).toUpperCase() + sub.name.slice(1);
    const subItem: Schema = { parameters: [nameParam, ...scopeParams, PARAM.pretty] };
    if (subVerbs.has('get')) {
      subItem.get = op(
        {
          action: 'get',
          id: `read${opGroup}${name}${title}`,
          description: `read ${sub.name} of the specified ${type.kind}`,
          responses: responses(target.component, { '200': 'OK' }),
        },
        target.gvk,
      );
    }
    if (subVerbs.has('update')) {
      subItem.put = op(
        {
          action: 'put',
          id: `replace${opGroup}${name}${title}`,
          description: `replace ${sub.name} of the specified ${type.kind}`,
          parameters: writeParams,
          requestBody: body(target.component),
          responses: responses(target.component, { '200': 'OK', '201': 'Created' }),
        },
        target.gvk,
      );
    }
    if (subVerbs.has('patch')) {
      subItem.patch = op(
        {
          action: 'patch',
          id: `patch${opGroup}${name}${title}`,
          description: `partially update ${sub.name} of the specified ${type.kind}`,
          parameters: [...writeParams, PARAM.force],
          requestBody: patchBody,
          responses: responses(target.component, { '200': 'OK', '201': 'Created' }),
        },
        target.gvk,
      );
    }
    paths[`${base}/{name}/${sub.name}`] = subItem;
  }
  return paths;
}

import { ApiError, badRequest } from '../api/errors.js';
import type { PatchRequest } from '../api/services.js';
import { apiVersionOf, type ResourceType } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';
import { PatchFormatError } from './errors.js';
import { goJson } from './fieldset.js';
import { decodeManaged, type Managed, setManaged } from './managed.js';
import { type Conflict, ignoredPaths, recordApply } from './ownership.js';
import type { Shape, Shapes } from './shape.js';
import { compare, isObj, TypedError, toFieldSet } from './typed.js';

/**
 * Server-side apply (`application/apply-patch+yaml`): validates the configuration against
 * the type, merges it with field ownership, and keeps kubectl's client-side-apply annotation
 * in step when `kubectl apply --server-side` takes over an object `kubectl apply` made.
 */

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** The manager name `kubectl apply --server-side` uses, which upstream treats specially. */
const KUBECTL = 'kubectl';

export function serverSideApply(
  shapes: Shapes,
  type: ResourceType,
  current: KubeObject | undefined,
  req: PatchRequest,
): KubeObject {
  const config = req.patch;
  if (!isObj(config)) {
    throw new PatchFormatError(
      `json: cannot unmarshal ${Array.isArray(config) ? 'array' : typeof config} into Go value of type map[string]interface {}`,
    );
  }
  const apiVersion = apiVersionOf(type);
  if (config.apiVersion !== apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${config.apiVersion ?? ''}, expected: ${apiVersion}`,
    );
  }
  const meta = isObj(config.metadata) ? config.metadata : {};
  if (meta.managedFields !== undefined && meta.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  const where = `${meta.namespace ?? ''}/${meta.name ?? ''}; ${type.group}/${type.version}, Kind=${String(config.kind ?? '')}`;
  if (config.kind !== type.kind)
    throw typedPatchError(where, `no corresponding type for ${where.split('; ')[1]}`);

  const shape = shapes.forType(type);
  const managed = current ? liveManaged(current) : new Map();
  const live = current ? withoutManaged(current) : undefined;
  const self = {
    manager: req.fieldManager ?? '',
    operation: 'Apply' as const,
    apiVersion,
    subresource: req.subresource,
  };
  const allow =
    self.manager === KUBECTL && live ? (c: Conflict[]) => notAllowedByLastApplied(c, live, shape) : undefined;
  let outcome: ReturnType<typeof recordApply>;
  try {
    outcome = recordApply(
      managed,
      live,
      config,
      shape,
      self,
      ignoredPaths(type, req.subresource),
      req.force === true,
      allow,
    );
  } catch (e) {
    if (e instanceof TypedError) throw typedPatchError(where, e.message);
    throw e;
  }
  const object = outcome.object as KubeObject;
  object.apiVersion = apiVersion;
  object.kind = type.kind;
  object.metadata ??= {};
  setManaged(object.metadata, outcome.managed);
  if (self.manager === KUBECTL && object.metadata.annotations?.[LAST_APPLIED]) {
    object.metadata.annotations[LAST_APPLIED] = lastAppliedOf(config);
  }
  return object;
}

/** Upstream returns these as plain errors: a 500 whose Status has no reason. */
function typedPatchError(where: string, detail: string): ApiError {
  return new ApiError(500, '' as never, `failed to create typed patch object (${where}): ${detail}`);
}

function liveManaged(obj: KubeObject): Managed {
  try {
    return decodeManaged(obj.metadata.managedFields);
  } catch {
    return new Map();
  }
}

function withoutManaged(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...structuredClone(obj), metadata: structuredClone(metadata) };
}

/** The annotation kubectl's client-side apply keeps: the configuration as sorted JSON. */
function lastAppliedOf(config: Record<string, unknown>): string {
  const copy = structuredClone(config) as Record<string, any>;
  if (isObj(copy.metadata) && isObj(copy.metadata.annotations)) {
    delete copy.metadata.annotations[LAST_APPLIED];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  }
  return `${goJson(copy)}\n`;
}

/**
 * `kubectl apply --server-side` may take over fields from `kubectl apply` without conflicts
 * where the last-applied annotation still matches the live object; the rest still conflict.
 */
function notAllowedByLastApplied(conflicts: Conflict[], live: KubeObject, shape: Shape): Conflict[] {
  const raw = live.metadata.annotations?.[LAST_APPLIED];
  if (!raw) return conflicts;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return conflicts;
  }
  if (!isObj(lastApplied) || lastApplied.apiVersion !== live.apiVersion) return conflicts;
  try {
    const c = compare(lastApplied, live, shape);
    const allowed = toFieldSet(lastApplied, shape)
      .difference(c.modified)
      .difference(c.added)
      .difference(c.removed);
    return conflicts.filter((x) => !allowed.has(x.path));
  } catch {
    return conflicts;
  }
}

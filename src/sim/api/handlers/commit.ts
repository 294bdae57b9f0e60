import { isDeepStrictEqual } from 'node:util';
import type { ResourceType } from '../../kinds/types.js';
import { apiVersionOf } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { admitMutation, admitValidation } from '../admission/index.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  qualifiedResource,
  staleConflict,
} from '../errors.js';
import type { ApiServices, ManagedOperation } from '../services.js';
import { generateName } from '../validation/names.js';
import {
  carryOverMeta,
  initCreateMeta,
  validateMetaUpdate,
  validateObjectMeta,
} from '../validation/objectmeta.js';
import { toStorage } from './context.js';

/**
 * The storage half of every write: what happens between a decoded object and the store, shared
 * by the HTTP handlers and the sim's own controllers so both get the same semantics.
 */

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  operation?: ManagedOperation;
  /** `status`, `finalize` or `scale` for subresource writes. */
  subresource?: string;
}

function checkNamespaceAccepts(svc: ApiServices, type: ResourceType, obj: KubeObject): void {
  if (!type.namespaced) return;
  const ns = svc.store.get('core/namespaces', undefined, obj.metadata.namespace!);
  if (!ns) throw notFound('', 'namespaces', obj.metadata.namespace!);
  if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
    throw forbidden(
      `${qualifiedResource(type.group, type.plural)} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`,
      { name: obj.metadata.name, group: type.group || undefined, kind: type.plural },
    );
  }
}

export async function commitCreate(
  svc: ApiServices,
  type: ResourceType,
  input: KubeObject,
  namespace: string | undefined,
  opts: WriteOptions = {},
): Promise<KubeObject> {
  const obj = structuredClone(input);
  obj.apiVersion = apiVersionOf(type);
  obj.kind = type.kind;
  if (type.namespaced) {
    if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = obj.metadata.namespace || namespace;
  } else {
    delete obj.metadata.namespace;
  }
  if (!obj.metadata.name && obj.metadata.generateName)
    obj.metadata.name = generateName(obj.metadata.generateName);

  const now = svc.clock.now();
  initCreateMeta(obj, type, now);
  if (type.statusSubresource) {
    if (type.custom) delete obj.status;
  }
  type.defaults?.(obj, svc.kindContext);
  const admission = { operation: 'CREATE', type, object: obj, dryRun: opts.dryRun } as const;
  admitMutation(svc, admission);

  const metaErrors = validateObjectMeta(type, obj.metadata);
  if (metaErrors.length > 0) throw invalid(type, obj.metadata.name ?? '', metaErrors);
  checkNamespaceAccepts(svc, type, obj);
  const errors = type.validate?.(obj, undefined, svc.kindContext) ?? [];
  if (errors.length > 0) throw invalid(type, obj.metadata.name!, errors);

  if (svc.store.get(type.storage, obj.metadata.namespace, obj.metadata.name!)) {
    if (input.metadata.generateName && !input.metadata.name) {
      throw new ApiError(
        409,
        'AlreadyExists',
        `${qualifiedResource(type.group, type.plural)} "${obj.metadata.name}" already exists, the server was not able to generate a unique name for the object`,
        { name: obj.metadata.name, group: type.group || undefined, kind: type.plural, retryAfterSeconds: 1 },
      );
    }
    throw alreadyExists(type.group, type.plural, obj.metadata.name!);
  }
  admitValidation(svc, admission);
  // Before prepareCreate: upstream records ownership of what the client sent (after
  // defaulting), not of what the registry allocates (a Service's clusterIP, initial status).
  svc.fieldManager.update(
    type,
    obj,
    undefined,
    opts.fieldManager ?? 'unknown',
    opts.operation ?? 'Update',
    undefined,
    now,
  );
  if (opts.dryRun) {
    type.prepareCreate?.(obj, dryRunContext(svc));
    return obj;
  }
  type.prepareCreate?.(obj, svc.kindContext);
  const stored = svc.store.create(type.storage, toStorage(type, obj));
  await svc.store.flushed();
  return stored;
}

/** During a dry run, allocations are made up but not taken. */
function dryRunContext(svc: ApiServices) {
  return {
    ...svc.kindContext,
    allocator: {
      clusterIP: (r?: string) => r ?? '10.96.0.0',
      releaseClusterIP: () => undefined,
      nodePort: (r?: number) => r ?? 30000,
      releaseNodePort: () => undefined,
    },
  };
}

/**
 * What `metadata.generation` counts changes of: everything but metadata, and but status when
 * status has its own subresource (without one, status is part of the desired state).
 */
function generationFields(type: ResourceType, o: KubeObject): Record<string, unknown> {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
  if (type.statusSubresource) delete rest.status;
  return rest;
}

export async function commitUpdate(
  svc: ApiServices,
  type: ResourceType,
  current: KubeObject,
  input: KubeObject,
  opts: WriteOptions = {},
): Promise<KubeObject> {
  const name = current.metadata.name!;
  let obj = structuredClone(input);
  obj.apiVersion = apiVersionOf(type);
  obj.kind = type.kind;
  if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  obj.metadata.name = name;
  if (type.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== current.metadata.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = current.metadata.namespace;
  } else delete obj.metadata.namespace;

  const rv = obj.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) {
    throw staleConflict(type.group, type.plural, name);
  }
  if (obj.metadata.uid && obj.metadata.uid !== current.metadata.uid) {
    throw conflict(
      type.group,
      type.plural,
      name,
      `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }

  if (opts.subresource === 'status') {
    obj = { ...structuredClone(current), status: obj.status };
  } else if (opts.subresource === 'finalize') {
    obj = { ...structuredClone(current), spec: { ...current.spec, finalizers: obj.spec?.finalizers } };
  } else {
    carryOverMeta(obj, current);
    if (type.statusSubresource) {
      if (current.status === undefined) delete obj.status;
      else obj.status = structuredClone(current.status);
    }
  }
  if (opts.subresource && opts.operation === 'Apply') {
    // Server-side apply computed the ownership on the patched object; keep it.
    const applied = input.metadata.managedFields;
    if (applied) obj.metadata.managedFields = structuredClone(applied);
    else delete obj.metadata.managedFields;
  }
  obj.metadata.resourceVersion = current.metadata.resourceVersion;

  type.defaults?.(obj, svc.kindContext, current);
  const admission = {
    operation: 'UPDATE',
    type,
    object: obj,
    old: current,
    subresource: opts.subresource,
    dryRun: opts.dryRun,
  } as const;
  admitMutation(svc, admission);
  if (type.generation && !isDeepStrictEqual(generationFields(type, obj), generationFields(type, current))) {
    obj.metadata.generation = (current.metadata.generation ?? 0) + 1;
  }
  const errors = [
    ...validateObjectMeta(type, obj.metadata),
    ...validateMetaUpdate(obj.metadata, current.metadata),
  ];
  errors.push(...(type.validate?.(obj, current, svc.kindContext) ?? []));
  if (errors.length > 0) throw invalid(type, name, errors);

  const now = svc.clock.now();
  svc.fieldManager.update(
    type,
    obj,
    current,
    opts.fieldManager ?? 'unknown',
    opts.operation ?? 'Update',
    opts.subresource,
    now,
  );
  if (isDeepStrictEqual(obj, current)) return current;
  admitValidation(svc, admission);
  if (opts.dryRun) return obj;
  type.prepareUpdate?.(obj, current, svc.kindContext);

  // The last finalizer gone completes a deletion only once its grace period is over (0),
  // as upstream's shouldDeleteDuringUpdate decides; a pod still stopping stays until the
  // kubelet deletes it with grace 0.
  if (
    obj.metadata.deletionTimestamp &&
    current.metadata.deletionGracePeriodSeconds === 0 &&
    finalizationDone(type, obj)
  ) {
    const gone = svc.store.delete(type.storage, obj.metadata.namespace, name);
    type.afterDelete?.(obj, svc.kindContext);
    await svc.store.flushed();
    return gone ?? obj;
  }
  const stored = svc.store.update(type.storage, toStorage(type, obj));
  await svc.store.flushed();
  return stored;
}

/** No finalizers left (metadata, and for namespaces spec.finalizers). */
export function finalizationDone(type: ResourceType, obj: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return false;
  if (type.storage === 'core/namespaces' && (obj.spec?.finalizers ?? []).length > 0) return false;
  return true;
}

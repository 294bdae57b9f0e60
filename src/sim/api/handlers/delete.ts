import type { ResourceType } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { decodeBody } from '../content.js';
import { badRequest, conflict } from '../errors.js';
import type { ApiServices } from '../services.js';
import { timestamp } from '../validation/objectmeta.js';
import { finalizationDone } from './commit.js';
import {
  currentObject,
  type Handler,
  type HandlerRequest,
  isDryRun,
  selection,
  selects,
  toStorage,
} from './context.js';
import { render } from './read.js';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

const POLICIES = ['Foreground', 'Background', 'Orphan'];

export function deleteOptions(req: HandlerRequest): DeleteOptions {
  const opts: DeleteOptions = {};
  if (req.body.length > 0) {
    const raw = decodeBody(req.body, req.contentType || 'application/json') as Record<string, any>;
    if (raw && typeof raw === 'object') {
      if (raw.gracePeriodSeconds !== undefined && raw.gracePeriodSeconds !== null)
        opts.gracePeriodSeconds = Number(raw.gracePeriodSeconds);
      if (raw.propagationPolicy) opts.propagationPolicy = raw.propagationPolicy;
      else if (raw.orphanDependents === true) opts.propagationPolicy = 'Orphan';
      else if (raw.orphanDependents === false) opts.propagationPolicy = 'Background';
      if (raw.preconditions) opts.preconditions = raw.preconditions;
      if (Array.isArray(raw.dryRun) && raw.dryRun.includes('All')) opts.dryRun = true;
    }
  }
  const q = req.query;
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') opts.gracePeriodSeconds = Number(grace);
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as PropagationPolicy;
  if (q.get('orphanDependents') === 'true') opts.propagationPolicy = 'Orphan';
  if (isDryRun(q)) opts.dryRun = true;
  if (opts.propagationPolicy && !POLICIES.includes(opts.propagationPolicy)) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  if (opts.gracePeriodSeconds !== undefined && !Number.isInteger(opts.gracePeriodSeconds)) {
    throw badRequest('gracePeriodSeconds must be an integer');
  }
  return opts;
}

/** Resources whose DELETE answers with the object rather than a `Status` (as upstream's registries do). */
const RETURNS_OBJECT = new Set(['core/pods', 'core/services', 'core/namespaces']);

export interface DeleteOutcome {
  object: KubeObject;
  /** True when the object left the store; false when it waits for finalizers or a grace period. */
  deleted: boolean;
}

/** Delete one object with upstream's semantics: preconditions, finalizers, grace, propagation. */
export async function commitDelete(
  svc: ApiServices,
  type: ResourceType,
  current: KubeObject,
  opts: DeleteOptions,
): Promise<DeleteOutcome> {
  const name = current.metadata.name!;
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      type.group,
      type.plural,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      type.group,
      type.plural,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }

  const obj = structuredClone(current);
  const finalizers = new Set(obj.metadata.finalizers ?? []);
  const policy = opts.propagationPolicy ?? 'Background';
  if (!obj.metadata.deletionTimestamp) {
    if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    if (policy === 'Orphan') finalizers.add('orphan');
    for (const f of type.deleteFinalizers ?? []) finalizers.add(f);
  }
  if (finalizers.size > 0) obj.metadata.finalizers = [...finalizers];

  const now = svc.clock.now();
  const grace = type.gracePeriod?.(obj, opts.gracePeriodSeconds) ?? 0;
  const pending = !finalizationDone(type, obj) || grace > 0;
  if (!pending) {
    if (opts.dryRun) return { object: current, deleted: true };
    const gone = svc.store.delete(type.storage, obj.metadata.namespace, name)!;
    type.afterDelete?.(current, svc.kindContext);
    await svc.store.flushed();
    return { object: gone, deleted: true };
  }
  if (obj.metadata.deletionTimestamp) {
    // Already being deleted: only a shorter grace period changes anything. As upstream, the
    // deadline moves relative to when deletion began, and a grace period of 0 (what the
    // kubelet sends once containers stopped) lets finalizer removal complete the deletion.
    const previous = obj.metadata.deletionGracePeriodSeconds;
    if (opts.gracePeriodSeconds !== undefined && previous !== undefined && grace < previous) {
      const began = Date.parse(obj.metadata.deletionTimestamp) - previous * 1000;
      obj.metadata.deletionTimestamp = timestamp(new Date(began + grace * 1000));
      obj.metadata.deletionGracePeriodSeconds = grace;
    } else if (obj.metadata.finalizers?.length === current.metadata.finalizers?.length) {
      return { object: current, deleted: false };
    }
  } else {
    obj.metadata.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
    obj.metadata.deletionGracePeriodSeconds = grace;
    type.beginDelete?.(obj, svc.kindContext);
  }
  if (opts.dryRun) return { object: obj, deleted: false };
  if (type.generation) obj.metadata.generation = (obj.metadata.generation ?? 0) + 1;
  const stored = svc.store.update(type.storage, toStorage(type, obj));
  await svc.store.flushed();
  return { object: stored, deleted: false };
}

function successStatus(type: ResourceType, obj: KubeObject) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: obj.metadata.name,
      group: type.group || undefined,
      kind: type.plural,
      uid: obj.metadata.uid,
    },
  };
}

export const handleDelete: Handler = async (svc, req) => {
  const current = currentObject(svc, req);
  const opts = deleteOptions(req);
  const out = await commitDelete(svc, req.type, current, opts);
  if (out.deleted && !RETURNS_OBJECT.has(req.type.storage)) {
    return { code: 200, body: successStatus(req.type, out.object) };
  }
  return { code: 200, body: render(svc, req, [out.object], { single: true }) };
};

export const handleDeleteCollection: Handler = async (svc, req) => {
  const { type, info } = req;
  const sel = selection(type, req.query);
  const opts = deleteOptions(req);
  const items = svc.store
    .list(type.storage, type.namespaced ? info.namespace : undefined)
    .filter((o) => selects(sel, o));
  const deleted: KubeObject[] = [];
  for (const o of items) {
    const out = await commitDelete(svc, type, o, opts);
    deleted.push(out.object);
  }
  return {
    code: 200,
    body: render(svc, req, deleted, { single: false, rv: String(svc.store.resourceVersion) }),
  };
};

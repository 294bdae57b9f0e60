import { selectorString } from '../../kinds/common/labelselector.js';
import type { ResourceType } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { decodeBody } from '../content.js';
import { ApiError, badRequest, conflict, invalid, invalidValue } from '../errors.js';
import { timestamp } from '../validation/objectmeta.js';
import { commitUpdate } from './commit.js';
import { currentObject, type Handler, isDryRun } from './context.js';
import { fieldManager, patchTypeOf } from './write.js';

/** Read a dotted JSON path such as `.spec.replicas`. */
function readPath(obj: any, path: string): any {
  return path
    .split('.')
    .filter(Boolean)
    .reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function writePath(obj: any, path: string, value: unknown): void {
  const keys = path.split('.').filter(Boolean);
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    o[k] ??= {};
    o = o[k];
  }
  o[keys[keys.length - 1]!] = value;
}

function scalePaths(type: ResourceType) {
  return (
    type.custom?.scale ?? {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: undefined,
    }
  );
}

/** The `autoscaling/v1` Scale view of a scalable object. */
export function toScale(type: ResourceType, obj: KubeObject): KubeObject {
  const p = scalePaths(type);
  let selector: string | undefined;
  if (type.custom) {
    // Custom resources publish a selector only through the CRD's labelSelectorPath.
    if (p.labelSelectorPath) selector = readPath(obj, p.labelSelectorPath);
  } else if (obj.spec?.selector) {
    // ReplicationControllers select with a plain label map, the rest with a LabelSelector.
    const sel =
      type.storage === 'core/replicationcontrollers' ? { matchLabels: obj.spec.selector } : obj.spec.selector;
    selector = selectorString(sel);
  }
  const status: Record<string, unknown> = { replicas: readPath(obj, p.statusReplicasPath) ?? 0 };
  if (selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: readPath(obj, p.specReplicasPath) ?? 0 },
    status,
  };
}

export const handleScale: Handler = async (svc, req) => {
  const { type } = req;
  const current = currentObject(svc, req);
  if (req.info.verb === 'get') return { code: 200, body: toScale(type, current) };
  let scale: KubeObject;
  if (req.info.verb === 'update') {
    scale = decodeBody(req.body, req.contentType) as KubeObject;
  } else if (req.info.verb === 'patch') {
    const patchType = patchTypeOf(type, req.contentType);
    const patch = decodeBody(
      req.body,
      patchType === 'apply' ? 'application/apply-patch+yaml' : 'application/json',
    );
    const scaleType = { ...type, kind: 'Scale', group: 'autoscaling', version: 'v1', custom: undefined };
    scale = svc.patcher.apply(scaleType as ResourceType, toScale(type, current), { type: patchType, patch });
  } else
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  const replicas = scale?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw invalid({ group: 'autoscaling', kind: 'Scale' }, current.metadata.name!, [
      invalidValue('spec.replicas', replicas ?? null, 'must be greater than or equal to 0'),
    ]);
  }
  const rv = scale.metadata?.resourceVersion;
  const next = structuredClone(current);
  writePath(next, scalePaths(type).specReplicasPath, replicas);
  if (rv) next.metadata.resourceVersion = rv;
  const stored = await commitUpdate(svc, type, current, next, {
    dryRun: isDryRun(req.query),
    fieldManager: fieldManager(req),
    subresource: 'scale',
  });
  return { code: 200, body: toScale(type, stored) };
};

/** `POST pods/<name>/binding`: what the scheduler calls to put a pod on a node. */
export const handleBinding: Handler = async (svc, req) => {
  const current = currentObject(svc, req);
  const binding = decodeBody(req.body, req.contentType) as KubeObject;
  const node = binding?.target?.name;
  if (!node) throw badRequest('target.name: Required value');
  if (current.spec?.nodeName) {
    throw conflict(
      '',
      'pods',
      current.metadata.name!,
      `pod ${current.metadata.name} is already assigned to node "${current.spec.nodeName}"`,
    );
  }
  if (current.metadata.deletionTimestamp) {
    throw conflict('', 'pods', current.metadata.name!, 'pod is being deleted, cannot be assigned to a host');
  }
  const next = structuredClone(current);
  next.spec.nodeName = node;
  const conditions = (next.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: timestamp(svc.clock.now()),
  });
  next.status = { ...next.status, conditions };
  // Binding changes spec and status in one step, as the upstream binding storage does.
  const stored = svc.store.update(req.type.storage, next);
  await svc.store.flushed();
  return {
    code: 201,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
      details: { name: stored.metadata.name, kind: 'pods' },
    },
  };
};

import type { ResourceType } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { decodeBody, mediaType } from '../content.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import type { ApiServices, PatchType } from '../services.js';
import { commitCreate, commitUpdate } from './commit.js';
import { currentObject, type Handler, type HandlerRequest, isDryRun } from './context.js';
import { checkObject, decodeObject, fieldValidationMode, strictDecode } from './decode.js';
import { render } from './read.js';

/** The field manager named in the request, or the one upstream derives from the user agent. */
export function fieldManager(req: HandlerRequest): string {
  const explicit = req.query.get('fieldManager');
  if (explicit) {
    if (explicit.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return explicit;
  }
  // Upstream uses the user agent up to the first '/' (e.g. `kubectl-edit`, `node-fetch`).
  return req.userAgent.split('/')[0] || 'unknown';
}

export const handleCreate: Handler = async (svc, req) => {
  const mode = fieldValidationMode(req.query);
  const decoded = decodeObject(req);
  const { object, warnings } = strictDecode(svc, req.type, decoded, mode);
  const stored = await commitCreate(svc, req.type, object, req.info.namespace, {
    dryRun: isDryRun(req.query),
    fieldManager: fieldManager(req),
  });
  return { code: 201, body: render(svc, req, [stored], { single: true }), warnings };
};

export const handleUpdate: Handler = async (svc, req) => {
  const mode = fieldValidationMode(req.query);
  const current = currentObject(svc, req);
  const decoded = decodeObject(req);
  const { object, warnings } = strictDecode(svc, req.type, decoded, mode);
  const stored = await commitUpdate(svc, req.type, current, object, {
    dryRun: isDryRun(req.query),
    fieldManager: fieldManager(req),
    subresource: req.info.subresource,
  });
  return { code: 200, body: render(svc, req, [stored], { single: true }), warnings };
};

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function patchTypeOf(type: ResourceType, contentType: string | undefined): PatchType {
  const t = PATCH_TYPES[mediaType(contentType)];
  const accepted = type.custom
    ? 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml'
    : 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';
  if (!t || (t === 'strategic' && type.custom)) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
    );
  }
  return t;
}

export const handlePatch: Handler = async (svc, req) => {
  const { type, info } = req;
  const patchType = patchTypeOf(type, req.contentType);
  const mode = fieldValidationMode(req.query);
  let patch: unknown;
  try {
    patch = decodeBody(req.body, patchType === 'apply' ? 'application/apply-patch+yaml' : 'application/json');
  } catch (e) {
    if (e instanceof ApiError && e.code === 400) throw badRequest(`error decoding patch: ${e.message}`);
    throw e;
  }
  const manager = fieldManager(req);
  if (patchType === 'apply' && !req.query.get('fieldManager')) {
    throw badRequest('PATCH /' + type.plural + ': fieldManager is required for apply requests');
  }
  const force = req.query.get('force') === 'true';
  const dryRun = isDryRun(req.query);
  const existing = svc.store.get(type.storage, type.namespaced ? info.namespace : undefined, info.name!);

  if (!existing) {
    if (patchType !== 'apply' || info.subresource) throw notFound(type.group, type.plural, info.name!);
    // Server-side apply creates what does not exist.
    const applied = checkObject(
      type,
      svc.patcher.apply(type, undefined, { type: 'apply', patch, fieldManager: manager, force }),
    );
    if (applied.metadata.name !== info.name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${info.name})`,
      );
    }
    const { object, warnings } = strictDecode(svc, type, applied, mode, { type: patchType, patch });
    const stored = await commitCreate(svc, type, object, info.namespace, {
      dryRun,
      fieldManager: manager,
      operation: 'Apply',
    });
    return { code: 201, body: render(svc, req, [stored], { single: true }), warnings };
  }

  const current = currentObject(svc, req);
  let patched: KubeObject;
  try {
    patched = svc.patcher.apply(type, current, {
      type: patchType,
      patch,
      fieldManager: manager,
      force,
      subresource: info.subresource,
    });
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(422, 'Invalid', (e as Error).message);
  }
  patched = checkObject(type, patched);
  const { object, warnings } = strictDecode(svc, type, patched, mode, { type: patchType, patch });
  const stored = await commitUpdate(svc, type, current, object, {
    dryRun,
    fieldManager: manager,
    operation: patchType === 'apply' ? 'Apply' : 'Update',
    subresource: info.subresource,
  });
  return { code: 200, body: render(svc, req, [stored], { single: true }), warnings };
};

export type { ApiServices };

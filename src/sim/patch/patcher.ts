import { ApiError, badRequest } from '../api/errors.js';
import type { Patcher, PatchRequest } from '../api/services.js';
import type { ResourceType } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';
import { PatchApplyError, PatchFormatError, PatchServerError } from './errors.js';
import { applyJsonPatch } from './jsonpatch.js';
import { applyMergePatch } from './mergepatch.js';

/** Applies JSON, merge, strategic-merge and apply patches, mapping failures to API errors. */
export class DefaultPatcher implements Patcher {
  constructor(
    private readonly strategic: (type: ResourceType, current: KubeObject, patch: unknown) => KubeObject,
    private readonly serverSideApply: (
      type: ResourceType,
      current: KubeObject | undefined,
      req: PatchRequest,
    ) => KubeObject,
  ) {}

  apply(type: ResourceType, current: KubeObject | undefined, req: PatchRequest): KubeObject {
    try {
      switch (req.type) {
        case 'json':
          return jsonPatch(current, req.patch);
        case 'merge':
          if (req.patch === null || typeof req.patch !== 'object' || Array.isArray(req.patch)) {
            throw new PatchFormatError(
              'json: cannot unmarshal array into Go value of type map[string]interface {}',
            );
          }
          return applyMergePatch(current, req.patch) as KubeObject;
        case 'strategic':
          if (req.patch === null || typeof req.patch !== 'object' || Array.isArray(req.patch)) {
            throw new PatchFormatError(
              'json: cannot unmarshal array into Go value of type map[string]interface {}',
            );
          }
          return this.strategic(type, current!, req.patch);
        case 'apply':
          return this.serverSideApply(type, current, req);
      }
    } catch (e) {
      if (e instanceof PatchFormatError) throw badRequest(e.message);
      if (e instanceof PatchApplyError) throw new ApiError(422, 'Invalid', e.message);
      // Upstream's plain errors become a 500 Status without a reason.
      if (e instanceof PatchServerError) throw new ApiError(500, '' as never, e.message);
      throw e;
    }
  }
}

/** What upstream answers for a JSON patch that decodes but does not apply: a generic 422. */
const JSON_PATCH_NOT_APPLIED = 'the server rejected our request due to an error in our request';

/**
 * Only a body that is not a list of operations is a 400; every failure while applying one
 * (missing path, failed `test`, bad operation) is the same 422 without details.
 */
function jsonPatch(current: KubeObject | undefined, patch: unknown): KubeObject {
  if (!Array.isArray(patch)) return applyJsonPatch(current, patch) as KubeObject;
  try {
    return applyJsonPatch(current, patch) as KubeObject;
  } catch (e) {
    if (e instanceof PatchApplyError || e instanceof PatchFormatError) {
      throw new ApiError(422, 'Invalid', JSON_PATCH_NOT_APPLIED, {});
    }
    throw e;
  }
}

import { ApiError, badRequest } from '../api/errors.js';
import type { Patcher, PatchRequest } from '../api/services.js';
import type { ResourceType } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';
import { PatchApplyError, PatchFormatError } from './errors.js';
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
          return applyJsonPatch(current, req.patch) as KubeObject;
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
      throw e;
    }
  }
}

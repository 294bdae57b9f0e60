import type { FieldManager, PatchRequest } from '../api/services.js';
import type { ResourceType } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';
import { applyMergePatch } from './mergepatch.js';

// PLACEHOLDER (being replaced in this session): strategic merge and apply fall back to merge patch.
export function patchServices(_models: unknown) {
  return {
    strategic: (_t: ResourceType, current: KubeObject, patch: unknown) =>
      applyMergePatch(current, patch) as KubeObject,
    apply: (_t: ResourceType, current: KubeObject | undefined, req: PatchRequest) =>
      applyMergePatch(current ?? {}, req.patch) as KubeObject,
    fieldManager: { update() {} } as FieldManager,
  };
}

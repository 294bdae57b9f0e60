import type { PatchRequest } from '../api/services.js';
import type { ResourceType } from '../kinds/types.js';
import { Models } from '../schema/models.js';
import type { KubeObject } from '../store/types.js';
import { serverSideApply } from './apply.js';
import { SimFieldManager } from './field-manager.js';
import { Shapes } from './shape.js';
import { strategicMergePatch } from './strategic.js';

/**
 * The patch engines the API server plugs in: strategic merge patch, server-side apply, and
 * the field manager that keeps `metadata.managedFields` on every write.
 */
export function patchServices(models: unknown) {
  // The schema services may still hand over a placeholder; the generated schema is on disk.
  const shapes = new Shapes(models instanceof Models ? models : Models.load());
  return {
    shapes,
    strategic: (type: ResourceType, current: KubeObject, patch: unknown) =>
      strategicMergePatch(current, patch, shapes.forType(type)) as KubeObject,
    apply: (type: ResourceType, current: KubeObject | undefined, req: PatchRequest) =>
      serverSideApply(shapes, type, current, req),
    fieldManager: new SimFieldManager(shapes),
  };
}

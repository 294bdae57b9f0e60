import { listStrategy, patchStrategyOf } from '../../patch/merge-keys.js';
import type { PatchMeta, PatchMetaLookup } from './patch-meta.js';

/**
 * Patch metadata from the strategic-merge engine's table (src/sim/patch/merge-keys.ts), so
 * what kubectl reads in the OpenAPI documents is what the sim's own patching does. Lists the
 * table leaves atomic get no list-type, as upstream publishes none for unmarked lists.
 */
export const mergeKeyPatchMeta: PatchMetaLookup = (model, field) => {
  const facts = listStrategy(model, field);
  const meta: PatchMeta = {};
  const strategy = patchStrategyOf(model, field);
  if (strategy) meta.strategy = strategy;
  if (facts.patchMergeKey) meta.mergeKey = facts.patchMergeKey;
  if (facts.listType !== 'atomic') {
    meta.listType = facts.listType;
    if (facts.listMapKeys?.length) meta.listMapKeys = facts.listMapKeys;
  }
  return Object.keys(meta).length > 0 ? meta : undefined;
};

import { isDeepStrictEqual } from 'node:util';
import type { FieldManager, ManagedOperation } from '../api/services.js';
import { apiVersionOf, type ResourceType } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';
import {
  capUpdaters,
  decodeManaged,
  isResetRequest,
  type Managed,
  managedTime,
  managerId,
  setManaged,
} from './managed.js';
import { ignoredPaths, recordUpdate } from './ownership.js';
import type { Shapes } from './shape.js';

/**
 * Keeps `metadata.managedFields` on every write. Updates (create, replace, non-apply patches)
 * record the fields they set or changed for their manager and take those fields from other
 * managers; apply writes arrive with their ownership already computed and only get their time.
 * Times change only when the write changed the object, so a repeated write is a no-op.
 */
export class SimFieldManager implements FieldManager {
  constructor(private readonly shapes: Shapes) {}

  update(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    manager: string,
    operation: ManagedOperation,
    subresource: string | undefined,
    now: Date,
  ): void {
    const apiVersion = apiVersionOf(type);
    const time = managedTime(now);
    if (operation === 'Apply') {
      this.stampApply(obj, old, managerId({ manager, operation, apiVersion, subresource }), time);
      return;
    }
    const managed = this.startingPoint(obj, old, subresource);
    const shape = this.shapes.forType(type);
    const live = old ? withoutManaged(old) : shape.kind === 'struct' ? shape.zero() : {};
    const self = { manager, operation, apiVersion, subresource };
    recordUpdate(managed, live, withoutManaged(obj), shape, self, ignoredPaths(type, subresource), time);
    capUpdaters(managed);
    setManaged(obj.metadata, managed);
  }

  /**
   * Whose fields the write starts from: the stored object's, unless a write to the main
   * resource brings valid entries of its own (clients may edit them) or asks to clear them.
   */
  private startingPoint(
    obj: KubeObject,
    old: KubeObject | undefined,
    subresource: string | undefined,
  ): Managed {
    const live = () => decodeOrEmpty(old?.metadata.managedFields);
    if (subresource) return live();
    const given = obj.metadata.managedFields;
    if (isResetRequest(given)) return new Map();
    const decoded = decodeOrEmpty(given);
    return decoded.size > 0 ? decoded : live();
  }

  private stampApply(obj: KubeObject, old: KubeObject | undefined, id: string, time: string): void {
    const managed = decodeOrEmpty(obj.metadata.managedFields);
    const entry = managed.get(id);
    if (!entry) return;
    if (!entry.time || !old || !isDeepStrictEqual(contentOf(obj), contentOf(old))) entry.time = time;
    setManaged(obj.metadata, managed);
  }
}

function decodeOrEmpty(entries: unknown): Managed {
  try {
    return decodeManaged(entries);
  } catch {
    return new Map();
  }
}

function withoutManaged(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The object as a change would show: without ownership records or the resourceVersion. */
function contentOf(obj: KubeObject): KubeObject {
  const { managedFields: _m, resourceVersion: _rv, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

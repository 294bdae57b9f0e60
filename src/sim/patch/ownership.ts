import { ApiError } from '../api/errors.js';
import type { ResourceType } from '../kinds/types.js';
import { FieldSet, type Path, pathString } from './fieldset.js';
import { goQuote } from './gofmt.js';
import { type Managed, type ManagerEntry, managerId } from './managed.js';
import type { Shape } from './shape.js';
import { dropNulls, mergeApplied } from './ssa-merge.js';
import { compare, removeItems, toFieldSet, withNamedFields } from './typed.js';

/**
 * Field ownership, as structured-merge-diff's Updater keeps it: an update takes the fields it
 * changed from everybody else; an apply merges the configuration, removes fields its manager
 * applied before and dropped, and fails on fields other managers own with other values.
 */

export type ManagerIdentity = Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>;

/** Paths the managed sets never hold: server-set metadata, and what the endpoint resets. */
const STRIPPED = [
  'f:apiVersion',
  'f:kind',
  'f:metadata',
  'f:metadata f:name',
  'f:metadata f:namespace',
  'f:metadata f:creationTimestamp',
  'f:metadata f:deletionTimestamp',
  'f:metadata f:deletionGracePeriodSeconds',
  'f:metadata f:selfLink',
  'f:metadata f:uid',
  'f:metadata f:clusterName',
  'f:metadata f:generation',
  'f:metadata f:managedFields',
  'f:metadata f:resourceVersion',
];

export function ignoredPaths(type: ResourceType, subresource: string | undefined): (p: Path) => boolean {
  const stripped = new Set(STRIPPED);
  return (p) => {
    if (stripped.has(p.join(' '))) return true;
    if (subresource === 'status') return p[0] !== 'f:status';
    return !subresource && type.statusSubresource && p[0] === 'f:status';
  };
}

/** Record a create, update or non-apply patch: `next` replaced `live` on behalf of `self`. */
export function recordUpdate(
  managed: Managed,
  live: unknown,
  next: unknown,
  shape: Shape,
  self: ManagerIdentity,
  ignored: (p: Path) => boolean,
  time: string,
): void {
  const c = compare(live, next, shape);
  const changed = c.added.union(c.modified).filter((p) => !ignored(p));
  const removed = c.removed.filter((p) => !ignored(p));
  for (const [id, e] of managed) {
    e.set = e.set.difference(changed).difference(removed);
    if (e.set.isEmpty()) managed.delete(id);
  }
  if (changed.isEmpty()) return;
  const id = managerId(self);
  const previous = managed.get(id);
  managed.set(id, { ...self, time, set: previous ? previous.set.union(changed) : changed });
}

export interface Conflict {
  id: string;
  entry: ManagerEntry;
  path: Path;
}

export interface ApplyOutcome {
  object: unknown;
  managed: Managed;
}

/** Server-side apply of `config` to `live` (undefined when creating) by `self`. */
export function recordApply(
  managed: Managed,
  live: unknown,
  config: unknown,
  shape: Shape,
  self: ManagerIdentity,
  ignored: (p: Path) => boolean,
  force: boolean,
  /** Drops the conflicts a caller allows (an upgrade from client-side apply); what is left fails. */
  allowConflicts?: (conflicts: Conflict[]) => Conflict[],
): ApplyOutcome {
  const applied = toFieldSet(config, shape).filter((p) => !ignored(p));
  const merged = mergeApplied(live ?? {}, config, shape);
  const id = managerId(self);
  const last = managed.get(id);
  const next: Managed = new Map([...managed].map(([k, e]) => [k, { ...e }]));
  next.set(id, { ...self, time: last?.time, set: applied });
  const pruned = last ? prune(merged, shape, next, last.set) : merged;

  const c = compare(live, pruned, shape);
  const changed = c.added.union(c.modified).filter((p) => !ignored(p));
  const removed = c.removed.filter((p) => !ignored(p));
  const conflicts: Conflict[] = [];
  for (const [k, e] of next) {
    if (k === id) continue;
    for (const path of e.set.intersection(changed).paths()) conflicts.push({ id: k, entry: e, path });
  }
  if (conflicts.length > 0 && !force) {
    const left = allowConflicts ? allowConflicts(conflicts) : conflicts;
    if (left.length > 0) throw conflictError(left);
  }
  for (const [k, e] of next) {
    if (k === id) continue;
    e.set = e.set.difference(changed).difference(removed);
    if (e.set.isEmpty()) next.delete(k);
  }
  if (applied.isEmpty()) next.delete(id);
  return { object: dropNulls(pruned), managed: next };
}

/**
 * Remove what the applier owned last time and no longer applies, unless another manager
 * (or the new configuration) owns it; struct fields above owned fields count as owned.
 */
function prune(merged: unknown, shape: Shape, managed: Managed, last: FieldSet): unknown {
  if (last.isEmpty()) return merged;
  const lastNamed = withNamedFields(last, shape);
  let owned = FieldSet.empty();
  for (const e of managed.values()) owned = owned.union(e.set);
  const ownedNamed = withNamedFields(owned, shape);
  return removeItems(
    merged,
    shape,
    (p) => lastNamed.has(p) && !ownedNamed.has(p),
    (p) => lastNamed.hasPrefix(p),
  );
}

/** How a conflict names a manager: `"kubectl-edit" using apps/v1` for updaters. */
function printManager(e: ManagerEntry): string {
  let s = goQuote(e.manager);
  if (e.subresource) s += ` with subresource ${goQuote(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

export function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.entry)}: ${pathString(c.path)}`;
  } else {
    const ids = [...new Set(conflicts.map((c) => c.id))].sort();
    const lines: string[] = [];
    for (const id of ids) {
      const mine = conflicts.filter((c) => c.id === id);
      lines.push(`conflicts with ${printManager(mine[0]!.entry)}:`);
      for (const c of mine) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

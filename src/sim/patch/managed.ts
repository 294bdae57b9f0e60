import { timestamp } from '../api/validation/objectmeta.js';
import { FieldSet } from './fieldset.js';

/**
 * `metadata.managedFields` decoded into one field set per manager, and encoded back the way
 * the API server writes it: Apply entries first, then by time, manager, apiVersion and
 * subresource; entries that own nothing are dropped.
 */

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339, second precision. */
  time?: string;
  set: FieldSet;
}

/** Managers by identity: name, operation, subresource, and apiVersion for updaters. */
export type Managed = Map<string, ManagerEntry>;

/**
 * The identity upstream keys managers by: the entry without its fields and time, and without
 * its apiVersion for appliers (so each applier has one entry whatever version it used).
 */
export function managerId(
  e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation === 'Update' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** Decode managedFields; throws when an entry is not valid (callers fall back then). */
export function decodeManaged(entries: unknown): Managed {
  const out: Managed = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  for (const raw of entries) {
    if (raw === null || typeof raw !== 'object') throw new Error('managedFields entry must be an object');
    const e = raw as Record<string, any>;
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      throw new Error(`operation must be Apply or Update, got ${JSON.stringify(e.operation)}`);
    }
    if (e.fieldsType !== 'FieldsV1')
      throw new Error(`unsupported fieldsType ${JSON.stringify(e.fieldsType)}`);
    const entry: ManagerEntry = {
      manager: String(e.manager ?? ''),
      operation: e.operation,
      apiVersion: String(e.apiVersion ?? ''),
      subresource: e.subresource || undefined,
      time: typeof e.time === 'string' ? e.time : undefined,
      set: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}),
    };
    const id = managerId(entry);
    if (out.has(id)) throw new Error(`duplicate manager entry ${id}`);
    out.set(id, entry);
  }
  return out;
}

/** `[]` or `[{}]`: a client asking for the managed fields to be cleared. */
export function isResetRequest(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return (
    entries.length === 1 &&
    entries[0] !== null &&
    typeof entries[0] === 'object' &&
    Object.keys(entries[0] as object).length === 0
  );
}

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function encodeManaged(managed: Managed): Record<string, unknown>[] {
  const entries = [...managed.values()].filter((e) => !e.set.isEmpty());
  entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return entries.map((e) => {
    const out: Record<string, unknown> = { manager: e.manager, operation: e.operation };
    if (e.apiVersion) out.apiVersion = e.apiVersion;
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.set.toFieldsV1();
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/** Store the entries on the object (or remove the field when nobody owns anything). */
export function setManaged(metadata: Record<string, any>, managed: Managed): void {
  const encoded = encodeManaged(managed);
  if (encoded.length > 0) metadata.managedFields = encoded;
  else delete metadata.managedFields;
}

export const managedTime = (now: Date) => timestamp(now);

/** Upstream keeps at most this many updaters; older ones fold into `ancient-changes`. */
const MAX_UPDATE_MANAGERS = 10;

export function capUpdaters(managed: Managed): void {
  for (;;) {
    const updaters = [...managed.entries()].filter(([, e]) => e.operation === 'Update');
    if (updaters.length <= MAX_UPDATE_MANAGERS) return;
    const candidates = updaters
      .filter(([, e]) => e.manager !== ANCIENT)
      .sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || cmp(ia, ib));
    const oldest = candidates[0];
    if (!oldest) return;
    const [id, entry] = oldest;
    managed.delete(id);
    const bucket = { manager: ANCIENT, operation: 'Update' as const, apiVersion: entry.apiVersion };
    const prev = managed.get(managerId(bucket));
    managed.set(managerId(bucket), {
      ...bucket,
      time: prev?.time ?? entry.time,
      set: prev ? prev.set.union(entry.set) : entry.set,
    });
  }
}

const ANCIENT = 'ancient-changes';

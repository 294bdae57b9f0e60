import { isDeepStrictEqual } from 'node:util';
import { PatchApplyError, PatchFormatError } from './errors.js';

/** RFC 6902 JSON Patch as the API server applies it (json-patch v4 semantics). */

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw new PatchFormatError(`JSON pointer must be empty or start with a "/": ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function resolveParent(doc: unknown, tokens: string[], path: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= cur.length)
        throw new PatchApplyError(`doc is missing path: ${JSON.stringify(path)}: missing value`);
      cur = cur[i];
    } else if (cur !== null && typeof cur === 'object') {
      if (!Object.hasOwn(cur, t))
        throw new PatchApplyError(`doc is missing path: ${JSON.stringify(path)}: missing value`);
      cur = (cur as Record<string, unknown>)[t];
    } else {
      throw new PatchApplyError(`doc is missing path: ${JSON.stringify(path)}: missing value`);
    }
  }
  if (cur === null || typeof cur !== 'object') {
    throw new PatchApplyError(`doc is missing path: ${JSON.stringify(path)}: missing value`);
  }
  return { parent: cur as Container, key: tokens[tokens.length - 1]! };
}

function get(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length)
      throw new PatchApplyError(`doc is missing path: ${JSON.stringify(path)}: missing value`);
    return parent[i];
  }
  if (!Object.hasOwn(parent, key))
    throw new PatchApplyError(`doc is missing path: ${JSON.stringify(path)}: missing value`);
  return parent[key];
}

function remove(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new PatchApplyError('unable to remove the root of the document');
  const { parent, key } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length) {
      throw new PatchApplyError(`unable to remove nonexistent key: ${key}: missing value`);
    }
    return parent.splice(i, 1)[0];
  }
  if (!Object.hasOwn(parent, key))
    throw new PatchApplyError(`unable to remove nonexistent key: ${key}: missing value`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function add(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) {
    if (key === '-' && !replace) parent.push(value);
    else {
      const i = Number(key);
      const max = replace ? parent.length - 1 : parent.length;
      if (!/^\d+$/.test(key) || i > max)
        throw new PatchApplyError(`Unable to access invalid index: ${key}: invalid index referenced`);
      if (replace) parent[i] = value;
      else parent.splice(i, 0, value);
    }
  } else {
    // The API server applies JSON patches with json-patch v4, whose `replace` sets a key an
    // object lacks instead of failing (`replace /spec/minReadySeconds` works on a default 0).
    parent[key] = value;
  }
  return doc;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw new PatchFormatError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  let doc = structuredClone(target);
  for (const raw of patch as Operation[]) {
    if (!raw || typeof raw !== 'object' || typeof raw.op !== 'string') {
      throw new PatchFormatError('Unexpected kind: unknown');
    }
    if (typeof raw.path !== 'string') throw new PatchFormatError(`operation missing "path" field`);
    const needsValue = raw.op === 'add' || raw.op === 'replace' || raw.op === 'test';
    if (needsValue && !Object.hasOwn(raw, 'value')) {
      throw new PatchFormatError(`${raw.op} operation, missing value field`);
    }
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, structuredClone(raw.value), false);
        break;
      case 'replace':
        doc = add(doc, raw.path, structuredClone(raw.value), true);
        break;
      case 'remove':
        remove(doc, raw.path);
        break;
      case 'move': {
        if (typeof raw.from !== 'string') throw new PatchFormatError('move operation, missing from field');
        const v = remove(doc, raw.from);
        doc = add(doc, raw.path, v, false);
        break;
      }
      case 'copy': {
        if (typeof raw.from !== 'string') throw new PatchFormatError('copy operation, missing from field');
        doc = add(doc, raw.path, structuredClone(get(doc, raw.from)), false);
        break;
      }
      case 'test': {
        let actual: unknown;
        try {
          actual = get(doc, raw.path);
        } catch {
          actual = undefined;
        }
        if (!isDeepStrictEqual(actual ?? null, raw.value ?? null)) {
          throw new PatchApplyError(`testing value ${raw.path} failed: test failed`);
        }
        break;
      }
      default:
        throw new PatchFormatError(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}

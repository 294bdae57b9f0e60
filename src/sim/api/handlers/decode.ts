import type { ResourceType } from '../../kinds/types.js';
import { apiVersionOf } from '../../kinds/types.js';
import { goPlusV } from '../../schema/gofmt.js';
import type { KubeObject } from '../../store/types.js';
import { decodeBody, decodeWarnings } from '../content.js';
import { ApiError, badRequest, invalid } from '../errors.js';
import type { ApiServices, FieldValidation, PatchType } from '../services.js';
import type { HandlerRequest } from './context.js';

export function fieldValidationMode(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(
    `fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`,
  );
}

/** Read the body of a create or update as an object of the request's type. */
export function decodeObject(req: HandlerRequest): KubeObject {
  const raw = decodeBody(req.body, req.contentType);
  return checkObject(req.type, raw);
}

/** Check a decoded value is an object of `type` (apiVersion and kind), with upstream's errors. */
export function checkObject(type: ResourceType, raw: unknown): KubeObject {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw badRequest(
      `the object provided is not a JSON or YAML object: ${Array.isArray(raw) ? 'an array' : typeof raw}`,
    );
  }
  const obj = raw as KubeObject;
  if (obj.kind === undefined || obj.kind === '') {
    throw badRequest("Object 'Kind' is missing in '" + truncate(JSON.stringify(obj)) + "'");
  }
  if (obj.apiVersion === undefined || obj.apiVersion === '') {
    throw badRequest("Object 'apiVersion' is missing in '" + truncate(JSON.stringify(obj)) + "'");
  }
  const want = apiVersionOf(type);
  if (obj.apiVersion !== want) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`,
    );
  }
  if (obj.kind !== type.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${type.kind})`);
  }
  if (
    obj.metadata !== undefined &&
    (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))
  ) {
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${jsonType(obj.metadata)} into Go struct field ${type.kind}.metadata of type v1.ObjectMeta`,
    );
  }
  obj.metadata ??= {};
  return obj;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function truncate(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** What a patch request patched, for the errors upstream words differently for patches. */
export interface PatchSource {
  type: PatchType;
  /** The patch document as decoded from the request. */
  patch: unknown;
}

/**
 * Run the schema decoder: wrong types always fail; unknown fields fail in Strict mode, become
 * warnings in Warn mode and are dropped silently in Ignore mode. Creates and updates fail with
 * a BadRequest naming the kind; patches fail the way upstream's patch handler does (see
 * `patchError`).
 */
export function strictDecode(
  svc: ApiServices,
  type: ResourceType,
  obj: KubeObject,
  mode: FieldValidation,
  patch?: PatchSource,
): { object: KubeObject; warnings: string[] } {
  const result = svc.decoder.decode(type, obj);
  const kindName = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;
  if (result.typeErrors.length > 0) {
    if (patch && patch.type !== 'apply') throw patchError(patch, obj, result.typeErrors[0]!);
    throw badRequest(`${kindName}: ${result.typeErrors[0]}`);
  }
  if (patch?.type === 'apply' && result.unknownFields.length > 0) {
    // Server-side apply converts the applied object to its typed schema whatever the mode.
    const path = /^unknown field "(.*)"$/.exec(result.unknownFields[0]!)?.[1] ?? '';
    const ns = type.namespaced ? (obj.metadata.namespace ?? '') : '';
    throw new ApiError(
      500,
      'InternalError',
      `failed to create typed patch object (${ns}/${obj.metadata.name}; ${type.group}/${type.version}, Kind=${type.kind}): .${path}: field not declared in schema`,
    );
  }
  // Protobuf fields newer than the sim's table were skipped while decoding, as upstream skips them.
  const skipped = decodeWarnings(obj);
  if (result.unknownFields.length > 0) {
    if (mode === 'Strict') {
      const list = result.unknownFields;
      const detail = `strict decoding error: ${list.join(', ')}`;
      if (patch) throw patchError(patch, obj, detail);
      throw new ApiError(400, 'BadRequest', `${kindName}: ${detail}`);
    }
    if (mode === 'Warn') return { object: result.object, warnings: [...skipped, ...result.unknownFields] };
  }
  return { object: result.object, warnings: skipped };
}

/**
 * Upstream's patch handler reports decoding failures as an Invalid error on the field
 * `patch`, quoting the strategic merge patch as Go prints a map (`map[spec:map[…]]`), or the
 * patched object's JSON for JSON and merge patches.
 */
function patchError(patch: PatchSource, patched: KubeObject, detail: string): ApiError {
  const shown = patch.type === 'strategic' ? goPlusV(patch.patch) : JSON.stringify(sortKeys(patched));
  return invalid({ group: '', kind: '' }, '', [
    {
      type: 'FieldValueInvalid',
      field: 'patch',
      message: `Invalid value: ${JSON.stringify(shown)}: ${detail}`,
    },
  ]);
}

/** Keys in Go's order for maps: sorted, recursively. */
function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as T;
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, x]) => [k, sortKeys(x)])) as T;
}

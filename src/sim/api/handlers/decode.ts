import type { ResourceType } from '../../kinds/types.js';
import { apiVersionOf } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { decodeBody } from '../content.js';
import { ApiError, badRequest } from '../errors.js';
import type { ApiServices, FieldValidation } from '../services.js';
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

/**
 * Run the schema decoder: wrong types always fail; unknown fields fail in Strict mode, become
 * warnings in Warn mode and are dropped silently in Ignore mode.
 */
export function strictDecode(
  svc: ApiServices,
  type: ResourceType,
  obj: KubeObject,
  mode: FieldValidation,
): { object: KubeObject; warnings: string[] } {
  const result = svc.decoder.decode(type, obj);
  const kindName = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;
  if (result.typeErrors.length > 0) {
    throw badRequest(`${kindName}: ${result.typeErrors[0]}`);
  }
  if (result.unknownFields.length > 0) {
    if (mode === 'Strict') {
      const list = result.unknownFields;
      const detail = list.length === 1 ? list[0] : list.join(', ');
      throw new ApiError(400, 'BadRequest', `${kindName}: strict decoding error: ${detail}`);
    }
    if (mode === 'Warn') return { object: result.object, warnings: result.unknownFields };
  }
  return { object: result.object, warnings: [] };
}

/**
 * API errors as `metav1.Status` objects, worded like the upstream API server so kubectl prints
 * the messages people know (`Error from server (NotFound): pods "web" not found`).
 */

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'Expired'
  | 'Gone'
  | 'RequestEntityTooLarge'
  | 'InternalError'
  | 'Timeout'
  | 'TooManyRequests';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueNotFound'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The detail after the field path, e.g. `Required value` or `Invalid value: "x": must be …`. */
  message: string;
}

export interface GroupKind {
  group: string;
  kind: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Array<{ reason?: string; message: string; field?: string }>;
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
    };
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status;
  }
}

/** `pods` for the core group, `deployments.apps` otherwise: how upstream names a resource. */
export const qualifiedResource = (group: string, resource: string) =>
  group ? `${resource}.${group}` : resource;
export const qualifiedKind = (group: string, kind: string) => (group ? `${kind}.${group}` : kind);

export const notFound = (group: string, resource: string, name: string) =>
  new ApiError(404, 'NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const alreadyExists = (group: string, resource: string, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const conflict = (group: string, resource: string, name: string, why: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`,
    {
      name,
      group: group || undefined,
      kind: resource,
    },
  );

export const staleConflict = (group: string, resource: string, name: string) =>
  conflict(
    group,
    resource,
    name,
    'the object has been modified; please apply your changes to the latest version and try again',
  );

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);
export const methodNotAllowed = () =>
  new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
export const forbidden = (message: string, details?: StatusDetails) =>
  new ApiError(403, 'Forbidden', message, details);
export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');
export const internal = (message: string) =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

/** A field path and detail, formatted as `spec.replicas: Invalid value: -1: must be …`. */
export const formatFieldError = (e: FieldError) => `${e.field}: ${e.message}`;

export function invalid(gk: GroupKind, name: string, errors: FieldError[]): ApiError {
  const list = errors.map(formatFieldError);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualifiedKind(gk.group, gk.kind)} "${name}" is invalid: ${joined}`, {
    name,
    group: gk.group || undefined,
    kind: gk.kind,
    causes: errors.map((e) => ({
      reason: e.type,
      message: e.message,
      field: e.field,
    })),
  });
}

/** Render a value the way Go's field errors quote it: strings quoted, numbers bare. */
export function quoteValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const required = (field: string): FieldError => ({
  type: 'FieldValueRequired',
  field,
  message: 'Required value',
});
export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${quoteValue(value)}: ${detail}`,
});
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${quoteValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  message: `Duplicate value: ${quoteValue(value)}`,
});
export const forbiddenField = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  message: `Forbidden: ${detail}`,
});
export const tooLong = (field: string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  message: `Too long: may not be more than ${max} bytes`,
});

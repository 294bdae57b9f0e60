/** Small helpers for walking a CRD's openAPIV3Schema (a JSONSchemaProps tree as plain JSON). */

export type Schema = Record<string, any>;

/** `<path>.properties[<name>]`, as upstream's field paths name a property. */
export const key = (path: string, k: string) => `${path}.properties[${k}]`;
export const listOf = (v: unknown): Array<[number, Schema]> => (Array.isArray(v) ? [...v.entries()] : []);
export const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Go's "zero value" test. */
export const isSet = (v: unknown) =>
  !(v === undefined || v === null || v === false || v === '' || v === 0 || (Array.isArray(v) && !v.length));

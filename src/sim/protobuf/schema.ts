import schemaFile from './schema.json' with { type: 'json' };

/**
 * The wire schema of the Kubernetes API types, extracted from kubectl's embedded descriptors by
 * scripts/extract-proto-schema.mjs (see docs/sim-protobuf.md). Each field is stored as text,
 * `<jsonName> <prefix><type>`, and parsed here on first use of its message.
 */

export type ScalarType =
  | 'double'
  | 'float'
  | 'int64'
  | 'uint64'
  | 'int32'
  | 'fixed64'
  | 'fixed32'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'uint32'
  | 'sfixed32'
  | 'sfixed64'
  | 'sint32'
  | 'sint64';

export type ValueType = { scalar: ScalarType } | { message: string };

/**
 * How JSON treats the Go field, which protobuf cannot say alone (gogo writes every non-pointer
 * field, zero or not):
 * - `omitempty`: a non-pointer field JSON leaves out when zero;
 * - `always`: a non-pointer field JSON writes even when zero (no omitempty);
 * - `pointer`: a pointer field, set whenever it is on the wire, zero included;
 * - `repeated`: a slice;
 * - `inline`: an embedded struct whose fields JSON writes into the parent;
 * - `map`: a map, its entries keyed by `key`.
 */
export type Presence = 'omitempty' | 'always' | 'pointer' | 'repeated' | 'inline' | 'map';

export type FieldDef = {
  number: number;
  jsonName: string;
  presence: Presence;
  value: ValueType;
  /** The key type of a `map`. */
  key?: ScalarType;
};

interface SchemaFile {
  source: string;
  listWrappers: string[];
  messages: Record<string, Record<string, string>>;
}

const file: SchemaFile = schemaFile;
const parsed = new Map<string, Map<number, FieldDef>>();
const listWrappers = new Set(file.listWrappers);

const SCALARS = new Set<string>([
  'double',
  'float',
  'int64',
  'uint64',
  'int32',
  'fixed64',
  'fixed32',
  'bool',
  'string',
  'bytes',
  'uint32',
  'sfixed32',
  'sfixed64',
  'sint32',
  'sint64',
]);

function valueType(t: string): ValueType {
  return SCALARS.has(t) ? { scalar: t as ScalarType } : { message: t };
}

const PREFIXES: Array<[string, Presence]> = [
  ['[]', 'repeated'],
  ['...', 'inline'],
  ['*', 'pointer'],
  ['!', 'always'],
];

export function parseField(number: number, spec: string): FieldDef {
  const space = spec.indexOf(' ');
  const jsonName = spec.slice(0, space);
  let type = spec.slice(space + 1);
  const map = /^map<(\w+),(.+)>$/.exec(type);
  if (map) {
    return { number, jsonName, presence: 'map', key: map[1] as ScalarType, value: valueType(map[2]!) };
  }
  let presence: Presence = 'omitempty';
  for (const [prefix, p] of PREFIXES) {
    if (type.startsWith(prefix)) {
      presence = p;
      type = type.slice(prefix.length);
      break;
    }
  }
  return { number, jsonName, presence, value: valueType(type) };
}

/** The fields of a message by number, or undefined for a message the table does not have. */
export function messageFields(name: string): Map<number, FieldDef> | undefined {
  let fields = parsed.get(name);
  if (fields) return fields;
  const specs = file.messages[name];
  if (!specs) return undefined;
  fields = new Map(Object.entries(specs).map(([n, spec]) => [Number(n), parseField(Number(n), spec)]));
  parsed.set(name, fields);
  return fields;
}

export function hasMessage(name: string): boolean {
  return Object.hasOwn(file.messages, name);
}

/** Messages standing for a Go slice type, written in JSON as the array of their `items`. */
export function isListWrapper(name: string): boolean {
  return listWrappers.has(name);
}

/** Where the table came from (the kubectl version it was extracted from). */
export const schemaSource = file.source;

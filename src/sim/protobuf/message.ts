import { type FieldDef, isListWrapper, messageFields, type ScalarType, type ValueType } from './schema.js';
import { type EmbeddedDecoder, wellKnownValue } from './wellknown.js';
import { ProtobufError, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, WireReader } from './wire.js';

/**
 * Decode a protobuf message of the Kubernetes API into the JSON shape the API server would have
 * received from a JSON client: names from the JSON tags, zero values left out where JSON's
 * `omitempty` leaves them out, inlined structs merged into their parent.
 */

export interface DecodeContext {
  /** Fields the table does not know (sent by a newer client), skipped as upstream skips them. */
  warnings: string[];
  embedded: EmbeddedDecoder;
}

/** Kubernetes objects nest about 20 messages deep; anything far deeper is hostile. */
const MAX_DEPTH = 100;
/** Enough to tell a client what was skipped, without a Warning header as long as the body. */
const MAX_WARNINGS = 10;

const utf8 = new TextDecoder('utf-8');

type Json = unknown;

function wireOf(t: ScalarType): number {
  switch (t) {
    case 'string':
    case 'bytes':
      return WIRE_BYTES;
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return WIRE_FIXED64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return WIRE_FIXED32;
    default:
      return WIRE_VARINT;
  }
}

function scalar(r: WireReader, t: ScalarType): Json {
  switch (t) {
    case 'string':
      return utf8.decode(r.bytes());
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'uint32':
      return Number(BigInt.asUintN(32, r.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'uint64':
      return Number(r.varint());
    case 'sint32':
    case 'sint64': {
      const v = r.varint();
      return Number((v >> 1n) ^ -(v & 1n));
    }
    case 'double':
      return r.fixed64().getFloat64(0, true);
    case 'fixed64':
      return Number(r.fixed64().getBigUint64(0, true));
    case 'sfixed64':
      return Number(r.fixed64().getBigInt64(0, true));
    case 'float':
      return r.fixed32().getFloat32(0, true);
    case 'fixed32':
      return r.fixed32().getUint32(0, true);
    case 'sfixed32':
      return r.fixed32().getInt32(0, true);
  }
}

function isZero(v: Json): boolean {
  return v === 0 || v === '' || v === false;
}

function zeroOf(t: ValueType, ctx: DecodeContext, depth: number): Json {
  if ('message' in t) return messageValue(new Uint8Array(), t.message, ctx, depth, '');
  if (t.scalar === 'string' || t.scalar === 'bytes') return '';
  return t.scalar === 'bool' ? false : 0;
}

/** One value of a field: a scalar, or a message read from its length-delimited bytes. */
function value(
  r: WireReader,
  wire: number,
  f: FieldDef,
  ctx: DecodeContext,
  depth: number,
  path: string,
): Json {
  const t = f.value;
  const want = 'message' in t ? WIRE_BYTES : wireOf(t.scalar);
  if (wire !== want) throw new ProtobufError(`proto: wrong wireType = ${wire} for field ${f.jsonName}`);
  if ('message' in t) return messageValue(r.bytes(), t.message, ctx, depth, path);
  return scalar(r, t.scalar);
}

function messageValue(
  bytes: Uint8Array,
  name: string,
  ctx: DecodeContext,
  depth: number,
  path: string,
): Json {
  const known = wellKnownValue(name, bytes, ctx.embedded);
  if (known !== undefined) return known;
  const obj = decodeMessage(bytes, name, ctx, depth + 1, path);
  return isListWrapper(name) ? (obj.items ?? []) : obj;
}

function mapEntry(
  bytes: Uint8Array,
  f: FieldDef,
  ctx: DecodeContext,
  depth: number,
  path: string,
): [string, Json] {
  const r = new WireReader(bytes);
  const keyType: ValueType = { scalar: f.key! };
  let key: Json;
  let val: Json;
  while (!r.done) {
    const t = r.tag();
    if (t.field === 1) key = value(r, t.wire, { ...f, value: keyType }, ctx, depth, path);
    else if (t.field === 2) val = value(r, t.wire, f, ctx, depth, `${path}[]`);
    else r.skip(t.wire);
  }
  return [String(key ?? ''), val === undefined ? zeroOf(f.value, ctx, depth) : val];
}

/** The array or object a repeated or map field collects its values in. */
function slot<T extends Json>(obj: Record<string, Json>, key: string, empty: () => T): T {
  if (obj[key] === undefined) obj[key] = empty();
  return obj[key] as T;
}

function setField(
  obj: Record<string, Json>,
  r: WireReader,
  wire: number,
  f: FieldDef,
  ctx: DecodeContext,
  depth: number,
  path: string,
): void {
  const here = path === '' ? f.jsonName : `${path}.${f.jsonName}`;
  switch (f.presence) {
    case 'repeated': {
      const list = slot(obj, f.jsonName, (): Json[] => []);
      const each = 'scalar' in f.value ? wireOf(f.value.scalar) : WIRE_BYTES;
      if (wire === WIRE_BYTES && each !== WIRE_BYTES) {
        // Packed numbers: one length-delimited run of values.
        const packed = new WireReader(r.bytes());
        while (!packed.done) list.push(value(packed, each, f, ctx, depth, here));
      } else list.push(value(r, wire, f, ctx, depth, `${here}[${list.length}]`));
      return;
    }
    case 'map': {
      if (wire !== WIRE_BYTES)
        throw new ProtobufError(`proto: wrong wireType = ${wire} for field ${f.jsonName}`);
      const map = slot(obj, f.jsonName, (): Record<string, Json> => ({}));
      const [k, v] = mapEntry(r.bytes(), f, ctx, depth, here);
      // An own property even for a key like `__proto__`, as JSON.parse would make it.
      Object.defineProperty(map, k, { value: v, enumerable: true, writable: true, configurable: true });
      return;
    }
    case 'inline': {
      const inner = value(r, wire, f, ctx, depth, path);
      if (inner && typeof inner === 'object') Object.assign(obj, inner);
      return;
    }
    case 'omitempty': {
      const v = value(r, wire, f, ctx, depth, here);
      // Go's omitempty never leaves out a struct, so an IntOrString of 0 is still written.
      if ('scalar' in f.value && isZero(v)) delete obj[f.jsonName];
      else obj[f.jsonName] = v;
      return;
    }
    default:
      obj[f.jsonName] = value(r, wire, f, ctx, depth, here);
  }
}

/** Decode the bytes of message `name` (a full protobuf name) into a JSON object. */
export function decodeMessage(
  bytes: Uint8Array,
  name: string,
  ctx: DecodeContext,
  depth = 0,
  path = '',
): Record<string, Json> {
  if (depth > MAX_DEPTH) throw new ProtobufError(`the object nests more than ${MAX_DEPTH} messages deep`);
  const fields = messageFields(name);
  if (!fields) throw new ProtobufError(`no protobuf schema for ${name}`);
  const obj: Record<string, Json> = {};
  const r = new WireReader(bytes);
  while (!r.done) {
    const t = r.tag();
    const f = fields.get(t.field);
    if (!f) {
      if (ctx.warnings.length < MAX_WARNINGS) {
        const where = path ? ` in "${path}"` : '';
        ctx.warnings.push(`unknown field number ${t.field} of ${name.split('.').at(-1)}${where} was ignored`);
      }
      r.skip(t.wire);
      continue;
    }
    setField(obj, r, t.wire, f, ctx, depth, path);
  }
  return obj;
}

import { ProtobufError, WIRE_BYTES, WIRE_VARINT, WireReader } from './wire.js';

/**
 * apimachinery types whose JSON form is not the JSON of their protobuf message: each has its own
 * MarshalJSON upstream (`Time` is an RFC 3339 string, `IntOrString` a number or a string…).
 */

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const DURATION = `${META}.Duration`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
export const QUANTITY_VALUE = 'k8s.io.apimachinery.pkg.api.resource.QuantityValue';
export const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
export const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension';
export const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';

/** Go's zero `time.Time` in Unix seconds: upstream writes it as JSON `null`. */
const ZERO_TIME_SECONDS = -62135596800n;

const utf8 = new TextDecoder('utf-8');

/** Decode the fields of a small fixed message: field number → varint or bytes. */
function smallMessage(bytes: Uint8Array): Map<number, bigint | Uint8Array> {
  const out = new Map<number, bigint | Uint8Array>();
  const r = new WireReader(bytes);
  while (!r.done) {
    const t = r.tag();
    if (t.wire === WIRE_VARINT) out.set(t.field, r.varint());
    else if (t.wire === WIRE_BYTES) out.set(t.field, r.bytes());
    else r.skip(t.wire);
  }
  return out;
}

function int(v: bigint | Uint8Array | undefined, what: string): bigint {
  if (v === undefined) return 0n;
  if (typeof v !== 'bigint') throw new ProtobufError(`proto: wrong wireType = 2 for field ${what}`);
  return BigInt.asIntN(64, v);
}

function bytesOf(v: bigint | Uint8Array | undefined, what: string): Uint8Array {
  if (v === undefined) return new Uint8Array();
  if (typeof v === 'bigint') throw new ProtobufError(`proto: wrong wireType = 0 for field ${what}`);
  return v;
}

function rfc3339(seconds: bigint, micros?: bigint): string {
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return micros === undefined ? `${base}Z` : `${base}.${micros.toString().padStart(6, '0')}Z`;
}

function timeValue(bytes: Uint8Array, micro: boolean): string | null {
  if (bytes.length === 0) return null;
  const m = smallMessage(bytes);
  const seconds = int(m.get(1), 'Seconds');
  const nanos = int(m.get(2), 'Nanos');
  if (seconds === ZERO_TIME_SECONDS && nanos === 0n) return null;
  // Time keeps whole seconds only (upstream drops nanos when it decodes); MicroTime keeps µs.
  return micro ? rfc3339(seconds, (nanos < 0n ? 0n : nanos) / 1000n) : rfc3339(seconds);
}

function fraction(v: bigint, unit: bigint, digits: number): string {
  const whole = v / unit;
  const rest = v % unit;
  if (rest === 0n) return whole.toString();
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** A duration in nanoseconds as Go's `time.Duration.String()` writes it (`1h0m0s`, `1.5s`, `300ms`). */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  let u = ns < 0n ? -ns : ns;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 1000n, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 1_000_000n, 6)}ms`;
  const hours = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const minutes = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  const seconds = `${fraction(u, 1_000_000_000n, 9)}s`;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (e) {
    throw new ProtobufError(`${what} is not JSON: ${(e as Error).message}`);
  }
}

/** Raw bytes that are themselves a Kubernetes protobuf object (`k8s\0…`). */
export type EmbeddedDecoder = (bytes: Uint8Array) => unknown;

export const K8S_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export function hasMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && K8S_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * The JSON value of a well-known message, or `undefined` when `name` is an ordinary message.
 * `embedded` decodes a RawExtension holding a protobuf object rather than JSON.
 */
export function wellKnownValue(name: string, bytes: Uint8Array, embedded: EmbeddedDecoder): unknown {
  switch (name) {
    case TIME:
      return timeValue(bytes, false);
    case MICRO_TIME:
      return timeValue(bytes, true);
    case DURATION:
      return goDuration(int(smallMessage(bytes).get(1), 'Duration'));
    case QUANTITY:
    case QUANTITY_VALUE: {
      const s = utf8.decode(bytesOf(smallMessage(bytes).get(1), 'Quantity'));
      return s === '' ? '0' : s;
    }
    case INT_OR_STRING: {
      const m = smallMessage(bytes);
      if (int(m.get(1), 'Type') === 1n) return utf8.decode(bytesOf(m.get(3), 'StrVal'));
      return Number(BigInt.asIntN(32, int(m.get(2), 'IntVal')));
    }
    case FIELDS_V1:
      return parseJson(bytesOf(smallMessage(bytes).get(1), 'Raw'), 'fieldsV1');
    case RAW_EXTENSION: {
      const raw = bytesOf(smallMessage(bytes).get(1), 'Raw');
      return hasMagic(raw) ? embedded(raw) : parseJson(raw, 'the embedded object');
    }
    default:
      return undefined;
  }
}

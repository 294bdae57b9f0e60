/**
 * The protobuf wire format, read from untrusted bytes: every read checks its bounds and throws a
 * `ProtobufError` instead of running past the end or looping.
 */

export class ProtobufError extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

export interface Tag {
  field: number;
  wire: number;
}

/** A cursor over one message's bytes. */
export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  tag(): Tag {
    const v = this.varint();
    const field = Number(v >> 3n);
    const wire = Number(v & 7n);
    if (field <= 0 || field > 0x1fffffff) throw new ProtobufError(`illegal tag ${field} (wire type ${wire})`);
    return { field, wire };
  }

  /** A varint as an unsigned 64-bit value. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new ProtobufError('unexpected EOF');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError('integer overflow');
  }

  fixed32(): DataView {
    return this.view(4);
  }

  fixed64(): DataView {
    return this.view(8);
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (len > BigInt(this.buf.length - this.pos)) throw new ProtobufError('unexpected EOF');
    const out = this.buf.subarray(this.pos, this.pos + Number(len));
    this.pos += Number(len);
    return out;
  }

  /** Skip a field of an unknown number, as generated code does for fields newer than itself. */
  skip(wire: number, depth = 0): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.view(8);
        return;
      case WIRE_BYTES:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.view(4);
        return;
      case WIRE_START_GROUP:
        if (depth > 64) throw new ProtobufError('groups nest too deep');
        for (;;) {
          const t = this.tag();
          if (t.wire === WIRE_END_GROUP) return;
          this.skip(t.wire, depth + 1);
        }
      default:
        throw new ProtobufError(`illegal wireType ${wire}`);
    }
  }

  private view(n: number): DataView {
    if (this.pos + n > this.buf.length) throw new ProtobufError('unexpected EOF');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }
}

/**
 * The slice of the protobuf wire format ONNX files need
 * (https://protobuf.dev/programming-guides/encoding/): varints, fixed32 and length-delimited
 * fields. Integers are JavaScript numbers, so they must be non-negative safe integers (ONNX
 * dims, versions and enums all are).
 */

export const WireType = { Varint: 0, Fixed64: 1, Len: 2, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  varint(field: number, value: number): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(value);
    return this;
  }

  /** An int64 field that may be negative: two's complement, so ten bytes for any negative value. */
  int64(field: number, value: number): this {
    if (value >= 0) return this.varint(field, value);
    if (!Number.isSafeInteger(value)) throw new RangeError(`int64 must be a safe integer, got ${value}`);
    this.tag(field, WireType.Varint);
    this.ensure(10);
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  /** Several varints as one packed field (proto3's default for repeated scalars). */
  packedVarints(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.bytes(field, inner.finish());
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.Len);
    this.rawVarint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  /** A nested message, written by `build` into its own writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  private tag(field: number, wire: WireType): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`bad field number ${field}`);
    this.rawVarint(field * 8 + wire);
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint must be a non-negative safe integer, got ${value}`);
    this.ensure(10);
    // arithmetic, not bitwise: bitwise operators would cut values to 32 bits
    while (value >= 0x80) {
      this.buf[this.len++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buf[this.len++] = value;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

export interface ProtoField {
  field: number;
  wire: WireType;
  /** a varint as int64 (may be negative), a fixed32 as uint32, a fixed64's low 53 bits, a length-delimited field's length */
  value: number;
  /** the payload of a length-delimited field (a view into the input) */
  bytes: Uint8Array;
}

export class ProtoFormatError extends Error {
  override name = 'ProtoFormatError';
}

/**
 * Reads one varint at `at.pos`, moving it on, as an int64: ten-byte two's-complement values
 * come back negative. Up to 7 bytes (49 bits) are summed exactly in a double; longer ones go
 * through BigInt.
 */
function readVarint(data: Uint8Array, at: { pos: number }): number {
  const start = at.pos;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    if (at.pos >= data.length) throw new ProtoFormatError('truncated varint');
    const b = data[at.pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 0x80;
  }
  let big = 0n;
  at.pos = start;
  for (let i = 0; i < 10; i++) {
    if (at.pos >= data.length) throw new ProtoFormatError('truncated varint');
    const b = data[at.pos++];
    big |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) return Number(BigInt.asIntN(64, big));
  }
  throw new ProtoFormatError('varint longer than 10 bytes');
}

/** Walks the fields of one message in order. Throws ProtoFormatError on truncated or malformed input. */
export function* readFields(data: Uint8Array): Generator<ProtoField> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const empty = data.subarray(0, 0);
  const at = { pos: 0 };
  while (at.pos < data.length) {
    const key = readVarint(data, at);
    if (key < 0) throw new ProtoFormatError('bad field key');
    const field = Math.floor(key / 8);
    const wire = (key % 8) as WireType;
    if (field < 1) throw new ProtoFormatError(`bad field number ${field}`);
    const pos = at.pos;
    switch (wire) {
      case WireType.Varint:
        yield { field, wire, value: readVarint(data, at), bytes: empty };
        break;
      case WireType.Fixed32:
        if (pos + 4 > data.length) throw new ProtoFormatError('truncated fixed32');
        at.pos += 4;
        yield { field, wire, value: view.getUint32(pos, true), bytes: data.subarray(pos, pos + 4) };
        break;
      case WireType.Fixed64:
        if (pos + 8 > data.length) throw new ProtoFormatError('truncated fixed64');
        at.pos += 8;
        yield { field, wire, value: Number(view.getBigUint64(pos, true) & 0x1fffffffffffffn), bytes: data.subarray(pos, pos + 8) };
        break;
      case WireType.Len: {
        const n = readVarint(data, at);
        if (n < 0) throw new ProtoFormatError('negative length');
        const start = at.pos;
        if (start + n > data.length) throw new ProtoFormatError('truncated length-delimited field');
        at.pos += n;
        yield { field, wire, value: n, bytes: data.subarray(start, start + n) };
        break;
      }
      default:
        throw new ProtoFormatError(`unsupported wire type ${wire as number}`);
    }
  }
}

export function decodeString(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    throw new ProtoFormatError('string field is not UTF-8');
  }
}

/** A fixed32 payload as a float. */
export function decodeFloat(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0, true);
}

/** The values of a repeated varint field, packed or not. */
export function decodePackedVarints(f: ProtoField): number[] {
  if (f.wire === WireType.Varint) return [f.value];
  if (f.wire !== WireType.Len) throw new ProtoFormatError(`field ${f.field}: expected varints`);
  const out: number[] = [];
  const at = { pos: 0 };
  while (at.pos < f.bytes.length) out.push(readVarint(f.bytes, at));
  return out;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtoFormatError, ProtoWriter, WireType, decodeFloat, decodePackedVarints, decodeString, readFields } from './protobuf';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('protobuf writer', () => {
  it('encodes the examples of the protobuf encoding guide', () => {
    expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().message(3, (w) => w.varint(1, 150)).finish())).toBe('1a03089601');
    expect(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
  });

  it('writes negative int64 as ten bytes of two’s complement', () => {
    expect(hex(new ProtoWriter().int64(3, -1).finish())).toBe('18ffffffffffffffffff01');
    expect(hex(new ProtoWriter().int64(3, 5).finish())).toBe('1805');
  });

  it('writes floats as little-endian fixed32', () => {
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
  });

  it('refuses values it cannot encode exactly', () => {
    expect(() => new ProtoWriter().varint(1, -1)).toThrow(RangeError);
    expect(() => new ProtoWriter().varint(1, 2 ** 53)).toThrow(RangeError);
    expect(() => new ProtoWriter().varint(1, 1.5)).toThrow(RangeError);
    expect(() => new ProtoWriter().varint(0, 1)).toThrow(RangeError);
  });
});

describe('protobuf reader', () => {
  it('reads back what the writer wrote', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('v' as const), field: fc.integer({ min: 1, max: 5000 }), v: fc.maxSafeNat() }),
            fc.record({ kind: fc.constant('i' as const), field: fc.integer({ min: 1, max: 5000 }), v: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }) }),
            fc.record({ kind: fc.constant('s' as const), field: fc.integer({ min: 1, max: 5000 }), v: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
            fc.record({ kind: fc.constant('f' as const), field: fc.integer({ min: 1, max: 5000 }), v: fc.float({ noNaN: true }) }),
          ),
          { maxLength: 20 },
        ),
        (items) => {
          const w = new ProtoWriter();
          for (const it of items) {
            if (it.kind === 'v') w.varint(it.field, it.v);
            else if (it.kind === 'i') w.int64(it.field, it.v);
            else if (it.kind === 's') w.string(it.field, it.v);
            else w.float(it.field, it.v);
          }
          const read = [...readFields(w.finish())];
          expect(read.length).toBe(items.length);
          read.forEach((f, k) => {
            const it = items[k];
            expect(f.field).toBe(it.field);
            if (it.kind === 's') expect(decodeString(f.bytes)).toBe(it.v);
            else if (it.kind === 'f') {
              expect(f.wire).toBe(WireType.Fixed32);
              expect(decodeFloat(f.bytes)).toBe(Math.fround(it.v));
            } else {
              expect(f.wire).toBe(WireType.Varint);
              expect(f.value).toBe(it.v);
            }
          });
        },
      ),
    );
  });

  it('reads packed and unpacked repeated varints', () => {
    const [packed] = [...readFields(new ProtoWriter().packedVarints(1, [0, 1, 300, 2 ** 40]).finish())];
    expect(decodePackedVarints(packed)).toEqual([0, 1, 300, 2 ** 40]);
    const [single] = [...readFields(new ProtoWriter().varint(1, 7).finish())];
    expect(decodePackedVarints(single)).toEqual([7]);
  });

  it('throws ProtoFormatError on truncated or malformed input', () => {
    const bytes = new ProtoWriter().string(2, 'testing').finish();
    expect(() => [...readFields(bytes.subarray(0, bytes.length - 1))]).toThrow(ProtoFormatError);
    expect(() => [...readFields(Uint8Array.of(0x08, 0x96))]).toThrow(ProtoFormatError);
    expect(() => [...readFields(Uint8Array.of(0x0b))]).toThrow(ProtoFormatError); // wire type 3 (groups)
    expect(() => [...readFields(Uint8Array.of(0x15, 0, 0))]).toThrow(ProtoFormatError);
    expect(() => [...readFields(new Uint8Array(12).fill(0xff))]).toThrow(ProtoFormatError);
    expect(() => decodeString(Uint8Array.of(0xff, 0xfe))).toThrow(ProtoFormatError);
  });
});

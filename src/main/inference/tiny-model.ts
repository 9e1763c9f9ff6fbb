/**
 * A minimal ONNX model built byte by byte, for runtime tests that must not depend on the
 * trained model: `probabilities = Softmax(features)` over [batch, width].
 */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
};
const field = (no: number, bytes: number[]) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
const int = (no: number, n: number) => [...varint(no << 3), ...varint(n)];
const str = (no: number, s: string) => field(no, [...Buffer.from(s)]);

/** TypeProto.tensor(float, [batch, width]) inside a ValueInfoProto named `name`. */
function valueInfo(name: string, width: number): number[] {
  const dims = [...field(1, str(2, 'batch')), ...field(1, int(1, width))];
  return [...str(1, name), ...field(2, field(1, [...int(1, 1), ...field(2, dims)]))];
}

export function tinySoftmaxModel(input: string, output: string, width = 3): Uint8Array {
  const node = [...str(1, input), ...str(2, output), ...str(4, 'Softmax')];
  const graph = [...field(1, node), ...str(2, 'tiny'), ...field(11, valueInfo(input, width)), ...field(12, valueInfo(output, width))];
  return Uint8Array.from([...int(1, 8), ...field(7, graph), ...field(8, [...str(1, ''), ...int(2, 17)])]);
}

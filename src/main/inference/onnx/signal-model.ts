/**
 * The signal model as an ONNX file, written and read with our own protobuf code (no ONNX schema
 * package is installed). Field numbers are those of onnx/onnx.proto
 * (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto); the graph uses opset 17, IR 8:
 *
 *   features ─Sub(mean)─Div(std)─Gemm─Relu─Gemm─Relu─ … ─Gemm─Softmax(axis −1)─► probabilities
 *
 * with a symbolic batch dimension. onnxruntime-node does not expose a model's metadata_props,
 * so readOnnxModel reads them (and the graph) back.
 */
import { MODEL_INPUT, MODEL_OUTPUT } from '../model-contract';
import type { DenseLayer, SignalModel } from '../train/mlp';
import { ProtoFormatError, ProtoWriter, WireType, decodeFloat, decodePackedVarints, decodeString, readFields, type ProtoField } from './protobuf';

export const IR_VERSION = 8;
export const OPSET = 17;
const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const BATCH_DIM = 'batch';

/** Field numbers in onnx.proto, by message. */
const F = {
  model: { irVersion: 1, producerName: 2, producerVersion: 3, domain: 4, modelVersion: 5, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 },
  opset: { domain: 1, version: 2 },
  entry: { key: 1, value: 2 },
  graph: { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5 },
  attribute: { name: 1, f: 2, i: 3, type: 20 },
  tensor: { dims: 1, dataType: 2, name: 8, rawData: 9, floatData: 4 },
  valueInfo: { name: 1, type: 2 },
  type: { tensorType: 1 },
  tensorType: { elemType: 1, shape: 2 },
  shape: { dim: 1 },
  dim: { value: 1, param: 2 },
} as const;

type Attr = { name: string; f: number } | { name: string; i: number };

interface Node {
  op: string;
  inputs: string[];
  output: string;
  attrs?: Attr[];
}

export interface ExportOptions {
  /** metadata_props, in this order */
  metadata: Readonly<Record<string, string>>;
  producerVersion?: string;
  docString?: string;
}

/** The ONNX bytes of `model`: raw features in, class probabilities out. */
export function encodeSignalModel(model: SignalModel, opts: ExportOptions): Uint8Array {
  const f = model.mean.length;
  if (model.std.length !== f) throw new RangeError('mean and std differ in length');
  if (model.layers.length === 0 || model.layers[0].inputs !== f) throw new RangeError('the first layer must take one input per feature');
  model.layers.forEach((l, i) => {
    if (i > 0 && l.inputs !== model.layers[i - 1].outputs) throw new RangeError(`layer ${i} takes ${l.inputs} inputs, the one before gives ${model.layers[i - 1].outputs}`);
    if (l.weight.length !== l.inputs * l.outputs || l.bias.length !== l.outputs) throw new RangeError(`layer ${i}: weight or bias has the wrong size`);
  });
  const classes = model.layers[model.layers.length - 1].outputs;

  const initializers: Array<{ name: string; dims: number[]; data: Float32Array }> = [
    { name: 'norm_mean', dims: [f], data: model.mean },
    { name: 'norm_std', dims: [f], data: model.std },
  ];
  const nodes: Node[] = [
    { op: 'Sub', inputs: [MODEL_INPUT, 'norm_mean'], output: 'centered' },
    { op: 'Div', inputs: ['centered', 'norm_std'], output: 'normalized' },
  ];
  let x = 'normalized';
  model.layers.forEach((layer: DenseLayer, i) => {
    const n = i + 1;
    initializers.push({ name: `fc${n}_weight`, dims: [layer.inputs, layer.outputs], data: layer.weight });
    initializers.push({ name: `fc${n}_bias`, dims: [layer.outputs], data: layer.bias });
    const last = i === model.layers.length - 1;
    const y = last ? 'logits' : `fc${n}`;
    nodes.push({
      op: 'Gemm',
      inputs: [x, `fc${n}_weight`, `fc${n}_bias`],
      output: y,
      attrs: [{ name: 'alpha', f: 1 }, { name: 'beta', f: 1 }, { name: 'transA', i: 0 }, { name: 'transB', i: 0 }],
    });
    x = y;
    if (!last) {
      nodes.push({ op: 'Relu', inputs: [y], output: `relu${n}` });
      x = `relu${n}`;
    }
  });
  nodes.push({ op: 'Softmax', inputs: ['logits'], output: MODEL_OUTPUT, attrs: [{ name: 'axis', i: -1 }] });

  const w = new ProtoWriter();
  w.varint(F.model.irVersion, IR_VERSION);
  w.string(F.model.producerName, 'pulse');
  w.string(F.model.producerVersion, opts.producerVersion ?? '1');
  w.string(F.model.domain, 'pulse.signal');
  w.varint(F.model.modelVersion, 1);
  if (opts.docString) w.string(F.model.docString, opts.docString);
  w.message(F.model.graph, (g) => {
    nodes.forEach((node, i) =>
      g.message(F.graph.node, (nw) => {
        for (const inp of node.inputs) nw.string(F.node.input, inp);
        nw.string(F.node.output, node.output);
        nw.string(F.node.name, `${node.op.toLowerCase()}_${i}`);
        nw.string(F.node.opType, node.op);
        for (const a of node.attrs ?? []) nw.message(F.node.attribute, (aw) => writeAttr(aw, a));
      }),
    );
    g.string(F.graph.name, 'pulse_signal');
    for (const t of initializers) {
      g.message(F.graph.initializer, (tw) => {
        tw.packedVarints(F.tensor.dims, t.dims);
        tw.varint(F.tensor.dataType, FLOAT);
        tw.string(F.tensor.name, t.name);
        tw.bytes(F.tensor.rawData, float32LE(t.data));
      });
    }
    g.message(F.graph.input, (vw) => writeValueInfo(vw, MODEL_INPUT, f));
    g.message(F.graph.output, (vw) => writeValueInfo(vw, MODEL_OUTPUT, classes));
  });
  w.message(F.model.opsetImport, (ow) => {
    ow.string(F.opset.domain, '');
    ow.varint(F.opset.version, OPSET);
  });
  for (const [key, value] of Object.entries(opts.metadata)) {
    w.message(F.model.metadataProps, (ew) => {
      ew.string(F.entry.key, key);
      ew.string(F.entry.value, value);
    });
  }
  return w.finish();
}

function writeAttr(w: ProtoWriter, a: Attr): void {
  w.string(F.attribute.name, a.name);
  if ('f' in a) {
    w.float(F.attribute.f, a.f);
    w.varint(F.attribute.type, ATTR_FLOAT);
  } else {
    w.int64(F.attribute.i, a.i);
    w.varint(F.attribute.type, ATTR_INT);
  }
}

function writeValueInfo(w: ProtoWriter, name: string, width: number): void {
  w.string(F.valueInfo.name, name);
  w.message(F.valueInfo.type, (tw) =>
    tw.message(F.type.tensorType, (tt) => {
      tt.varint(F.tensorType.elemType, FLOAT);
      tt.message(F.tensorType.shape, (sw) => {
        sw.message(F.shape.dim, (dw) => dw.string(F.dim.param, BATCH_DIM));
        sw.message(F.shape.dim, (dw) => dw.varint(F.dim.value, width));
      });
    }),
  );
}

function float32LE(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  /** int attributes as numbers (negative ones included), float attributes as numbers */
  attributes: Record<string, number>;
}

export interface OnnxModelInfo {
  irVersion: number;
  opsets: Array<{ domain: string; version: number }>;
  producerName: string;
  metadata: Record<string, string>;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  inputs: string[];
  outputs: string[];
}

/** Reads what this module writes (and the same fields of any ONNX model with float initializers). */
export function readOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  const info: OnnxModelInfo = {
    irVersion: 0,
    opsets: [],
    producerName: '',
    metadata: {},
    nodes: [],
    initializers: new Map(),
    inputs: [],
    outputs: [],
  };
  for (const fld of readFields(bytes)) {
    switch (fld.field) {
      case F.model.irVersion:
        info.irVersion = fld.value;
        break;
      case F.model.producerName:
        info.producerName = decodeString(len(fld).bytes);
        break;
      case F.model.opsetImport: {
        const o = { domain: '', version: 0 };
        for (const x of readFields(len(fld).bytes)) {
          if (x.field === F.opset.domain) o.domain = decodeString(len(x).bytes);
          if (x.field === F.opset.version) o.version = x.value;
        }
        info.opsets.push(o);
        break;
      }
      case F.model.metadataProps: {
        let key = '';
        let value = '';
        for (const x of readFields(len(fld).bytes)) {
          if (x.field === F.entry.key) key = decodeString(len(x).bytes);
          if (x.field === F.entry.value) value = decodeString(len(x).bytes);
        }
        info.metadata[key] = value;
        break;
      }
      case F.model.graph:
        readGraph(len(fld).bytes, info);
        break;
    }
  }
  return info;
}

/** Just the metadata_props of an ONNX model, as a plain object. */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  return readOnnxModel(bytes).metadata;
}

function readGraph(bytes: Uint8Array, info: OnnxModelInfo): void {
  for (const fld of readFields(bytes)) {
    if (fld.field === F.graph.node) info.nodes.push(readNode(len(fld).bytes));
    else if (fld.field === F.graph.initializer) {
      const t = readTensor(len(fld).bytes);
      info.initializers.set(t.name, t);
    } else if (fld.field === F.graph.input || fld.field === F.graph.output) {
      let name = '';
      for (const x of readFields(len(fld).bytes)) if (x.field === F.valueInfo.name) name = decodeString(len(x).bytes);
      (fld.field === F.graph.input ? info.inputs : info.outputs).push(name);
    }
  }
}

function readNode(bytes: Uint8Array): OnnxNode {
  const node: OnnxNode = { opType: '', inputs: [], outputs: [], attributes: {} };
  for (const fld of readFields(bytes)) {
    if (fld.field === F.node.input) node.inputs.push(decodeString(len(fld).bytes));
    else if (fld.field === F.node.output) node.outputs.push(decodeString(len(fld).bytes));
    else if (fld.field === F.node.opType) node.opType = decodeString(len(fld).bytes);
    else if (fld.field === F.node.attribute) {
      let name = '';
      let value = NaN;
      for (const x of readFields(len(fld).bytes)) {
        if (x.field === F.attribute.name) name = decodeString(len(x).bytes);
        else if (x.field === F.attribute.f && x.wire === WireType.Fixed32) value = decodeFloat(x.bytes);
        else if (x.field === F.attribute.i && x.wire === WireType.Varint) value = x.value;
      }
      node.attributes[name] = value;
    }
  }
  return node;
}

function readTensor(bytes: Uint8Array): OnnxTensor {
  let name = '';
  let dims: number[] = [];
  let dataType = 0;
  let data: Float32Array | null = null;
  const floats: number[] = [];
  for (const fld of readFields(bytes)) {
    if (fld.field === F.tensor.dims) dims = dims.concat(decodePackedVarints(fld));
    else if (fld.field === F.tensor.dataType) dataType = fld.value;
    else if (fld.field === F.tensor.name) name = decodeString(len(fld).bytes);
    else if (fld.field === F.tensor.rawData) {
      const view = new DataView(fld.bytes.buffer, fld.bytes.byteOffset, fld.bytes.byteLength);
      data = Float32Array.from({ length: fld.bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
    } else if (fld.field === F.tensor.floatData) {
      if (fld.wire === WireType.Fixed32) floats.push(decodeFloat(fld.bytes));
      else for (let i = 0; i + 4 <= fld.bytes.length; i += 4) floats.push(decodeFloat(fld.bytes.subarray(i)));
    }
  }
  if (dataType !== FLOAT) throw new ProtoFormatError(`initializer ${name}: only float tensors are read, got data type ${dataType}`);
  return { name, dims, data: data ?? Float32Array.from(floats) };
}

function len(f: ProtoField): ProtoField {
  if (f.wire !== WireType.Len) throw new ProtoFormatError(`field ${f.field}: expected a length-delimited value`);
  return f;
}

/** The SignalModel held by an ONNX file this module wrote (for a TypeScript forward pass of it). */
export function signalModelFromOnnx(info: OnnxModelInfo): SignalModel {
  const get = (name: string): OnnxTensor => {
    const t = info.initializers.get(name);
    if (!t) throw new ProtoFormatError(`the model has no initializer ${name}`);
    return t;
  };
  const layers: DenseLayer[] = [];
  for (let n = 1; info.initializers.has(`fc${n}_weight`); n++) {
    const w = get(`fc${n}_weight`);
    layers.push({ inputs: w.dims[0], outputs: w.dims[1], weight: w.data, bias: get(`fc${n}_bias`).data });
  }
  return { mean: get('norm_mean').data, std: get('norm_std').data, layers };
}

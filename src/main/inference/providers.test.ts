import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { candidates, currentEnvironment, precheck, selectProvider, type Environment } from './providers';

const linuxNoGpu: Environment = { platform: 'linux', arch: 'x64', binDir: '/ort/bin', exists: () => false };

describe('execution provider selection', () => {
  it('orders candidates per platform, CPU always last', () => {
    expect(candidates('auto', 'darwin', false)).toEqual(['coreml', 'cpu']);
    expect(candidates('auto', 'linux', false)).toEqual(['cuda', 'cpu']);
    expect(candidates('auto', 'win32', false)).toEqual(['cuda', 'cpu']);
    expect(candidates('tensorrt', 'linux', false)).toEqual(['tensorrt', 'cuda', 'cpu']);
    expect(candidates('cpu', 'darwin', false)).toEqual(['cpu']);
    expect(candidates('cuda', 'linux', true)).toEqual(['cuda']);
    expect(() => candidates('auto', 'linux', true)).toThrow(/needs a provider/);
  });

  it('says why a provider cannot run before trying it', () => {
    expect(precheck('coreml', linuxNoGpu)).toBe('CoreML exists only on macOS (this is linux)');
    expect(precheck('cuda', linuxNoGpu)).toMatch(/libonnxruntime_providers_cuda\.so\) is not installed/);
    const libButNoGpu: Environment = { ...linuxNoGpu, exists: (p) => p.endsWith('.so') };
    expect(precheck('cuda', libButNoGpu)).toBe('no NVIDIA GPU or driver found');
    expect(precheck('cuda', { ...linuxNoGpu, platform: 'darwin' })).toMatch(/not built for darwin/);
  });

  // The real onnxruntime-node of this machine (no accelerator here).
  const create = (providers: string[]) => ort.InferenceSession.create(TINY_MODEL, { executionProviders: providers });

  it('CUDA requested on a machine without it: comes up on CPU and reports why', async () => {
    const s = await selectProvider(create, 'cuda', false);
    expect(s.provider).toBe('cpu');
    expect(s.skipped).toHaveLength(1);
    expect(s.skipped[0]!.provider).toBe('cuda');
    expect(s.skipped[0]!.reason.length).toBeGreaterThan(10);
    await s.session.release();
  });

  it('when the precheck is bypassed, the throw of a missing CUDA provider is caught and CPU is used', async () => {
    const s = await selectProvider(create, 'cuda', false, currentEnvironment(), true);
    expect(s.provider).toBe('cpu');
    expect(s.skipped[0]).toMatchObject({ provider: 'cuda', reason: expect.stringMatching(/^session creation failed: /) });
    await s.session.release();
  });

  it('CoreML on Linux falls back to CPU; forced, a missing provider is a clear error', async () => {
    if (process.platform === 'darwin') return; // CoreML exists there
    const s = await selectProvider(create, 'coreml', false);
    expect(s).toMatchObject({ provider: 'cpu', skipped: [{ provider: 'coreml', reason: expect.stringMatching(/only on macOS/) }] });
    await s.session.release();
    await expect(selectProvider(create, 'coreml', true)).rejects.toThrow(/inference provider coreml was forced but cannot run here \(coreml: CoreML exists only on macOS/);
    await expect(selectProvider(create, 'cuda', true)).rejects.toThrow(/inference provider cuda was forced but cannot run here/);
  });
});

// A one-node ONNX model (Identity on a float tensor), built byte by byte so this test needs no
// model file: ModelProto{ir_version 8, opset 17, graph{node Identity x→y, input x, output y}}.
const TINY_MODEL = (() => {
  const varint = (n: number) => {
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
  const valueInfo = (name: string) =>
    [...str(1, name), ...field(2, field(1, [...int(1, 1), ...field(2, field(1, [...str(2, 'n')]))]))];
  const graph = [...field(1, [...str(1, 'x'), ...str(2, 'y'), ...str(4, 'Identity')]), ...str(2, 'g'), ...field(11, valueInfo('x')), ...field(12, valueInfo('y'))];
  return Uint8Array.from([...int(1, 8), ...field(7, graph), ...field(8, [...str(1, ''), ...int(2, 17)])]);
})();

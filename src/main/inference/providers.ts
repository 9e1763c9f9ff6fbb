/**
 * Execution provider selection for onnxruntime-node. Per platform, best first: macOS → CoreML,
 * Linux/Windows → CUDA (TensorRT first when asked), always CPU last. In onnxruntime-node a
 * requested provider that is missing makes session creation THROW rather than fall back, so
 * each candidate is first checked for what it needs (the provider library, a GPU), then tried
 * alone; what failed and why is reported. `force` turns "prefer" into "only this, or fail".
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const PROVIDERS = ['auto', 'cpu', 'cuda', 'tensorrt', 'coreml'] as const;
export type ProviderChoice = (typeof PROVIDERS)[number];

export interface Skipped {
  provider: string;
  reason: string;
}

export interface Environment {
  platform: NodeJS.Platform;
  arch: string;
  /** folder holding onnxruntime-node's native binaries for this platform */
  binDir: string | null;
  exists(path: string): boolean;
}

export function currentEnvironment(): Environment {
  let binDir: string | null = null;
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    binDir = join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    binDir = null;
  }
  return { platform: process.platform, arch: process.arch, binDir, exists: existsSync };
}

/** Providers to try, in order, for what was asked. */
export function candidates(requested: ProviderChoice, platform: NodeJS.Platform, force: boolean): string[] {
  if (force) {
    if (requested === 'auto') throw new Error('inference.force needs a provider (cpu, cuda, tensorrt or coreml), not auto');
    return [requested];
  }
  const auto = platform === 'darwin' ? ['coreml'] : platform === 'linux' || platform === 'win32' ? ['cuda'] : [];
  const preferred = requested === 'auto' ? auto : requested === 'cpu' ? [] : requested === 'tensorrt' ? ['tensorrt', 'cuda'] : [requested];
  return [...new Set([...preferred, 'cpu'])];
}

/** Why a provider cannot work here, or null if it might. */
export function precheck(provider: string, env: Environment): string | null {
  switch (provider) {
    case 'cpu':
      return null;
    case 'coreml':
      return env.platform === 'darwin' ? null : `CoreML exists only on macOS (this is ${env.platform})`;
    case 'cuda':
    case 'tensorrt': {
      if (env.platform !== 'linux' && env.platform !== 'win32') return `${provider.toUpperCase()} is not built for ${env.platform}`;
      const lib = env.platform === 'linux' ? `libonnxruntime_providers_${provider}.so` : `onnxruntime_providers_${provider}.dll`;
      if (!env.binDir || !env.exists(join(env.binDir, lib))) {
        return `the ${provider.toUpperCase()} provider library (${lib}) is not installed; see README "GPU inference"`;
      }
      if (env.platform === 'linux' && !env.exists('/dev/nvidia0') && !env.exists('/proc/driver/nvidia/version')) return 'no NVIDIA GPU or driver found';
      return null;
    }
    default:
      return `unknown provider ${provider}`;
  }
}

export interface Selected<S> {
  session: S;
  provider: string;
  skipped: Skipped[];
}

/**
 * Creates a session on the first candidate that works. `create` is onnxruntime's
 * InferenceSession.create (or a stand-in in tests); `skipPrecheck` tries a provider even when the
 * precheck says no (to exercise the create-throws path).
 */
export async function selectProvider<S>(
  create: (providers: string[]) => Promise<S>,
  requested: ProviderChoice,
  force: boolean,
  env: Environment = currentEnvironment(),
  skipPrecheck = false,
): Promise<Selected<S>> {
  const skipped: Skipped[] = [];
  for (const provider of candidates(requested, env.platform, force)) {
    const why = skipPrecheck ? null : precheck(provider, env);
    if (why) {
      skipped.push({ provider, reason: why });
      continue;
    }
    try {
      return { session: await create([provider]), provider, skipped };
    } catch (err) {
      skipped.push({ provider, reason: `session creation failed: ${firstLine((err as Error).message)}` });
    }
  }
  const detail = skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  throw new Error(force ? `inference provider ${requested} was forced but cannot run here (${detail})` : `no inference provider could run the model (${detail})`);
}

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 300);

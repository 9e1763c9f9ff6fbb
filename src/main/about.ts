/** The About panel's facts, as the engine knows them (in plain Node or inside Electron's main process). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AboutInfo } from '../shared/about';
import type { InferenceStatus } from '../shared/signals';
import { appRoot } from './desktop-launch';

let packageVersion: string | undefined;

/** The running build's version: package.json beside the bundle (or inside app.asar when packaged). */
export function appVersion(): string {
  if (packageVersion === undefined) {
    try {
      packageVersion = String((JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      packageVersion = 'unknown';
    }
  }
  return packageVersion;
}

export interface AboutInputs {
  configPath: string | null;
  dataDir: string;
  inference: InferenceStatus;
  shmTap: string;
  startedAt: Date;
}

function onnxNote(s: InferenceStatus): string {
  if (!s.enabled) return s.error ? `off: ${s.error}` : 'off';
  if (!s.provider) return s.error ? `not running: ${s.error}` : 'starting';
  const skipped = s.skipped.map((k) => `${k.provider} skipped (${k.reason})`).join('; ');
  return skipped ? `asked for ${s.requested}; ${skipped}` : `asked for ${s.requested}`;
}

export function aboutInfo(inputs: AboutInputs): AboutInfo {
  const v = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  return {
    app: 'Pulse',
    version: appVersion(),
    shell: v.electron ? 'electron' : 'web',
    node: v.node,
    ...(v.electron ? { electron: v.electron } : {}),
    ...(v.chrome ? { chrome: v.chrome } : {}),
    platform: process.platform,
    arch: process.arch,
    onnxProvider: inputs.inference.provider,
    onnxNote: onnxNote(inputs.inference),
    configPath: inputs.configPath,
    dataDir: inputs.dataDir,
    shmTap: inputs.shmTap,
    pid: process.pid,
    startedAt: inputs.startedAt.toISOString(),
  };
}

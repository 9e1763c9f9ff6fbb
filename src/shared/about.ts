/**
 * What the About panel shows: which build is running, on what, with which model provider, and
 * where its configuration and data live. The engine fills it (it runs in the Electron main
 * process or in plain Node); the Electron shell adds what only Electron knows.
 */
export interface AboutInfo {
  app: string;
  /** package.json version of the running build */
  version: string;
  shell: 'electron' | 'web';
  node: string;
  /** set when the engine runs inside Electron's main process */
  electron?: string;
  chrome?: string;
  platform: string;
  arch: string;
  /** the ONNX execution provider in use, or null with the reason */
  onnxProvider: string | null;
  onnxNote: string;
  /** the config file this engine was started with, or null (defaults and command line only) */
  configPath: string | null;
  dataDir: string;
  /** the shared-memory market-data tap (issue #7): on, off, or unavailable and why */
  shmTap: string;
  pid: number;
  startedAt: string;
}

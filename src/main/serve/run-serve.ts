import type { PulseConfig } from '../config';
import { Engine, type EngineOptions } from '../engine';
import { startWebShell, type WebShell } from './server';

export interface RunningServe {
  engine: Engine;
  shell: WebShell;
  stop(): Promise<void>;
}

/** Starts the engine and the web shell; prints the address the UI is on. */
export async function runServe(config: PulseConfig, log: (line: string) => void = console.log, options: EngineOptions = {}): Promise<RunningServe> {
  const engine = await Engine.start(config, options);
  let shell: WebShell;
  try {
    shell = await startWebShell(engine, config.host, config.port, config.auth);
  } catch (err) {
    await engine.stop();
    throw err;
  }
  log(`Pulse web shell on ${shell.url} (venues: ${config.enabled.join(', ')})`);
  return {
    engine,
    shell,
    stop: async () => {
      await shell.close();
      await engine.stop();
    },
  };
}

/** The `pulse` command (bin/pulse.js loads the built copy of this file). */
import { ConfigError } from './config';
import { ensureElectron, launchElectron } from './desktop-launch';
import { parseCommandLine, USAGE } from './options';
import { runServe } from './serve/run-serve';
import { UnknownVenueError } from './venues/registry';

async function serve(config: Parameters<typeof runServe>[0]): Promise<void> {
  const running = await runServe(config);
  const shutdown = (signal: string): void => {
    console.log(`Pulse: ${signal}, stopping`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

export async function main(argv: string[]): Promise<void> {
  const { command, config } = parseCommandLine(argv);
  if (command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'serve') return serve(config);
  const probe = ensureElectron();
  if (probe.ok) {
    try {
      process.exitCode = await launchElectron(probe.binary, argv.filter((a) => a !== 'desktop'));
      return;
    } catch (err) {
      console.log(`Pulse: Electron could not start (${(err as Error).message}); serving the web shell instead.`);
    }
  } else {
    console.log(`Pulse: no desktop shell here (${probe.reason}); serving the web shell instead.`);
  }
  return serve(config);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UnknownVenueError) {
    console.error(`pulse: ${err.message}`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    console.error(`pulse: the port is already in use (${e.message}); pick another with --port`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});

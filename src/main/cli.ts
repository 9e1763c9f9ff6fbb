/** The `pulse` command (bin/pulse.js loads the built copy of this file). */
import { ConfigError } from './config';
import { ensureElectron, launchElectron } from './desktop-launch';
import { parseCommandLine, USAGE } from './options';
import { runServe } from './serve/run-serve';
import { UnknownVenueError } from './venues/registry';
import { verifyJournalFile } from './trading/journal';
import { newToken } from './serve/auth';
import { credentialsCommand } from './credentials/cli';
import { modelCommand } from './inference/train/train-cli';
import { exportCommand } from './recording/export-cli';
import { CredentialError } from './credentials/file-store';
import { flushLogs, setupLogging } from './telemetry/log';

async function serve(config: Parameters<typeof runServe>[0], configPath: string | null): Promise<void> {
  const logs = await setupLogging({ dataDir: config.dataDir });
  console.log(`Pulse: logs in ${logs.file}`);
  const running = await runServe(config, console.log, { configPath });
  const shutdown = (signal: string): void => {
    console.log(`Pulse: ${signal}, stopping`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    const exit = (code: number) => {
      flushLogs();
      process.exit(code);
    };
    running.stop().then(() => exit(0), () => exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

function journalCommand(args: string[]): void {
  const [verb, file] = args;
  if (verb !== 'verify' || !file || args.length !== 2) throw new ConfigError('usage: pulse journal verify FILE');
  const report = verifyJournalFile(file);
  if (report.ok) {
    console.log(`journal ${file}: OK, ${report.entries} entries, chain intact, last hash ${report.lastHash}`);
  } else {
    console.log(`journal ${file}: NOT OK after ${report.entries} valid entries: ${report.problem}`);
    process.exitCode = 1;
  }
}

function tokenCommand(args: string[]): void {
  const role = args[0] === 'new' && args[1] === '--role' ? args[2] : undefined;
  if (role !== 'trader' && role !== 'risk') throw new ConfigError('usage: pulse token new --role trader|risk');
  const { token, sha256 } = newToken();
  console.log(`token (give it to the client; it is not stored): ${token}`);
  console.log(`config line for auth.tokens: ${JSON.stringify({ name: `${role}-${sha256.slice(0, 6)}`, role, sha256 })}`);
}

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'journal') return journalCommand(argv.slice(1));
  if (argv[0] === 'token') return tokenCommand(argv.slice(1));
  if (argv[0] === 'credentials') return credentialsCommand(argv.slice(1));
  if (argv[0] === 'model') return modelCommand(argv.slice(1));
  if (argv[0] === 'export') return exportCommand(argv.slice(1));
  const { command, config, configPath } = parseCommandLine(argv);
  if (command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'serve') return serve(config, configPath);
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
  return serve(config, configPath);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UnknownVenueError || err instanceof CredentialError) {
    console.error(`pulse: ${err.message}`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' && e.path) {
    console.error(`pulse: no such file: ${e.path}`);
    process.exit(2);
  }
  if (e.name === 'JournalCorrupt') {
    console.error(`pulse: ${e.message}. Run \`pulse journal verify\` on it; the engine will not trade on a broken journal.`);
    process.exit(2);
  }
  if (e.code === 'EADDRINUSE') {
    console.error(`pulse: the port is already in use (${e.message}); pick another with --port`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});

/**
 * `pulse credentials add VENUE | list | remove VENUE [--data-dir DIR]`. Fields for `add` are
 * read as a JSON object on standard input (so secrets never sit in shell history or argv);
 * the passphrase comes from PULSE_PASSPHRASE or a hidden prompt.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ConfigError } from '../config';
import { FileCredentialStore } from './file-store';

const USAGE = 'usage: pulse credentials add VENUE | list | remove VENUE  [--data-dir DIR]   (add reads {"field": "value", …} on stdin)';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void });
    write._writeToOutput = (s: string) => {
      if (s.includes(question)) process.stderr.write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

async function passphrase(): Promise<string> {
  const env = process.env.PULSE_PASSPHRASE;
  if (env) return env;
  if (!process.stdin.isTTY) throw new ConfigError('set PULSE_PASSPHRASE (no terminal to prompt on)');
  return promptHidden('Credentials passphrase: ');
}

export async function credentialsCommand(args: string[]): Promise<void> {
  const dirAt = args.indexOf('--data-dir');
  const dataDir = dirAt >= 0 ? args[dirAt + 1] : join(homedir(), '.pulse');
  if (dirAt >= 0) args = [...args.slice(0, dirAt), ...args.slice(dirAt + 2)];
  if (!dataDir) throw new ConfigError(USAGE);
  const [verb, venue] = args;
  const path = join(dataDir, 'credentials.enc');
  if (verb === 'list' && args.length === 1) {
    const list = new FileCredentialStore(path, await passphrase()).list();
    const rows = Object.entries(list);
    console.log(rows.length ? rows.map(([v, f]) => `${v}: ${f.join(', ')}`).join('\n') : 'no credentials stored');
    return;
  }
  if (verb === 'add' && venue && args.length === 2) {
    if (process.stdin.isTTY) throw new ConfigError('pipe the fields as JSON on stdin, e.g.  pulse credentials add kraken < kraken.json');
    let fields: Record<string, string>;
    try {
      fields = z.record(z.string(), z.string().min(1)).parse(JSON.parse(await readStdin()));
    } catch {
      throw new ConfigError('stdin must hold a JSON object of string fields, e.g. {"apiKey": "…", "secret": "…"}');
    }
    new FileCredentialStore(path, await passphrase()).add(venue, fields);
    console.log(`stored ${Object.keys(fields).length} field(s) for ${venue} in ${path}`);
    return;
  }
  if (verb === 'remove' && venue && args.length === 2) {
    const removed = new FileCredentialStore(path, await passphrase()).remove(venue);
    console.log(removed ? `removed ${venue}` : `no credentials for ${venue}`);
    return;
  }
  throw new ConfigError(USAGE);
}

/**
 * Venue credentials encrypted at rest for the web shell and the CLI: one file, AES-256-GCM
 * under a key derived from a passphrase with scrypt. The passphrase comes from the
 * PULSE_PASSPHRASE environment variable or a prompt; it is never stored. Secrets stay in the
 * main process: nothing here is sent to a renderer or logged. (The desktop shell keeps the
 * same store but wraps the key with Electron's safeStorage: see src/main/electron.)
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export type VenueCredentials = Record<string, string>;
export type CredentialMap = Record<string, VenueCredentials>;

const FileSchema = z.object({
  version: z.literal(1),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() }),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

const KDF = { N: 1 << 15, r: 8, p: 1 };

function deriveKey(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Buffer {
  if (passphrase.length < 8) throw new CredentialError('the passphrase must be at least 8 characters');
  return scryptSync(passphrase, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
}

export class FileCredentialStore {
  constructor(readonly path: string, private readonly passphrase: string) {}

  exists(): boolean {
    return existsSync(this.path);
  }

  read(): CredentialMap {
    if (!this.exists()) return {};
    let file: z.infer<typeof FileSchema>;
    try {
      file = FileSchema.parse(JSON.parse(readFileSync(this.path, 'utf8')));
    } catch {
      throw new CredentialError(`${this.path} is not a Pulse credentials file`);
    }
    const key = deriveKey(this.passphrase, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as CredentialMap;
    } catch {
      throw new CredentialError(`cannot open ${this.path}: wrong passphrase, or the file was altered`);
    }
  }

  write(creds: CredentialMap): void {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = deriveKey(this.passphrase, salt, KDF);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(creds), 'utf8'), cipher.final()]);
    const file = {
      version: 1, kdf: { name: 'scrypt', ...KDF, salt: salt.toString('base64') }, cipher: 'aes-256-gcm',
      iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64'),
    };
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  add(venue: string, fields: VenueCredentials): void {
    const all = this.read();
    all[venue] = fields;
    this.write(all);
  }

  remove(venue: string): boolean {
    const all = this.read();
    if (!(venue in all)) return false;
    delete all[venue];
    this.write(all);
    return true;
  }

  /** Venue → field names; never the values. */
  list(): Record<string, string[]> {
    return Object.fromEntries(Object.entries(this.read()).map(([v, f]) => [v, Object.keys(f).sort()]));
  }
}

/**
 * Venue credentials in the desktop shell: the same map as the web shell's encrypted file, but
 * sealed with Electron's safeStorage (the OS keychain / DPAPI / libsecret), so no passphrase is
 * asked for. Main process only; nothing here reaches the renderer.
 */
import { safeStorage } from 'electron';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CredentialMap } from '../credentials/file-store';
import { CredentialError } from '../credentials/file-store';

export class SafeStorageCredentialStore {
  constructor(readonly path: string) {}

  private ensureAvailable(): void {
    if (!safeStorage.isEncryptionAvailable()) throw new CredentialError('the OS keychain is not available to Electron safeStorage; use the encrypted file store');
  }

  read(): CredentialMap {
    if (!existsSync(this.path)) return {};
    this.ensureAvailable();
    try {
      return JSON.parse(safeStorage.decryptString(readFileSync(this.path))) as CredentialMap;
    } catch {
      throw new CredentialError(`cannot open ${this.path} with this user's keychain`);
    }
  }

  write(creds: CredentialMap): void {
    this.ensureAvailable();
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, safeStorage.encryptString(JSON.stringify(creds)), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

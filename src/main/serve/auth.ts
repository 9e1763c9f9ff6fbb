/**
 * Who may talk to the web shell. Bound to loopback it is single-user: no token, full trader
 * rights. Bound anywhere else every REST call and WebSocket upgrade needs a token: a `trader`
 * token trades, a `risk` token sees everything and may cancel and hit the kill switch, but
 * cannot place orders. Only SHA-256 hashes of tokens are kept in the config
 * (`pulse token new --role risk` prints a token and its config line).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

export const AuthSchema = z
  .object({
    /** require tokens even on loopback (a shared workstation) */
    require: z.boolean().default(false),
    tokens: z
      .array(z.object({ name: z.string().min(1), role: z.enum(['trader', 'risk']), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256: 64 hex digits') }).strict())
      .default([]),
  })
  .strict();
export type AuthConfig = z.infer<typeof AuthSchema>;

export type Principal = { role: 'trader' | 'risk'; name: string };

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function newToken(): { token: string; sha256: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, sha256: sha256(token).toString('hex') };
}

export class Authenticator {
  readonly required: boolean;

  constructor(private readonly config: AuthConfig, host: string) {
    this.required = config.require || !isLoopback(host);
    if (this.required && config.tokens.length === 0) {
      throw new Error(`${config.require ? 'auth.require is set but' : `binding ${host} (not loopback) needs tokens:`} auth.tokens is empty; create one with \`pulse token new --role trader\``);
    }
  }

  /** The token from `Authorization: Bearer …`, or `?token=` (browsers cannot set WebSocket headers). */
  static tokenOf(req: IncomingMessage): string | null {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice(7).trim();
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    return q || null;
  }

  authenticate(req: IncomingMessage): Principal | null {
    if (!this.required) return { role: 'trader', name: 'local' };
    const token = Authenticator.tokenOf(req);
    if (!token) return null;
    const digest = sha256(token);
    for (const t of this.config.tokens) {
      if (timingSafeEqual(digest, Buffer.from(t.sha256, 'hex'))) return { role: t.role, name: t.name };
    }
    return null;
  }
}

/**
 * Settings every exchange venue shares: where it is, and how hard to try to stay connected.
 * Each venue folder extends this with what is truly its own; endpoints always come from config
 * so sandboxes, testnets and local mock servers can stand in.
 */
import { z } from 'zod';
import { DEFAULT_RESILIENCE } from '../collectors/connection';

export const resilienceSchema = z
  .object({
    heartbeatTimeoutMs: z.number().int().min(100).default(DEFAULT_RESILIENCE.heartbeatTimeoutMs),
    backoffInitialMs: z.number().int().min(1).default(DEFAULT_RESILIENCE.backoffInitialMs),
    backoffMaxMs: z.number().int().min(1).default(DEFAULT_RESILIENCE.backoffMaxMs),
    breakerFailures: z.number().int().min(1).default(DEFAULT_RESILIENCE.breakerFailures),
    breakerHalfOpenMs: z.number().int().min(1).default(DEFAULT_RESILIENCE.breakerHalfOpenMs),
    maxMessageBytes: z.number().int().min(1024).default(DEFAULT_RESILIENCE.maxMessageBytes),
    pingIntervalMs: z.number().int().min(0).default(0),
  })
  .strict();

const url = (protocols: string[]) =>
  z.string().refine((u) => {
    try {
      return protocols.includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, `must be a ${protocols.join(' or ')} URL`);

export const wsUrl = url(['ws:', 'wss:']);
export const httpUrl = url(['http:', 'https:']);

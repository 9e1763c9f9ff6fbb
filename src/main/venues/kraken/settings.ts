import { z } from 'zod';
import { httpUrl, resilienceSchema, wsUrl } from '../common-settings';

export const KrakenSettingsSchema = z
  .object({
    wsUrl: wsUrl.default('wss://ws.kraken.com/v2'),
    restUrl: httpUrl.default('https://api.kraken.com'),
    /** book depth subscribed (Kraken allows 10, 25, 100, 500, 1000) */
    depth: z.union([z.literal(10), z.literal(25), z.literal(100), z.literal(500), z.literal(1000)]).default(100),
    symbols: z.array(z.string()).default(['BTC-USD', 'ETH-USD', 'SOL-USD']),
    resilience: resilienceSchema.default(resilienceSchema.parse({})),
  })
  .strict();
export type KrakenSettings = z.infer<typeof KrakenSettingsSchema>;

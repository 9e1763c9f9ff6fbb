import { z } from 'zod';
import { httpUrl, resilienceSchema, wsUrl } from '../common-settings';

export const BinanceUsSettingsSchema = z
  .object({
    wsUrl: wsUrl.default('wss://stream.binance.us:9443'),
    restUrl: httpUrl.default('https://api.binance.us'),
    /** REST snapshot depth (Binance allows up to 5000) */
    snapshotDepth: z.number().int().min(5).max(5000).default(1000),
    symbols: z.array(z.string()).default(['BTC-USD', 'ETH-USD', 'SOL-USD']),
    resilience: resilienceSchema.default(resilienceSchema.parse({})),
  })
  .strict();
export type BinanceUsSettings = z.infer<typeof BinanceUsSettingsSchema>;

import { z } from 'zod';
import { httpUrl, resilienceSchema, wsUrl } from '../common-settings';

export const CoinbaseSettingsSchema = z
  .object({
    wsUrl: wsUrl.default('wss://advanced-trade-ws.coinbase.com'),
    restUrl: httpUrl.default('https://api.coinbase.com'),
    symbols: z.array(z.string()).default(['BTC-USD', 'ETH-USD', 'SOL-USD']),
    resilience: resilienceSchema.default(resilienceSchema.parse({})),
  })
  .strict();
export type CoinbaseSettings = z.infer<typeof CoinbaseSettingsSchema>;

// Coinbase Advanced Trade market data: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
import { z } from 'zod';
import { httpUrl, resilienceSchema, wsUrl } from '../common-settings';

/**
 * A level2 subscription opens with one snapshot message per product holding its whole book;
 * for the large books that is several MB (Coinbase's own SDK allows 10 MB), so the default
 * limit is raised above the shared 4 MB.
 */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const coinbaseResilience = resilienceSchema.extend({
  maxMessageBytes: z.number().int().min(1024).default(MAX_MESSAGE_BYTES),
});

export const CoinbaseSettingsSchema = z
  .object({
    wsUrl: wsUrl.default('wss://advanced-trade-ws.coinbase.com'),
    /** public product metadata: GET {restUrl}/api/v3/brokerage/market/products/{product_id} */
    restUrl: httpUrl.default('https://api.coinbase.com'),
    /** private order updates (the user channel); defaults to wsUrl */
    userWsUrl: wsUrl.optional(),
    symbols: z.array(z.string()).default(['BTC-USD', 'ETH-USD', 'SOL-USD']),
    /**
     * What `side` of a market_trades trade names. Coinbase's matching engine reports the maker's
     * side on public trades (Exchange docs, "match"), so the aggressor is the other side; set
     * 'taker' if the venue is ever seen to report the aggressor instead.
     */
    marketTradeSide: z.enum(['maker', 'taker']).default('maker'),
    resilience: coinbaseResilience.default(coinbaseResilience.parse({})),
  })
  .strict();
export type CoinbaseSettings = z.infer<typeof CoinbaseSettingsSchema>;

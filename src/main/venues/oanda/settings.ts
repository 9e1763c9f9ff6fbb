import { z } from 'zod';
import { httpUrl, resilienceSchema } from '../common-settings';

export const OandaSettingsSchema = z
  .object({
    streamUrl: httpUrl.default('https://stream-fxpractice.oanda.com'),
    restUrl: httpUrl.default('https://api-fxpractice.oanda.com'),
    accountId: z.string().min(1).optional(),
    /** bearer token; kept in the main process, never logged */
    token: z.string().min(1).optional(),
    symbols: z.array(z.string()).default(['EUR-USD', 'GBP-USD', 'USD-JPY']),
    resilience: resilienceSchema.default(resilienceSchema.parse({})),
  })
  .strict();
export type OandaSettings = z.infer<typeof OandaSettingsSchema>;

import { z } from 'zod';

export const SimSettingsSchema = z
  .object({
    seed: z.number().int(),
    updatesPerSecond: z.number().positive(),
    levelsPerSide: z.number().int().positive(),
  })
  .strict();

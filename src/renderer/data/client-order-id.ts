/** The engine's rule for client order ids (src/shared/trading.ts): 6–36 of [A-Za-z0-9_-]. */
export const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{6,36}$/;

export type IdGenerator = (prefix?: string) => string;

/**
 * `<prefix>-<base36 ms>-<base36 counter>-<6 random base36>`: ordered within a session, unique
 * across reloads and across several terminals on one engine (the engine answers a repeated id
 * with the existing order, so a collision would silently drop an order).
 */
export function createIdGenerator(now: () => number = Date.now, random: () => number = Math.random): IdGenerator {
  let counter = 0;
  return (prefix = 'ui') => {
    const safe = prefix.replace(/[^A-Za-z0-9_]/g, '').slice(0, 8) || 'ui';
    counter = (counter + 1) % 36 ** 4;
    let rand = '';
    for (let i = 0; i < 6; i++) rand += Math.floor(random() * 36).toString(36);
    return `${safe}-${Math.max(0, Math.floor(now())).toString(36)}-${counter.toString(36)}-${rand}`;
  };
}

export const nextClientOrderId: IdGenerator = createIdGenerator();

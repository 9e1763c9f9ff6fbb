// Coinbase Advanced Trade public product: GET /api/v3/brokerage/market/products/{product_id}
// (as Coinbase's SDK calls it: https://github.com/coinbase/coinbase-advanced-py/blob/master/coinbase/rest/public.py)
/** The mock venue's public product endpoints, answering in the shape of test_data/product-btc-usd.json. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { MockBook, MockProductSpec } from './mock-book';

const TEMPLATE = JSON.parse(readFileSync(new URL('../test_data/product-btc-usd.json', import.meta.url), 'utf8')) as Record<string, unknown>;

export function productJson(spec: MockProductSpec): Record<string, unknown> {
  const [base, quote] = spec.id.split('-');
  return {
    ...TEMPLATE, product_id: spec.id, display_name: spec.id, base_currency_id: base, quote_currency_id: quote,
    base_display_symbol: base, quote_display_symbol: quote, price_increment: spec.tick, quote_increment: spec.tick, base_increment: spec.lot, alias_to: [],
  };
}

/** GET /api/v3/brokerage/market/products[/{id}]; `fail`: answer HTTP 500 instead. */
export function serveProducts(req: IncomingMessage, res: ServerResponse, books: ReadonlyMap<string, MockBook>, fail: boolean): void {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (fail) return reply(500, { error: 'INTERNAL', error_details: 'internal error', message: 'internal error' });
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const m = /^\/api\/v3\/brokerage\/market\/products(?:\/([^/]+))?$/.exec(path);
  if (req.method !== 'GET' || !m) return reply(404, { error: 'NOT_FOUND', error_details: 'no such route', message: 'no such route' });
  if (!m[1]) {
    const products = [...books.values()].map((b) => productJson(b.spec));
    return reply(200, { products, num_products: products.length });
  }
  const book = books.get(decodeURIComponent(m[1]));
  if (!book) return reply(404, { error: 'NOT_FOUND', error_details: 'ProductID is invalid', message: 'ProductID is invalid' });
  reply(200, productJson(book.spec));
}

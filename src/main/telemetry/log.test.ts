import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { log, scrubLine, setupLogging, type LogFiles } from './log';

let files: LogFiles | null = null;
afterEach(async () => {
  await files?.close();
  files = null;
});

const logFiles = (dataDir: string) => readdirSync(join(dataDir, 'logs')).filter((f) => f.endsWith('.log')).sort();

describe('logs', () => {
  it('writes JSON lines to <dataDir>/logs with secrets redacted in every shape', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-log-'));
    files = await setupLogging({ dataDir, terminal: 'off' });
    expect(files.file).toMatch(/logs\/pulse\.\d{4}-\d{2}-\d{2}\.1\.log$/);
    log.error(
      {
        venue: 'kraken',
        symbol: 'BTC-USD',
        clientOrderId: 'ord-000123',
        token: 'SECRET-01',
        credentials: { apiKey: 'SECRET-02', secret: 'SECRET-03', passphrase: 'SECRET-04', privateKey: 'SECRET-05' },
        request: { headers: { Authorization: 'Bearer SECRET-06', 'API-Sign': 'SECRET-07', 'CB-ACCESS-SIGN': 'SECRET-08', 'x-mbx-apikey': 'SECRET-09' } },
        deep: { a: { b: { c: { signature: 'SECRET-10' } } } },
        url: 'https://api.binance.us/api/v3/order?symbol=BTCUSD&timestamp=1&signature=SECRET-11',
        err: new Error('401 from https://stream.example/v3?token=SECRET-12'),
      },
      'order refused; the request carried Authorization: Bearer SECRET-13',
    );
    await files.close();
    files = null;
    const text = readFileSync(join(dataDir, 'logs', logFiles(dataDir)[0]!), 'utf8');
    expect(text).not.toMatch(/SECRET/);
    const line = JSON.parse(text.trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ level: 50, venue: 'kraken', symbol: 'BTC-USD', clientOrderId: 'ord-000123', token: '[redacted]' });
    expect(line.credentials).toEqual({ apiKey: '[redacted]', secret: '[redacted]', passphrase: '[redacted]', privateKey: '[redacted]' });
    expect(line.request.headers).toEqual({ Authorization: '[redacted]', 'API-Sign': '[redacted]', 'CB-ACCESS-SIGN': '[redacted]', 'x-mbx-apikey': '[redacted]' });
    expect(line.deep.a.b.c.signature).toBe('[redacted]');
    expect(line.url).toBe('https://api.binance.us/api/v3/order?symbol=BTCUSD&timestamp=1&signature=[redacted]');
    expect(line.err.message).toBe('401 from https://stream.example/v3?token=[redacted]');
    expect(line.msg).toBe('order refused; the request carried Authorization: Bearer [redacted]');
  });

  it('rolls to a new file at the size limit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-log-'));
    files = await setupLogging({ dataDir, terminal: 'off', maxFileSize: '1k' });
    for (let i = 0; i < 40; i++) {
      log.error({ venue: 'sim-a', i }, 'x'.repeat(100));
      await new Promise((r) => setTimeout(r, 2));
    }
    await files.close();
    files = null;
    expect(logFiles(dataDir).length).toBeGreaterThan(1);
  });

  it('scrubs secrets inside strings and leaves other text alone', () => {
    expect(scrubLine('{"msg":"GET /v1/x?depth=5&apiKey=abc"}')).toBe('{"msg":"GET /v1/x?depth=5&apiKey=[redacted]"}');
    expect(scrubLine('{"nested":{"Secret":"s3"},"msg":"ok"}')).toBe('{"nested":{"Secret":"[redacted]"},"msg":"ok"}');
    expect(scrubLine('{"msg":"depth=5 tokens=3"}')).toBe('{"msg":"depth=5 tokens=3"}');
  });
});

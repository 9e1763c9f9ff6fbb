/**
 * The About facts come from the running engine, over both ways a shell asks: the `about`
 * command on the client link and GET /api/v1/about. They must be the real values, not labels.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AboutInfo } from '../shared/about';
import { appRoot } from './desktop-launch';
import { BookClient, until } from './testing/book-client';
import { startHarness, type Harness } from './testing/engine-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ enabled: ['sim-a'], symbols: ['BTC-USD'] });
});
afterAll(() => h?.stop());

describe('about', () => {
  it('answers the about command with this build, this runtime and the engine state', async () => {
    const client = await BookClient.connect(h.wsUrl);
    try {
      client.send({ type: 'about' });
      await until(() => client.control.some((m) => m.type === 'about'), 5000, 'the about answer');
      const about = (client.control.find((m) => m.type === 'about') as { about: AboutInfo }).about;
      const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string };
      expect(about).toMatchObject({ app: 'Pulse', version: pkg.version, shell: 'web', node: process.versions.node, platform: process.platform, pid: process.pid });
      expect(about.electron).toBeUndefined();
      // the harness turns inference off: the panel must say so rather than name a provider
      expect(about.onnxProvider).toBeNull();
      expect(about.onnxNote).toMatch(/^off/);
      expect(about.configPath).toBeNull();
      expect(about.dataDir).toBe(h.pulse.engine.config.dataDir);
      expect(Date.parse(about.startedAt)).toBeLessThanOrEqual(Date.now());
    } finally {
      await client.close();
    }
  });

  it('serves the same facts on GET /api/v1/about', async () => {
    const res = await fetch(`${h.base}/api/v1/about`);
    expect(res.status).toBe(200);
    const about = (await res.json()) as AboutInfo;
    expect(about.node).toBe(process.versions.node);
    expect(about.dataDir).toBe(h.pulse.engine.config.dataDir);
  });
});

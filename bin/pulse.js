#!/usr/bin/env node
// Loads the built CLI. `npm start` builds first; run `npm run build` after changing the sources.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('pulse: not built yet. Run `npm run build` (npm start builds for you).');
  process.exit(2);
}
await import(cli.href);

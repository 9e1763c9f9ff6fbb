import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Renderer-only dev server for the web shell (electron-vite dev needs the Electron binary).
// Run `pulse serve --port 8600` beside it; /ws and /api are proxied there.
export default defineConfig({
  root: 'src/renderer',
  plugins: [react()],
  server: {
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8600', ws: true },
      '/api': 'http://127.0.0.1:8600',
    },
  },
});

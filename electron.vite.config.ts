import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for both shells: out/main holds the Electron entry (index), the plain-Node entries
// (cli, serve) and every worker as its own input, so `new URL('./x-worker.js', import.meta.url)`
// finds them beside the bundle. The renderer is the same for Electron and the web shell.
export default defineConfig({
  main: {
    build: {
      target: 'node20.19',
      rolldownOptions: {
        input: {
          index: resolve('src/main/electron/index.ts'),
          cli: resolve('src/main/cli.ts'),
          'collector-worker': resolve('src/main/collectors/collector-worker.ts'),
          'inference-worker': resolve('src/main/inference/inference-worker.ts'),
          'recorder-worker': resolve('src/main/recording/recorder-worker.ts'),
        },
        // Shared chunks stay beside the entries, so import.meta.url of any chunk finds the workers.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads must be CommonJS whatever the package type (STACK-NOTES).
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
      // electron-vite leaves the renderer unminified by default; the same bundle is served to
      // browsers by the web shell, so it is minified (986 kB → about a third).
      minify: true,
    },
    plugins: [react()],
  },
});

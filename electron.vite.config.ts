/**
 * electron-vite 6 build (stack.md §2). `electron-vite build` needs no Electron
 * binary: it only reads electron/package.json for the target version.
 *
 * - main: ESM (package.json "type": "module"); dependencies stay external.
 * - preload: CommonJS `[name].cjs`, because a sandboxed preload must be CJS.
 * - renderer: React, rooted at src/renderer.
 */
import { resolve } from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const projectRoot = import.meta.dirname;
const fromRoot = (path: string): string => resolve(projectRoot, path);

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // The station's worker threads are entries of their own.
        input: {
          index: fromRoot('src/main/index.ts'),
          station: fromRoot('src/main/headless/entry.ts'),
          'writer-thread': fromRoot('src/main/station/ingest/writer-thread.ts'),
          'checkpoint-thread': fromRoot('src/main/station/ingest/checkpoint-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: fromRoot('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: fromRoot('src/renderer'),
    build: {
      // The dashboard is served to browsers over the office LAN too: ship it minified.
      minify: true,
      rolldownOptions: {
        input: { index: fromRoot('src/renderer/index.html') },
      },
    },
    plugins: [react()],
  },
});

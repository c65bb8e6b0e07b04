import { defineConfig } from 'vite'
import base from './vite.config'

// The UI test build: the app with mocked IPC (mock/index.html → mock/main.ts), into dist-mock/.
// Only the Chromium UI tests (tests/ui/) use it; the product build (vite.config.ts) never sees mock/.
export default defineConfig({
  ...base,
  build: {
    ...base.build,
    outDir: 'dist-mock',
    target: 'es2022',
    rollupOptions: { input: 'mock/index.html' },
  },
})

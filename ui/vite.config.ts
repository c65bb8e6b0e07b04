import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The desktop shell embeds ui/dist (tauri.conf.json `build.frontendDist`); `npm run dev` serves the
// same page on the devUrl for `cargo tauri dev`.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Debian 12 ships WebKitGTK 2.50; Safari 15 syntax is a safe floor for it.
    target: ['es2021', 'safari15'],
    chunkSizeWarningLimit: 2000,
  },
})

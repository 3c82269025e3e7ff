import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri loads the built files from ui/dist (tauri.conf.json build.frontendDist)
// and, in development, the dev server on a fixed port (build.devUrl).
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: 'localhost',
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.4x / WKWebView (Safari 16) / WebView2 (Chromium): all ES2022.
    target: ['es2022', 'safari16'],
    sourcemap: false,
    // One small bundle: nothing to gain from splitting a local app.
    chunkSizeWarningLimit: 400,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
    // theme.test.ts reads app.css (?raw) to check its colours.
    css: { include: [/app\.css/] },
  },
});

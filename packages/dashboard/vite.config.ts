import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The dashboard is served by the service at /, beside the API it calls (same origin).
export default defineConfig({
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});

import react from '@vitejs/plugin-react';
import { defineConfig, type PluginOption } from 'vite';

/** Where `npm run dev` forwards API, WebSocket, docs and Open311 calls (the server of `npm start`). */
const SERVER = process.env.CENTINELA_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // The workspace root hoists vite 8 (vitest's) next to this package's vite 7; plugin-react's types come
  // from the root copy, so they are cast to this package's plugin type (runtime is the same API).
  plugins: [react() as unknown as PluginOption],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: SERVER, changeOrigin: true },
      '/docs': { target: SERVER, changeOrigin: true },
      '/open311': { target: SERVER, changeOrigin: true },
      '/ws': { target: SERVER, ws: true, changeOrigin: true },
    },
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));
// `npx vite renderer` proxies the API to a server started with `npm run serve` (default port 8080).
const apiTarget = process.env.NOVA_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig(({ mode }) => ({
  root: here,
  base: '/app/',
  plugins: [react()],
  // A build started from a test runner (NODE_ENV=test) must still ship React's production build.
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'production' ? 'production' : 'development') },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // Framework code changes rarely: its own chunks stay cached across console releases. Charts (Mantine's
        // and recharts with its d3 parts) are a chunk of their own, loaded only by the pages that draw one.
        manualChunks(id) {
          if (/node_modules\/(@mantine\/charts|recharts|d3-|victory-vendor|react-smooth|recharts-scale)/.test(id)) return 'charts';
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id)) return 'react';
          if (id.includes('node_modules/@mantine/') || id.includes('node_modules/@floating-ui/')) return 'mantine';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/nc-api': apiTarget,
      '/api': apiTarget,
      '/realtime': { target: apiTarget, ws: true },
    },
  },
}));

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm start` serves the API; the dev server forwards everything that is not the web app there. */
const server = 'http://localhost:8080';
const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: fromRoot('./web'),
  plugins: [react()],
  build: {
    outDir: fromRoot('./dist/web'),
    emptyOutDir: true,
    // antd alone is close to 1 MB before gzip; pages are split off with React.lazy.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': server, '/health': server, '/docs': server, '/open311': server },
  },
});

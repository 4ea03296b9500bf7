import { defineConfig } from 'vite';

// Preact's JSX runtime through esbuild (no plugin); workspace packages resolve to their TypeScript sources.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: { conditions: ['@berth/source'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
});

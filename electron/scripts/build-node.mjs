// Bundles the Node side (CLI, Electron main/preload, the core's utility process) into dist/.
// Package dependencies stay external: better-sqlite3 is native, and electron-builder ships node_modules.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import process from 'node:process';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // appRoot() reads __dirname in these bundles and import.meta.url under tsx/vitest.
  logOverride: { 'empty-import-meta': 'silent' },
};

if (!existsSync('electron/host/cli.ts')) {
  // First install of a fresh checkout runs `prepare` before any source exists in odd states; nothing to do.
  process.exit(0);
}

// `npm run bench` measures the code as it ships: the bench bundled as the app is (tsx, which runs the source, wraps
// every closure in a naming helper the bundles do not have). ESM, for the bench's top-level await.
if (process.argv.includes('--bench')) {
  await build({ ...common, format: 'esm', entryPoints: ['electron/scripts/bench.ts'], outfile: 'dist/bench/bench.mjs' });
  process.exit(0);
}

await Promise.all([
  build({ ...common, entryPoints: ['electron/host/cli.ts'], outfile: 'dist/node/cli.cjs', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['electron/host/utility.ts'], outfile: 'dist/electron/core.cjs' }),
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] }),
]);

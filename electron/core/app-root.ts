import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, from source (tsx, vitest) or from a dist/ bundle alike. */
export function appRoot(): string {
  // Bundles are CommonJS (__dirname); source runs as ESM (import.meta.url).
  let dir = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('找不到程序目录（package.json）');
    dir = up;
  }
  return dir;
}

export function rendererDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}

/** The program's version (package.json), written into backups so a newer backup is recognised. */
export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

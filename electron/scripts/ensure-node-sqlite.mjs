// Before tests and the CLI: better-sqlite3 must be built for this Node (npm start may have rebuilt it
// for Electron). Rebuilds it from source when it does not load.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';

try {
  const Database = createRequire(import.meta.url)('better-sqlite3-multiple-ciphers');
  new Database(':memory:').close();
} catch {
  console.log('better-sqlite3 与当前 Node 版本不匹配，正在重新编译（约两分钟）…');
  const ok =
    spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['rebuild', 'better-sqlite3-multiple-ciphers'], {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    }).status === 0;
  process.exit(ok ? 0 : 1);
}

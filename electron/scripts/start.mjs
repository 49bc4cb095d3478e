// npm start: installs what is missing, builds, and opens the desktop app; where the Electron binary is
// missing or cannot start (no display, no download), says so and opens browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, env = process.env) =>
  spawnSync(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' }).status === 0;

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('第一次运行：正在安装依赖（约需几分钟）…');
  if (!run(npm, ['install'])) {
    console.log('安装 Electron 桌面程序失败（可能无法下载）：改为只安装浏览器模式所需的部分。');
    if (!run(npm, ['install'], { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })) process.exit(2);
  }
}
console.log('正在生成程序…');
if (!run(npm, ['run', 'build'])) process.exit(2);

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when the binary was never downloaded.
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function browserMode(reason) {
  console.log(`${reason}\n改用浏览器模式：数据和功能与桌面版相同，只在本机可访问。`);
  const child = spawn(process.execPath, ['dist/node/cli.cjs', 'serve', '--open', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

const electron = electronBinary();
if (!electron) browserMode('未找到 Electron 桌面程序（安装时没有下载到）。');
else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
  browserMode('这台电脑没有图形桌面，无法打开桌面程序窗口。');
else {
  // better-sqlite3 must match Electron's Node ABI inside the app; tests rebuild it for Node when needed.
  run(npm, ['exec', '--', 'electron-builder', 'install-app-deps']);
  const started = Date.now();
  const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => {
    if (code && Date.now() - started < 5000) browserMode(`桌面程序无法启动（退出码 ${code}）。`);
    else process.exit(code ?? 0);
  });
}

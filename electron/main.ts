/**
 * The desktop shell: one window with Electron's safe defaults, the UI from app://aid-desk under a strict
 * CSP, no navigation away, no new windows, no permissions; the core runs in a utility process.
 */
import { app, BrowserWindow, dialog, net, protocol, session } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveDataDir } from './core/data-dir';
import { CONTENT_SECURITY_POLICY, contentType } from './core/security';
import { APP_ORIGIN, registerIpc, startCore } from './ipc';

app.setName('AidDesk');
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const flag = process.argv.indexOf('--data-dir');
const override = flag >= 0 ? process.argv[flag + 1] : process.env.AID_DESK_DATA_DIR;

async function serveRenderer(request: Request): Promise<Response> {
  const root = normalize(join(__dirname, '..', 'renderer'));
  const url = new URL(request.url);
  let file = normalize(join(root, decodeURIComponent(url.pathname)));
  if (url.host !== 'aid-desk' || (file !== root && !file.startsWith(root + sep))) return new Response('', { status: 404 });
  if (!/\.[a-z0-9]+$/i.test(file)) file = join(root, 'index.html');
  const res = await net.fetch(pathToFileURL(file).toString());
  return new Response(res.body, {
    status: res.status,
    headers: { 'Content-Type': contentType(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  protocol.handle('app', serveRenderer);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const core = startCore(override ? resolveDataDir(override) : app.getPath('userData'));
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'AidDesk 资助工作台',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.removeMenu();
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  // A form with unsaved edits blocks unload (renderer/src/components/unsaved.ts): Electron shows no prompt of
  // its own, so the same question is asked here; closing anyway keeps the survey's held copy in the core.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['放弃修改并关闭', '继续编辑'],
      defaultId: 1,
      cancelId: 1,
      title: '有未保存的修改',
      message: '刚才填写或修改的内容还没有保存，关闭后将丢失（调查表已自动留存，下次打开可恢复）。确定关闭吗？',
    });
    if (choice === 0) event.preventDefault();
  });
  registerIpc(win, core);
  // Quitting locks the desk first: the core makes its closing rolling backup and forgets the key (on every
  // platform, where a signal to the core would not reach it on Windows).
  let locked = false;
  app.on('before-quit', (event) => {
    if (locked) return;
    event.preventDefault();
    locked = true;
    const timeout = new Promise((resolve) => setTimeout(resolve, 30_000));
    void Promise.race([core.call('desk.lock', {}), timeout]).finally(() => app.quit());
  });
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('window-all-closed', () => app.quit());
void start();

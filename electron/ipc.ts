/**
 * The relay between the window and the core: checks that the caller is our own page, validates the
 * arguments against the contract, and passes the call to the core's utility process.
 */
import { BrowserWindow, dialog, ipcMain, utilityProcess, type IpcMainInvokeEvent } from 'electron';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiResponse } from '../shared/api';
import { checkCall } from './core/check-call';

export const APP_ORIGIN = 'app://aid-desk';
export const INVOKE_CHANNEL = 'aid-desk:invoke';
export const PDF_CHANNEL = 'aid-desk:save-pdf';

export interface CoreRelay {
  call(name: string, args: unknown): Promise<ApiResponse<unknown>>;
}

export function startCore(dataDir: string): CoreRelay {
  const pending = new Map<number, (r: ApiResponse<unknown>) => void>();
  let nextId = 1;
  const child = utilityProcess.fork(join(__dirname, 'core.cjs'), ['--data-dir', dataDir], { serviceName: 'AidDesk core' });
  child.on('message', (m: { id?: number; response?: ApiResponse<unknown> }) => {
    if (m.id !== undefined && m.response) {
      pending.get(m.id)?.(m.response);
      pending.delete(m.id);
    }
  });
  child.on('exit', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'core-exited', message: '后台服务意外退出，操作没有完成。请重新启动程序。' } });
    }
    pending.clear();
  });
  return {
    call: (name, args) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        child.postMessage({ id, name, args });
      }),
  };
}

function fromOurPage(event: IpcMainInvokeEvent, win: BrowserWindow): boolean {
  const frame = event.senderFrame;
  return (
    event.sender === win.webContents && frame !== null && frame === win.webContents.mainFrame && frame.url.startsWith(`${APP_ORIGIN}/`)
  );
}

/**
 * A printed document saved as PDF (the archive copy): rendered in a hidden, script-less window with
 * Chromium's own printToPDF, then written where the clerk chooses.
 */
async function savePdf(win: BrowserWindow, html: string, title: string): Promise<{ saved: boolean }> {
  const target = await dialog.showSaveDialog(win, {
    defaultPath: `${title.replace(/[\\/:*?"<>|]/g, '_')}.pdf`,
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  });
  if (target.canceled || !target.filePath) return { saved: false };
  const page = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    await page.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
    await writeFile(target.filePath, await page.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true }));
    return { saved: true };
  } finally {
    page.destroy();
  }
}

export function registerIpc(win: BrowserWindow, core: CoreRelay): void {
  ipcMain.handle(PDF_CHANNEL, async (event, html: unknown, title: unknown) => {
    if (!fromOurPage(event, win) || typeof html !== 'string' || typeof title !== 'string' || html.length > 50_000_000)
      return { saved: false };
    return savePdf(win, html, title.slice(0, 100));
  });
  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, args: unknown): Promise<ApiResponse<unknown>> => {
    if (!fromOurPage(event, win)) return { ok: false, error: { code: 'forbidden-sender', message: '拒绝访问：调用不是来自本程序的页面' } };
    const call = checkCall(name, args);
    return call.ok ? core.call(call.name, call.args) : call;
  });
}

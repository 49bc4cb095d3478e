/**
 * The renderer's only way to the core. In the desktop app the preload's `aidDesk.invoke` (IPC); in
 * browser mode the local web host, with the token from the address's #token= fragment.
 */
import { unwrap, type ApiClient, type ApiResponse } from '../../../shared/api';
import { UPLOAD_PART_BYTES } from '../../../shared/api/common';

interface Bridge {
  invoke(name: string, args: unknown): Promise<ApiResponse<unknown>>;
  /** Desktop only: the shell renders the document with printToPDF and asks where to save it. */
  savePdf?(html: string, title: string): Promise<{ saved: boolean }>;
}

declare global {
  interface Window {
    aidDesk?: Bridge;
  }
}

const TOKEN_KEY = 'aid-desk-token';

/** Takes the token out of the address bar (so it is not copied around) and keeps it for this tab. */
function webToken(): string {
  const match = /(?:^|[#&])token=([0-9a-f]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    // Keep the rest of the fragment (the page's route), drop only the token.
    const rest = window.location.hash.replace(/[#&]?token=[0-9a-f]+/, '').replace(/^#?&?/, '');
    history.replaceState(null, '', window.location.pathname + window.location.search + (rest ? `#${rest}` : ''));
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function webBridge(): Bridge {
  const token = webToken();
  return {
    async invoke(name, args) {
      let res: Response;
      try {
        res = await fetch(`./api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Aid-Desk-Token': token },
          body: JSON.stringify(args ?? {}),
        });
      } catch {
        return { ok: false, error: { code: 'offline', message: '连接不到本机的 AidDesk 服务：请确认命令行窗口中的服务仍在运行' } };
      }
      return (await res.json()) as ApiResponse<unknown>;
    },
  };
}

const bridge: Bridge = window.aidDesk ?? webBridge();

/** Fired when the core answers "locked" (the idle lock, or another window locked it): the lock screen shows. */
export const LOCKED_EVENT = 'aid-desk-locked';

export const client: ApiClient = {
  invoke: async (name, args) => {
    const response = await bridge.invoke(name, args);
    if (!response.ok && response.error.code === 'locked') window.dispatchEvent(new Event(LOCKED_EVENT));
    return unwrap(response) as never;
  },
};

export const isDesktop = window.aidDesk !== undefined;

/** Saves a printed document as PDF in the desktop app; null in browser mode (print to PDF from the dialog). */
export const savePdf = window.aidDesk?.savePdf ? (html: string, title: string) => window.aidDesk!.savePdf!(html, title) : null;

/** A file (or a part of one) as the contract carries it. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A file to preview, as the contract's upload: sent whole when small, in parts first when large (a county's roster
 * is 50 MB and more; one message carries at most 30 MB). The core refuses a file over its limit at the first part.
 */
export async function uploadOf(file: File): Promise<{ fileName: string; dataBase64: string } | { uploadId: string }> {
  if (file.size <= UPLOAD_PART_BYTES) return { fileName: file.name, dataBase64: await fileToBase64(file) };
  let uploadId: string | undefined;
  for (let offset = 0; offset < file.size; offset += UPLOAD_PART_BYTES) {
    const dataBase64 = await fileToBase64(file.slice(offset, offset + UPLOAD_PART_BYTES));
    uploadId = (await client.invoke('uploads.part', { uploadId, fileName: file.name, size: file.size, offset, dataBase64 })).uploadId;
  }
  return { uploadId: uploadId! };
}

/** The window's only doors: `invoke` to the core, and saving a printed document as PDF. Nothing else of Node or Electron. */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('aidDesk', {
  invoke: (name: string, args: unknown): Promise<unknown> => ipcRenderer.invoke('aid-desk:invoke', name, args),
  savePdf: (html: string, title: string): Promise<unknown> => ipcRenderer.invoke('aid-desk:save-pdf', html, title),
});

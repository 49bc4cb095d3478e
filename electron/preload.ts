/** The window's only door to the core: one `invoke`, nothing else of Node or Electron. */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('aidDesk', {
  invoke: (name: string, args: unknown): Promise<unknown> => ipcRenderer.invoke('aid-desk:invoke', name, args),
});

/**
 * The core in its own process (Electron utilityProcess), so a long import never freezes the window.
 * Messages come from main's relay in electron/ipc.ts: { id, name, args } → { id, response }.
 */
import { createContext, lockedStore } from '../core/context';
import { resolveDataDir } from '../core/data-dir';
import { dispatch } from '../core/dispatch';
import { lock } from '../core/desk/session';

interface Request {
  id: number;
  name: unknown;
  args: unknown;
}

async function run(): Promise<void> {
  const flag = process.argv.indexOf('--data-dir');
  const dataDir = resolveDataDir(flag >= 0 ? process.argv[flag + 1] : undefined);
  // Locked until the clerk types the password in the window (desk.setUp / desk.unlock).
  const ctx = createContext(lockedStore(), { desk: { dataDir, open: false, operator: null, lastCall: Date.now(), autoBackups: true } });
  const port = process.parentPort;
  port.on('message', (event) => {
    const { id, name, args } = event.data as Request;
    void dispatch(ctx, name, args).then((response) => port.postMessage({ id, response }));
  });
  // Quit: the closing rolling backup, then the key is forgotten (Windows ends the process without a signal;
  // there the rolling backups while editing and on lock are what remains).
  process.once('SIGTERM', () => void lock(ctx).finally(() => process.exit(0)));
  port.postMessage({ ready: true });
}

run().catch((e: unknown) => {
  console.error('[aid-desk] core failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * Where the desk keeps its data: the desktop app's user-data folder by default (the same folder Electron's
 * app.getPath('userData') gives for the app name AidDesk), overridden by --data-dir or AID_DESK_DATA_DIR.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'AidDesk';
export const DATABASE_FILE = 'aid-desk.sqlite';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** --data-dir wins over AID_DESK_DATA_DIR, which wins over the default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.AID_DESK_DATA_DIR ?? defaultDataDir(env));
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * Choices the screens remember (the programme, class and term last used on each page, print options), kept
 * by the core with the data so they survive a restart in either mode. Loaded once when the app opens; a
 * change is written through. The term board sets them before opening a page, so the page opens on them.
 */
import { useCallback, useState } from 'react';
import type { Preferences } from '../../../shared/api/school';
import { client } from '../api/client';

type Value = Preferences[string];
let current: Preferences = {};

export async function loadPreferences(): Promise<void> {
  current = await client.invoke('ui.preferences', {});
}

export function remembered<T extends Value>(key: string, fallback: T): T {
  return (key in current ? current[key] : fallback) as T;
}

/** Remembers a choice; the write is best effort (a choice not kept is no loss of data). */
export function remember(key: string, value: Value): void {
  if (current[key] === value) return;
  current = { ...current, [key]: value };
  void client.invoke('ui.remember', { key, value }).catch(() => {});
}

/** useState that starts from the remembered choice and remembers each change (a value or an update of the last one). */
export function useRemembered<T extends Value>(key: string, fallback: T): [T, (next: T | ((previous: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => remembered(key, fallback));
  const set = useCallback(
    (next: T | ((previous: T) => T)) =>
      setValue((previous) => {
        const v = typeof next === 'function' ? next(previous) : next;
        remember(key, v); // idempotent: safe if React runs the update twice
        return v;
      }),
    [key],
  );
  return [value, set];
}

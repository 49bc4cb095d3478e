/**
 * The core's today, for the forms' default dates. The core owns the clock: every rule about time uses its
 * today, so the forms start from the same day (fetched when the app opens, and again each hour).
 */
import dayjs from 'dayjs';
import { client } from './client';

let current = dayjs().format('YYYY-MM-DD');

export async function syncToday(): Promise<void> {
  current = (await client.invoke('clock.today', {})).today;
}

export const today = (): string => current;

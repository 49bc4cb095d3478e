import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from '../../shared/api';
import { createContext, type CoreContext } from '../../electron/core/context';
import { openStore } from '../../electron/core/db/open';
import { directClient } from '../../electron/core/dispatch';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
export const fixture = (name: string) => join(FIXTURES, name);

/** A fixed clock: 2026-11-22 10:00 in China. */
export const NOW = new Date('2026-11-22T02:00:00Z');

export interface TestCore {
  ctx: CoreContext;
  client: ApiClient;
  dir: string;
  file: string;
  /** Moves the core's clock to 10:00 (China) on a day; `null` back to NOW. The core owns the clock: tests move it. */
  setToday(date: string | null): void;
  close(): Promise<void>;
}

/** 10:00 in China on a day, as the core's clock. */
export const at = (date: string) => new Date(`${date}T02:00:00Z`);

/** A real SQLite file in a fresh temp folder, with the school set up unless told otherwise. */
export async function testCore(options: { school?: boolean } = {}): Promise<TestCore> {
  const dir = mkdtempSync(join(tmpdir(), 'aid-desk-test-'));
  const file = join(dir, 'aid-desk.sqlite');
  let now = NOW;
  const ctx = createContext(await openStore(file), { now: () => now });
  const client = directClient(ctx);
  if (options.school !== false) {
    await client.invoke('school.setup', {
      name: '青山县青山镇中心学校',
      county: '青山县',
      township: '青山镇',
      stages: ['preschool', 'primary', 'junior'],
      schoolYear: '2026-2027',
      term: '2026-autumn',
    });
  }
  return {
    ctx,
    client,
    dir,
    file,
    setToday: (date) => {
      now = date === null ? NOW : at(date);
    },
    close: async () => {
      await ctx.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

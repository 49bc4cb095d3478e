import { describe, expect, it } from 'vitest';
import { crashCore, crashRun, OPERATIONS } from '../../helpers/crash';

const KILLS = Number(process.env.CRASH_KILLS ?? 9);

describe('the crash harness', () => {
  it(`leaves every desk whole and all-or-nothing after ${KILLS} kills of each operation (the built command line, SIGKILL)`, async () => {
    const results = await crashRun(OPERATIONS, KILLS, crashCore);
    expect(results).toHaveLength(KILLS * OPERATIONS.length);
    const figures = Object.fromEntries(
      OPERATIONS.map((op) => {
        const mine = results.filter((r) => r.op === op);
        return [
          op,
          `${mine.length} 次：操作前 ${mine.filter((r) => r.state === 'before').length}，操作后 ${mine.filter((r) => r.state === 'after').length}`,
        ];
      }),
    );
    console.log('[crash]', JSON.stringify(figures));
  }, 600_000);
});

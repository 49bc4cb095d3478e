import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepPrintLeftovers } from '../../../electron/host/pdf';

describe('pages rendered to PDF', () => {
  it('leave nothing behind: the folder of a render killed midway is cleared by the next one, a live one kept', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aid-desk-sweep-'));
    // A process that is gone (it ran and exited), and one still running.
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      for (const pid of [gone, live.pid!]) {
        mkdirSync(join(root, `aid-desk-pdf-${pid}-abc123`));
        writeFileSync(join(root, `aid-desk-pdf-${pid}-abc123`, 'roster.html'), '<td>433125201703052146</td>');
      }
      mkdirSync(join(root, 'something-else'));
      expect(sweepPrintLeftovers(root)).toEqual([`aid-desk-pdf-${gone}-abc123`]);
      expect(existsSync(join(root, `aid-desk-pdf-${gone}-abc123`))).toBe(false);
      expect(existsSync(join(root, `aid-desk-pdf-${live.pid}-abc123`, 'roster.html'))).toBe(true);
      expect(existsSync(join(root, 'something-else'))).toBe(true);
    } finally {
      live.kill('SIGKILL');
    }
  });
});

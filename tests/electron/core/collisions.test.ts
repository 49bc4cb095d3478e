import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { databaseKeyPragma } from '../../../electron/core/desk/keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collisionOf } from '../../../electron/core/dispatch';
import { testCore, type TestCore } from '../../helpers/core';
import { upload } from '../../helpers/fixtures';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

describe('two writers at once', () => {
  it('tells the later one, in Chinese, that nothing was written and to try again: no stack trace, no half import', async () => {
    const preview = await core.client.invoke('roster.preview', { upload: upload('roster-qingshan-central-school.xlsx') });
    const args = { uploadId: preview.uploadId, mapping: preview.mapping };
    // Another process (the CLI beside the app) is in the middle of a write.
    const other = new SqliteDatabase(core.file);
    other.pragma(databaseKeyPragma(core.ctx.store.key!));
    other.pragma('busy_timeout = 0');
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      await expect(core.client.invoke('roster.import', args)).rejects.toMatchObject({
        code: 'busy',
        message: expect.stringContaining('没有写入任何内容'),
      });
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(core.ctx.store.sqlite.prepare('SELECT count(*) FROM student').pluck().get()).toBe(0);
    // Once the other writer is done, the same import goes through.
    const r = await core.client.invoke('roster.import', args);
    expect(r.imported).toBe(684);
  }, 20_000);

  it('names a unique-key collision as such, and leaves every other error to the internal one', () => {
    const err = (code: string) => Object.assign(new Error('x'), { name: 'SqliteError', code });
    expect(collisionOf(err('SQLITE_CONSTRAINT_UNIQUE'))).toMatchObject({ code: 'conflict' });
    expect(collisionOf(err('SQLITE_BUSY_SNAPSHOT'))).toMatchObject({ code: 'busy' });
    expect(collisionOf(err('SQLITE_CORRUPT'))).toBeNull();
    expect(collisionOf(new Error('x'))).toBeNull();
  });
});

import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../electron/core/context';
import { openStore } from '../../../electron/core/db/open';
import {
  checkPasswordChange,
  deskFileState,
  rekeyDatabaseFile,
  rekeyDesk,
  isPlainDatabase,
  keyFilePath,
  recoverDesk,
  setUpDesk,
  unlockDesk,
} from '../../../electron/core/desk/desk';
import {
  databaseKeyPragma,
  openSealed,
  readKeyFile,
  sealBytes,
  sha256,
  startRekey,
  unlockWithPassword,
  writeKeyFile,
} from '../../../electron/core/desk/keys';
import type { Store } from '../../../electron/core/db/open';
import { createContext as contextOf } from '../../../electron/core/context';
import { readStoredFile, storeFile } from '../../../electron/core/archive/attachments';
import { directClient } from '../../../electron/core/dispatch';
import { FAST_KDF, NOW, TEST_PASSWORD, testCore, type TestCore } from '../../helpers/core';
import { upload } from '../../helpers/fixtures';
import { reportedDaySubsidyTerm } from '../../helpers/terms';

const term = '2026-autumn' as const;

/** Every file under a folder, recursively. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** The secrets of the fixture school as they would show in `strings`: ID numbers, bank cards, names. */
function secretsOf(core: TestCore, withCards = false): string[] {
  const q = (sql: string) => core.ctx.store.sqlite.prepare(sql).pluck().all() as string[];
  const ids = q(`SELECT id_number FROM student WHERE id_number IS NOT NULL LIMIT 200`);
  const cards = q(
    `SELECT DISTINCT card FROM (SELECT bank_card AS card FROM student UNION SELECT account FROM payment) WHERE length(card) >= 12 LIMIT 50`,
  );
  const names = q(`SELECT name FROM student LIMIT 50`).filter((n) => n.length >= 3);
  expect(ids.length).toBeGreaterThan(100);
  if (withCards) expect(cards.length).toBeGreaterThan(10);
  return [...ids, ...cards, ...names];
}

function leaks(files: string[], secrets: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const data = readFileSync(file);
    for (const s of secrets) if (data.includes(Buffer.from(s, 'utf8'))) found.push(`${file}: ${s.slice(0, 4)}…`);
  }
  return found;
}

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

describe('the desk at rest', () => {
  it('keeps no ID number, bank card or name readable in the database, its WAL, attachments or backups', async () => {
    const { programmeId } = await reportedDaySubsidyTerm(core);
    await core.client.invoke('payments.importBank', {
      upload: upload('bank-return-2026-autumn.xlsx'),
      programmeId,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    const secrets = secretsOf(core, true);
    // An attachment whose own bytes hold personal data (a scanned roster as text).
    const items = await core.client.invoke('archive.items', { term, scope: 'term' });
    await core.client.invoke('archive.attach', {
      key: items.find((i) => i.name === '公示名单与照片')!,
      fileName: '名单.html',
      dataBase64: Buffer.from(`<p>${secrets.join(' ')}</p>`).toString('base64'),
    });
    // Committed but not yet checkpointed: the WAL holds the latest pages.
    expect(statSync(`${core.file}-wal`).size).toBeGreaterThan(0);
    const backup = await core.client.invoke('backup.create', {});
    const files = filesUnder(core.dir);
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    expect(files.filter((f) => f.includes(join('attachments', ''))).length).toBeGreaterThanOrEqual(2);
    expect(files.some((f) => f.startsWith(backup.path))).toBe(true);
    expect(leaks(files, secrets)).toEqual([]);
    // The test itself can see what it looks for: the same bytes in the clear would be found.
    writeFileSync(join(core.dir, 'probe.txt'), secrets[0]!);
    expect(leaks([join(core.dir, 'probe.txt')], secrets)).toHaveLength(1);
  });

  it('opens with the password only: a wrong password or key opens nothing', async () => {
    const students = await core.client.invoke('students.list', {});
    await core.ctx.store.close();
    await expect(unlockDesk(core.dir, 'qingshan-2027', NOW)).rejects.toThrow('密码不正确');
    await expect(openStore(core.file, randomBytes(32))).rejects.toThrow('无法用这把密钥打开');
    const plain = new SqliteDatabase(core.file);
    expect(() => plain.prepare(`SELECT count(*) FROM student`).get()).toThrow(/not a database/);
    plain.close();
    core.ctx.store = (await unlockDesk(core.dir, TEST_PASSWORD, NOW)).store;
    expect(await core.client.invoke('students.list', {})).toEqual(students);
  });

  it('re-keys on a password change (new key, new recovery code), and the recovery code sets a new password', async () => {
    await core.ctx.store.close();
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-keys-'));
    try {
      const { store, recoveryCode } = await setUpDesk(dir, 'first-pass-1', NOW, FAST_KDF);
      expect(recoveryCode).toMatch(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/);
      store.sqlite.prepare(`INSERT INTO setting (key, value, updated_at) VALUES ('probe', '1', 'x')`).run();
      const photo = storeAttachment(store);
      await store.close();
      const database = readFileSync(join(dir, 'aid-desk.sqlite'));
      const keyId = readKeyFile(keyFilePath(dir))!.keyId;

      expect(() => checkPasswordChange(dir, 'wrong-pass-1', 'second-pass-2')).toThrow('原密码不正确');
      expect(() => checkPasswordChange(dir, 'first-pass-1', '12345678')).toThrow('不能只有数字');
      const changed = await rekeyDesk(dir, 'first-pass-1', 'second-pass-2', NOW);
      await changed.store.close();
      // A new key: the file is rewritten, the key file names another key, the old code is void.
      expect(readFileSync(join(dir, 'aid-desk.sqlite')).equals(database)).toBe(false);
      expect(readKeyFile(keyFilePath(dir))!.keyId).not.toBe(keyId);
      expect(readKeyFile(keyFilePath(dir))!.rekey).toBeUndefined();
      expect(changed.recoveryCode).not.toBe(recoveryCode);
      await expect(unlockDesk(dir, 'first-pass-1', NOW)).rejects.toThrow('密码不正确');
      await expect(recoverDesk(dir, recoveryCode!, 'third-pass-3', NOW)).rejects.toThrow('恢复码不正确');
      const second = (await unlockDesk(dir, 'second-pass-2', NOW)).store;
      expect(second.sqlite.prepare(`SELECT value FROM setting WHERE key = 'probe'`).pluck().get()).toBe('1');
      expect(readAttachment(second, photo)).toBe(true);
      await second.close();

      // Typed in lower case without dashes: still the code.
      const recovered = (await recoverDesk(dir, changed.recoveryCode!.toLowerCase().replace(/-/g, ' '), 'third-pass-3', NOW)).store;
      await recovered.close();
      await expect(unlockDesk(dir, 'second-pass-2', NOW)).rejects.toThrow('密码不正确');
      await (await unlockDesk(dir, 'third-pass-3', NOW)).store.close();
      await expect(setUpDesk(dir, 'fourth-pass-4', NOW, FAST_KDF)).rejects.toThrow('已经设置过密码');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    core.ctx.store = (await unlockDesk(core.dir, TEST_PASSWORD, NOW)).store;
  });

  it('finishes a password change cut short at any step, with the old password or the new one', async () => {
    await core.ctx.store.close();
    const root = mkdtempSync(join(tmpdir(), 'aid-desk-rekey-'));
    try {
      const base = join(root, 'base');
      const { store } = await setUpDesk(base, 'first-pass-1', NOW, FAST_KDF);
      store.sqlite.prepare(`INSERT INTO setting (key, value, updated_at) VALUES ('probe', '1', 'x')`).run();
      const photos = [storeAttachment(store, 'a'), storeAttachment(store, 'b')];
      await store.close();
      // Each stage a power cut can leave: the journal written; the database re-keyed too; one photo re-sealed.
      for (const [stage, password] of [
        ['journal', 'first-pass-1'],
        ['journal', 'second-pass-2'],
        ['database', 'first-pass-1'],
        ['one-photo', 'second-pass-2'],
      ] as const) {
        const dir = join(root, `${stage}-${password}`);
        cpSync(base, dir, { recursive: true });
        const keyFile = readKeyFile(keyFilePath(dir))!;
        const oldKey = unlockWithPassword(keyFile, 'first-pass-1');
        const started = startRekey(keyFile, oldKey, 'second-pass-2');
        writeKeyFile(keyFilePath(dir), started.keyFile);
        if (stage !== 'journal') rekeyDatabaseFile(join(dir, 'aid-desk.sqlite'), oldKey, started.newKey);
        if (stage === 'one-photo') {
          const f = join(dir, 'attachments', photos[0]!.slice(0, 2), photos[0]!);
          writeFileSync(f, sealBytes(started.newKey, openSealed(oldKey, readFileSync(f), photos[0]!)!, photos[0]!));
        }
        const opened = await unlockDesk(dir, password, NOW);
        // Finished: the new code is given to show, the new password opens it, the old does not.
        expect(opened.recoveryCode).toBe(started.recoveryCode);
        expect(opened.store.sqlite.prepare(`SELECT value FROM setting WHERE key = 'probe'`).pluck().get()).toBe('1');
        for (const p of photos) expect(readAttachment(opened.store, p), `${stage} ${p}`).toBe(true);
        await opened.store.close();
        expect(readKeyFile(keyFilePath(dir))!.rekey).toBeUndefined();
        await expect(unlockDesk(dir, 'first-pass-1', NOW)).rejects.toThrow('密码不正确');
        await (await unlockDesk(dir, 'second-pass-2', NOW)).store.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    core.ctx.store = (await unlockDesk(core.dir, TEST_PASSWORD, NOW)).store;
  });

  it('encrypts a desk from before encryption, and finishes an encryption cut short by a power cut', async () => {
    await core.client.invoke('roster.import', await previewArgs(core));
    const items = await core.client.invoke('archive.items', { term, scope: 'term' });
    const photo = Buffer.from('照片 '.repeat(300));
    await core.client.invoke('archive.attach', { key: items[0]!, fileName: '照片.png', dataBase64: photo.toString('base64') });
    const secrets = secretsOf(core).slice(0, 100);
    const key = core.ctx.store.key!;
    await core.ctx.store.close();
    // Make it an old desk: database in the clear (rekey to nothing), attachments in the clear, no key file.
    const db = new SqliteDatabase(core.file);
    db.pragma(databaseKeyPragma(key));
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey = ''`);
    db.pragma('journal_mode = WAL');
    db.close();
    const sha = sha256(photo);
    const photoFile = join(core.dir, 'attachments', sha.slice(0, 2), sha);
    writeFileSync(photoFile, photo);
    rmSync(keyFilePath(core.dir));
    expect(isPlainDatabase(core.file)).toBe(true);
    expect(deskFileState(core.dir)).toBe('unencrypted');
    expect(leaks([core.file], secrets).length).toBeGreaterThan(0);

    const { store, recoveryCode } = await setUpDesk(core.dir, 'new-pass-2026', NOW, FAST_KDF);
    expect(recoveryCode).toBeTruthy();
    expect(deskFileState(core.dir)).toBe('locked');
    core.ctx.store = store;
    expect(leaks(filesUnder(core.dir), secrets)).toEqual([]);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(684);
    const link = (await core.client.invoke('archive.items', { term, scope: 'term' }))[0]!.attachments[0]!;
    expect(Buffer.from((await core.client.invoke('archive.file', { attachmentId: link.id })).dataBase64, 'base64').equals(photo)).toBe(
      true,
    );

    // Cut short: the key file is written, the database and one attachment are still in the clear.
    const newKey = core.ctx.store.key!;
    await core.ctx.store.close();
    const again = new SqliteDatabase(core.file);
    again.pragma(databaseKeyPragma(newKey));
    again.pragma('journal_mode = DELETE');
    again.pragma(`rekey = ''`);
    again.pragma('journal_mode = WAL');
    again.close();
    writeFileSync(photoFile, photo);
    writeFileSync(`${core.file}.encrypting`, 'half a copy');
    core.ctx.store = (await unlockDesk(core.dir, 'new-pass-2026', NOW)).store;
    expect(isPlainDatabase(core.file)).toBe(false);
    expect(existsSync(`${core.file}.encrypting`)).toBe(false);
    expect(leaks(filesUnder(core.dir), secrets)).toEqual([]);
    expect(Buffer.from((await core.client.invoke('archive.file', { attachmentId: link.id })).dataBase64, 'base64').equals(photo)).toBe(
      true,
    );
  });

  it('refuses an attachment altered on disk', async () => {
    await core.client.invoke('roster.import', await previewArgs(core));
    const items = await core.client.invoke('archive.items', { term, scope: 'term' });
    await core.client.invoke('archive.attach', {
      key: items[0]!,
      fileName: '照片.png',
      dataBase64: Buffer.from('x'.repeat(500)).toString('base64'),
    });
    const link = (await core.client.invoke('archive.items', { term, scope: 'term' }))[0]!.attachments[0]!;
    const file = join(core.dir, 'attachments', link.sha256.slice(0, 2), link.sha256);
    const bytes = readFileSync(file);
    bytes[40] = bytes[40]! ^ 1;
    writeFileSync(file, bytes);
    await expect(core.client.invoke('archive.file', { attachmentId: link.id })).rejects.toThrow('附件文件已损坏或被改动');
  });
});

describe('encrypted backups', () => {
  it('refuse a manifest altered by hand, and a backup of another desk without its password', async () => {
    await core.client.invoke('roster.import', await previewArgs(core));
    const backup = await core.client.invoke('backup.create', {});
    expect(backup).toMatchObject({ encrypted: true, school: '青山县青山镇中心学校', students: 684 });
    const manifestFile = join(backup.path, 'manifest.json');
    const manifest = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, manifest.replace('"students": 684', '"students": 685'));
    await expect(core.client.invoke('backup.restore', { name: backup.name })).rejects.toThrow('备份说明文件被改动过');
    writeFileSync(manifestFile, manifest);

    // Another desk (another laptop) under its own password restores it only with the backup's password.
    const other = mkdtempSync(join(tmpdir(), 'aid-desk-other-'));
    try {
      const ctx = createContext((await setUpDesk(other, 'other-pass-1', NOW, FAST_KDF)).store, { now: () => NOW });
      const client = directClient(ctx);
      const usb = join(backup.path, '..');
      await expect(client.invoke('backup.restore', { name: backup.name, folder: usb })).rejects.toThrow('请输入做这份备份时的密码');
      await expect(client.invoke('backup.restore', { name: backup.name, folder: usb, password: 'other-pass-1' })).rejects.toThrow(
        '备份的密码不正确',
      );
      expect(ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(0);
      const restored = await client.invoke('backup.restore', { name: backup.name, folder: usb, password: TEST_PASSWORD });
      expect(restored.students).toBe(684);
      // Now under the other desk's own key: its password opens it, the backup's does not.
      expect(ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(684);
      expect(readKeyFile(keyFilePath(other))!.keyId).not.toBe(readKeyFile(keyFilePath(core.dir))!.keyId);
      await ctx.store.close();
      await expect(unlockDesk(other, TEST_PASSWORD, NOW)).rejects.toThrow('密码不正确');
      const reopened = (await unlockDesk(other, 'other-pass-1', NOW)).store;
      expect(reopened.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(684);
      await reopened.close();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('restore a backup from before encryption, encrypting it on the way in', async () => {
    await core.client.invoke('roster.import', await previewArgs(core));
    const secrets = secretsOf(core).slice(0, 50);
    const backup = await core.client.invoke('backup.create', {});
    // As an old backup was: a database in the clear and a manifest without key or seal.
    const file = join(backup.path, 'aid-desk.sqlite');
    const copy = new SqliteDatabase(file);
    copy.pragma(databaseKeyPragma(core.ctx.store.key!));
    copy.pragma('journal_mode = DELETE');
    copy.pragma(`rekey = ''`);
    copy.close();
    const manifest = JSON.parse(readFileSync(join(backup.path, 'manifest.json'), 'utf8'));
    delete manifest.keyId;
    delete manifest.seal;
    manifest.database.sha256 = sha256(readFileSync(file));
    writeFileSync(join(backup.path, 'manifest.json'), JSON.stringify(manifest));
    expect(isPlainDatabase(file)).toBe(true);
    core.ctx.store.sqlite.prepare(`INSERT INTO setting (key, value, updated_at) VALUES ('after-backup', '1', 'x')`).run();

    const restored = await core.client.invoke('backup.restore', { name: backup.name });
    expect(restored.encrypted).toBe(false);
    expect(isPlainDatabase(core.file)).toBe(false);
    expect(leaks([core.file], secrets)).toEqual([]);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM setting WHERE key = 'after-backup'`).pluck().get()).toBe(0);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(684);
  });
});

describe('the lock', () => {
  it('answers nothing but the desk while locked, locks itself after the idle minutes by the core clock', async () => {
    await core.ctx.store.close();
    let now = NOW.getTime();
    const ctx = createContext((await unlockDesk(core.dir, TEST_PASSWORD, NOW)).store, {
      now: () => new Date(now),
      desk: { dataDir: core.dir, open: true, operator: '李老师', lastCall: now },
    });
    const client = directClient(ctx);
    expect(await client.invoke('desk.status', {})).toEqual({ state: 'open', operator: '李老师', idleMinutes: 10 });
    await client.invoke('desk.setIdleMinutes', { minutes: 5 });
    now += 4 * 60_000;
    await expect(client.invoke('school.get', {})).resolves.toMatchObject({ name: '青山县青山镇中心学校' });
    now += 5 * 60_000 + 1000;
    await expect(client.invoke('school.get', {})).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining('自动锁定') });
    expect(await client.invoke('desk.status', {})).toEqual({ state: 'locked', operator: null, idleMinutes: null });
    await expect(client.invoke('students.list', {})).rejects.toMatchObject({ code: 'locked' });
    await expect(client.invoke('desk.unlock', { password: 'nope-nope-1', operator: '李老师' })).rejects.toThrow('密码不正确');
    await expect(client.invoke('desk.unlock', { password: TEST_PASSWORD, operator: ' ' })).rejects.toThrow('经办人');
    expect(await client.invoke('desk.unlock', { password: TEST_PASSWORD, operator: '王老师' })).toEqual({
      state: 'open',
      operator: '王老师',
      idleMinutes: 5,
    });
    await expect(client.invoke('school.get', {})).resolves.toMatchObject({ name: '青山县青山镇中心学校' });
    expect(await client.invoke('desk.lock', {})).toMatchObject({ state: 'locked' });
    await expect(client.invoke('school.get', {})).rejects.toMatchObject({ code: 'locked' });
    core.ctx.store = (await unlockDesk(core.dir, TEST_PASSWORD, NOW)).store;
  });

  it('sets up a new desk through the contract, showing the recovery code once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-new-'));
    try {
      const ctx = createContext((await import('../../../electron/core/context')).lockedStore(), {
        desk: { dataDir: dir, open: false, operator: null, lastCall: 0, kdf: FAST_KDF },
      });
      const client = directClient(ctx);
      expect(await client.invoke('desk.status', {})).toMatchObject({ state: 'new' });
      await expect(client.invoke('desk.setUp', { password: 'abc', operator: '李老师' })).rejects.toThrow('密码至少 8 位');
      const { recoveryCode, status } = await client.invoke('desk.setUp', { password: 'qingshan-2026', operator: '李老师' });
      expect(recoveryCode).toHaveLength(29);
      expect(status).toMatchObject({ state: 'open', operator: '李老师' });
      expect(JSON.stringify(readKeyFile(keyFilePath(dir)))).not.toContain(recoveryCode.replace(/-/g, ''));
      await client.invoke('desk.lock', {});
      await expect(client.invoke('desk.setUp', { password: 'qingshan-2027', operator: '李老师' })).rejects.toThrow('已经设置过密码');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function previewArgs(core: TestCore) {
  const preview = await core.client.invoke('roster.preview', { upload: upload('roster-qingshan-central-school.xlsx') });
  return { uploadId: preview.uploadId, mapping: preview.mapping };
}

/** A photo stored through the attachments module (sealed under the store's key); returns its name. */
function storeAttachment(store: Store, text = 'x'): string {
  return storeFile(contextOf(store), 'photo.png', Buffer.from(`照片 ${text} `.repeat(200)));
}

function readAttachment(store: Store, sha: string): boolean {
  return sha256(readStoredFile(contextOf(store), sha)) === sha;
}

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { listBackups, RESTORE_STEPS, restoreFiles, verifyBackup } from '../../../electron/core/backup';
import { packBackup, unpackBackup } from '../../../electron/core/backup-file';
import { createContext } from '../../../electron/core/context';
import { directClient } from '../../../electron/core/dispatch';
import { lockFileOf, openStore } from '../../../electron/core/db/open';
import { databaseKeyPragma, sealDigest } from '../../../electron/core/desk/keys';
import { NOW, testCore, type TestCore } from '../../helpers/core';
import { upload } from '../../helpers/fixtures';
import { reportedDaySubsidyTerm } from '../../helpers/terms';

let core: TestCore;
const term = '2026-autumn' as const;
const PHOTO = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from('公示现场照片'.repeat(500))]);
const files = (root: string) =>
  existsSync(join(root, 'attachments'))
    ? readdirSync(join(root, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length
    : 0;
const count = (sql: string) => core.ctx.store.sqlite.prepare(sql).pluck().get() as number;
/** A second connection to an encrypted file, opened with the desk's key. */
function raw(file: string, key: Buffer, options: SqliteDatabase.Options = {}): SqliteDatabase.Database {
  const db = new SqliteDatabase(file, options);
  db.pragma(databaseKeyPragma(key));
  return db;
}

beforeEach(async () => {
  core = await testCore();
  const { programmeId } = await reportedDaySubsidyTerm(core);
  await core.client.invoke('payments.importBank', {
    upload: upload('bank-return-2026-autumn.xlsx'),
    programmeId,
    term,
    paidOn: '2026-11-20',
    dryRun: false,
  });
  const items = await core.client.invoke('archive.items', { term, scope: 'term' });
  for (const name of ['公示名单与照片', '宣传材料与照片']) {
    await core.client.invoke('archive.attach', {
      key: items.find((i) => i.name === name)!,
      fileName: '公示照片.png',
      dataBase64: PHOTO.toString('base64'),
    });
  }
});
afterEach(async () => core.close());

describe('rolling backups', () => {
  it('are made on the first change, then at most every 15 minutes by the core clock, and on lock', async () => {
    let t = NOW.getTime();
    const ctx = createContext(core.ctx.store, {
      now: () => new Date(t),
      desk: { dataDir: core.dir, open: true, operator: '李老师', lastCall: t, autoBackups: true, backedUpChanges: -1 },
    });
    const client = directClient(ctx);
    const auto = () => readdirSync(join(core.dir, 'backups', 'auto')).length;
    await client.invoke('desk.setIdleMinutes', { minutes: 60 }); // the gaps below would lock it otherwise
    const id = (await client.invoke('students.list', {})).rows[0]!.id;
    await client.invoke('students.update', { id, fields: { guardianName: '甲' } });
    expect(auto()).toBe(1);
    t += 5 * 60_000;
    await client.invoke('students.update', { id, fields: { guardianName: '乙' } });
    expect(auto()).toBe(1);
    t += 11 * 60_000;
    await client.invoke('students.list', {});
    // 16 minutes after the first: the change of minute 5 is backed up by the next call.
    expect(auto()).toBe(2);
    t += 20 * 60_000;
    await client.invoke('students.list', {});
    expect(auto()).toBe(2);
    t += 60_000;
    await client.invoke('students.update', { id, fields: { guardianName: '丙' } });
    expect(auto()).toBe(3);
    t += 60_000;
    await client.invoke('students.update', { id, fields: { guardianName: '丁' } });
    expect(auto()).toBe(3);
    // Lock: what was done since is backed up before the key goes.
    const store = ctx.store;
    await client.invoke('desk.lock', {});
    expect(auto()).toBe(4);
    const listed = listBackups(createContext(await openStore(core.file, store.key)));
    expect(listed.filter((b) => b.automatic)).toHaveLength(4);
    // The newest holds the last change.
    const newest = listed[0]!;
    const copy = raw(join(newest.path, 'aid-desk.sqlite'), store.key!, { readonly: true });
    expect(copy.prepare(`SELECT guardian_name FROM student WHERE id = ?`).pluck().get(id)).toBe('丁');
    copy.close();
    core.ctx.store = await openStore(core.file, store.key);
  });
});

describe('backups', () => {
  it('keep the database and every attachment once, and restore them bit for bit', async () => {
    const backup = await core.client.invoke('backup.create', {});
    // The bank file and the photo (added to two items): two files, each stored once.
    expect(backup).toMatchObject({ attachments: 2, payments: count(`SELECT count(*) FROM payment WHERE outcome = 'paid'`), students: 684 });
    expect(files(backup.path)).toBe(2);
    // Only what the manifest lists: no -wal or -shm beside the copy.
    expect(readdirSync(backup.path).sort()).toEqual(['aid-desk.key.json', 'aid-desk.sqlite', 'attachments', 'manifest.json']);
    expect((await core.client.invoke('backup.list', {})).backups.map((b) => b.name)).toEqual([backup.name]);
    const paidBefore = count(`SELECT count(*) FROM payment WHERE outcome = 'paid'`);

    // After the backup: the photo's file is lost from the data folder and more work is done.
    const photoLink = (await core.client.invoke('archive.items', { term, scope: 'term' })).find((i) => i.name === '宣传材料与照片')!
      .attachments[0]!;
    unlinkSync(join(core.dir, 'attachments', photoLink.sha256.slice(0, 2), photoLink.sha256));
    await expect(core.client.invoke('archive.file', { attachmentId: photoLink.id })).rejects.toThrow(/附件文件已丢失/);
    core.ctx.store.sqlite.prepare(`DELETE FROM archive_attachment`).run();

    const restored = await core.client.invoke('backup.restore', { name: backup.name });
    expect(restored.name).toBe(backup.name);
    expect(readFileSync(join(core.dir, 'aid-desk.sqlite')).equals(readFileSync(join(backup.path, 'aid-desk.sqlite')))).toBe(true);
    expect(count(`SELECT count(*) FROM payment WHERE outcome = 'paid'`)).toBe(paidBefore);
    const back = await core.client.invoke('archive.file', { attachmentId: photoLink.id });
    expect(Buffer.from(back.dataBase64, 'base64').equals(PHOTO)).toBe(true);
    expect(count(`SELECT count(*) FROM attachment`)).toBe(2);
    // What was replaced is kept aside, not deleted.
    expect(readdirSync(core.dir).some((n) => n.startsWith('before-restore-'))).toBe(true);
  });

  it('leave out what nothing refers to: a removed photo, and the copy a killed import left behind', async () => {
    const item = (await core.client.invoke('archive.items', { term, scope: 'term' })).find((i) => i.name === '宣传材料与照片')!;
    const link = item.attachments[0]!;
    const extra = Buffer.from('另一张照片'.repeat(100));
    await core.client.invoke('archive.attach', { key: item, fileName: '另一张.png', dataBase64: extra.toString('base64') });
    const extraLink = (await core.client.invoke('archive.items', { term, scope: 'term' }))
      .find((i) => i.name === '宣传材料与照片')!
      .attachments.find((a) => a.name === '另一张.png')!;
    await core.client.invoke('archive.detach', { attachmentId: extraLink.id });
    // A sealed copy with no row (an import killed between the file and its row), an hour old; and one just written.
    const orphan = join(core.dir, 'attachments', 'ab', 'ab'.padEnd(64, '0'));
    const fresh = join(core.dir, 'attachments', 'cd', 'cd'.padEnd(64, '0'));
    for (const f of [orphan, fresh]) {
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, 'x');
    }
    utimesSync(orphan, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const backup = await core.client.invoke('backup.create', {});
    expect(backup.attachments).toBe(2);
    expect(existsSync(join(core.dir, 'attachments', extraLink.sha256.slice(0, 2), extraLink.sha256))).toBe(false);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(join(core.dir, 'attachments', link.sha256.slice(0, 2), link.sha256))).toBe(true);
  });

  it('refuse a damaged or unfinished backup and leave the desk as it was', async () => {
    const backup = await core.client.invoke('backup.create', {});
    const sha = JSON.parse(readFileSync(join(backup.path, 'manifest.json'), 'utf8')).attachments[0].sha256 as string;
    const f = join(backup.path, 'attachments', sha.slice(0, 2), sha);
    const bytes = readFileSync(f);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(f, bytes);
    const before = readFileSync(core.file);
    await expect(core.client.invoke('backup.restore', { name: backup.name })).rejects.toThrow(/附件 .* 缺失或已损坏，不能恢复/);
    expect(readFileSync(core.file).equals(before)).toBe(true);
    expect(count(`SELECT count(*) FROM student`)).toBe(684);

    rmSync(join(backup.path, 'manifest.json'));
    expect((await core.client.invoke('backup.list', {})).backups).toEqual([]);
    await expect(restoreFiles(core.dir, backup.path, new Date(), core.ctx.store.key!)).rejects.toThrow(/不是完整的 AidDesk 备份/);
    await expect(core.client.invoke('backup.restore', { name: '../etc' })).rejects.toThrow(/备份名称不正确/);
  });

  it('go to a folder the clerk names (a USB stick), and restore from it; a folder that is not there is said so', async () => {
    const usb = mkdtempSync(join(tmpdir(), 'aid-usb-'));
    await expect(core.client.invoke('backup.create', { folder: join(usb, 'missing') })).rejects.toThrow('U 盘是否已插好');
    await expect(core.client.invoke('backup.create', { folder: 'relative/path' })).rejects.toThrow('请填写完整的文件夹路径');
    const made = await core.client.invoke('backup.create', { folder: usb });
    expect(made.path.startsWith(usb)).toBe(true);
    // Not in the data folder's list; in the stick's.
    expect((await core.client.invoke('backup.list', {})).backups).toEqual([]);
    const listed = await core.client.invoke('backup.list', { folder: usb });
    expect(listed).toMatchObject({ folder: usb, backups: [{ name: made.name, students: made.students }] });
    const students = count(`SELECT count(*) FROM student`);
    core.ctx.store.sqlite.prepare(`DELETE FROM student_change`).run();
    const restored = await core.client.invoke('backup.restore', { name: made.name, folder: usb });
    expect(restored.students).toBe(students);
    expect(count(`SELECT count(*) FROM student_change`)).toBeGreaterThan(0);
    await expect(core.client.invoke('backup.restore', { name: made.name })).rejects.toThrow('找不到');
  });

  it('go to a USB stick as one file the clerk can carry; a file cut short, altered or from a newer version changes nothing', async () => {
    const usb = mkdtempSync(join(tmpdir(), 'aid-usb-'));
    const made = await core.client.invoke('backup.create', { folder: usb });
    expect(readdirSync(usb)).toEqual([made.name]);
    expect(made.name).toMatch(/^aid-desk-\d{8}-\d{6}\.aidbackup$/);
    expect(statSync(made.path).isFile()).toBe(true);
    const bytes = readFileSync(made.path);
    const listed = (await core.client.invoke('backup.list', { folder: usb })).backups;
    expect(listed).toMatchObject([{ name: made.name, school: '青山县青山镇中心学校', students: 684, encrypted: true, attachments: 2 }]);
    const database = () => readFileSync(core.file);
    core.ctx.store.sqlite.prepare(`DELETE FROM student_change`).run();
    const before = database();

    // Cut short (the copy to the stick interrupted), a byte changed in the database, the header's counts edited.
    const attempts: [string, Buffer, RegExp][] = [
      ['cut', bytes.subarray(0, bytes.length - 1000), /不完整或已损坏（大小不符，可能没有复制完）/],
      ['byte', Buffer.from(bytes.map((b, i) => (i === bytes.length - 5000 ? b ^ 1 : b))), /缺失或已损坏|校验值不符/],
      ['header', Buffer.from(bytes.toString('latin1').replace('"students":684', '"students":685'), 'latin1'), /被改动过/],
    ];
    for (const [what, data, message] of attempts) {
      writeFileSync(made.path, data);
      await expect(core.client.invoke('backup.restore', { name: made.name, folder: usb }), what).rejects.toThrow(message);
      expect(database().equals(before), what).toBe(true);
      expect(
        readdirSync(core.dir).filter((n) => n.startsWith('restore-unpacked')),
        what,
      ).toEqual([]);
    }
    // From a newer AidDesk (its last migration is unknown here), made properly: sealed and packed.
    writeFileSync(made.path, bytes);
    const parts = join(usb, 'parts');
    unpackBackup(made.path, parts);
    const manifest = JSON.parse(readFileSync(join(parts, 'manifest.json'), 'utf8'));
    manifest.schema = '9999-future';
    manifest.seal = sealDigest(core.ctx.store.key!, JSON.stringify({ ...manifest, seal: undefined }));
    writeFileSync(join(parts, 'manifest.json'), JSON.stringify(manifest, null, 2));
    packBackup(parts, made.path, manifest);
    rmSync(parts, { recursive: true });
    await expect(core.client.invoke('backup.restore', { name: made.name, folder: usb })).rejects.toThrow('来自更新版本的 AidDesk');

    // Whole again: restored bit for bit.
    writeFileSync(made.path, bytes);
    const restored = await core.client.invoke('backup.restore', { name: made.name, folder: usb });
    expect(restored).toMatchObject({ name: made.name, students: 684 });
    expect(count(`SELECT count(*) FROM student_change`)).toBeGreaterThan(0);
    expect(readdirSync(core.dir).filter((n) => n.startsWith('restore-unpacked'))).toEqual([]);
    rmSync(usb, { recursive: true, force: true });
  });

  it('refuse a backup whose database cannot be opened before anything is replaced', async () => {
    const backup = await core.client.invoke('backup.create', {});
    // Whole and consistent by its own checks, but the app cannot open it: its migration record was cut short
    // from 0013 on, so opening would re-run 0013 on tables that exist (a later migration may run twice harmlessly,
    // 0014 does). The manifest is made to agree.
    const db = join(backup.path, 'aid-desk.sqlite');
    const key = core.ctx.store.key!;
    const copy = raw(db, key);
    copy.prepare(`DELETE FROM kysely_migration WHERE name >= '0013'`).run();
    copy.close();
    const manifest = JSON.parse(readFileSync(join(backup.path, 'manifest.json'), 'utf8'));
    manifest.database.sha256 = createHash('sha256').update(readFileSync(db)).digest('hex');
    manifest.database.size = readFileSync(db).length;
    manifest.seal = sealDigest(key, JSON.stringify({ ...manifest, seal: undefined }));
    writeFileSync(join(backup.path, 'manifest.json'), JSON.stringify(manifest));

    const students = count(`SELECT count(*) FROM student`);
    await expect(core.client.invoke('backup.restore', { name: backup.name })).rejects.toThrow(
      /备份中的数据库无法打开，没有恢复，当前数据未改动/,
    );
    expect(count(`SELECT count(*) FROM student`)).toBe(students);
    expect(readdirSync(core.dir).filter((n) => /restor|before-restore/.test(n))).toEqual([]);
  });

  it('refuse to restore under another process that has the desk open, and ignore one that was killed', async () => {
    const backup = await core.client.invoke('backup.create', {});
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFileOf(core.file, child.pid!), '{}');
      await expect(core.client.invoke('backup.restore', { name: backup.name })).rejects.toThrow(
        new RegExp(`AidDesk 正在使用这个数据文件夹（进程 ${child.pid}`),
      );
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The process is gone: its lock file no longer stops the restore (and is cleared).
    await expect(core.client.invoke('backup.restore', { name: backup.name })).resolves.toMatchObject({ name: backup.name });
    expect(existsSync(lockFileOf(core.file, child.pid!))).toBe(false);
  });

  it('check the database once, and refuse it when it changed between that check and the copy', async () => {
    const backup = await core.client.invoke('backup.create', {});
    const key = core.ctx.store.key!;
    const verified = verifyBackup(backup.path, key);
    await core.ctx.store.close();
    const before = readFileSync(core.file);
    const db = join(backup.path, 'aid-desk.sqlite');
    const bytes = readFileSync(db);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(db, bytes);
    await expect(restoreFiles(core.dir, backup.path, new Date(), key, { verified })).rejects.toThrow(/核对后被改动或读取出错/);
    expect(readFileSync(core.file).equals(before)).toBe(true);
    expect(existsSync(`${core.file}.restoring`)).toBe(false);
    core.ctx.store = await openStore(core.file, key);
    expect(count(`SELECT count(*) FROM student`)).toBe(684);
  });

  it('leave a whole database, old or restored, when the restore stops after any of its steps', async () => {
    const backup = await core.client.invoke('backup.create', {});
    core.ctx.store.sqlite.prepare(`DELETE FROM student_change`).run();
    const key = core.ctx.store.key!;
    await core.ctx.store.close();
    for (const stop of RESTORE_STEPS) {
      const cut = new Error(`断电于 ${stop}`);
      await expect(
        restoreFiles(core.dir, backup.path, new Date(), key, {
          reached: (step) => {
            if (step === stop) throw cut;
          },
        }),
      ).rejects.toBe(cut);
      // The next start opens a whole database with every student: never an empty new one.
      const store = await openStore(core.file, key);
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(684);
      await store.close();
    }
    core.ctx.store = await openStore(core.file, key);
  });

  it('leave a whole database, old or restored, whenever the restoring process is killed', async () => {
    const backup = await core.client.invoke('backup.create', {});
    core.ctx.store.sqlite.prepare(`DELETE FROM student_change`).run();
    const before = count(`SELECT count(*) FROM student_change`);
    const key = core.ctx.store.key!;
    await core.ctx.store.close();
    const after = raw(join(backup.path, 'aid-desk.sqlite'), key, { readonly: true });
    const restored = after.prepare(`SELECT count(*) FROM student_change`).pluck().get() as number;
    after.close();
    expect(restored).not.toBe(before);
    const script = join(import.meta.dirname, '..', '..', 'helpers', 'restore-child.ts');
    // Killed at increasing moments, from before the first copy to after the rename (no timing is assumed:
    // wherever the kill lands, the check below must hold).
    for (let i = 0; i < 6; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, core.dir, backup.path, key.toString('hex')], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 150 + i * 250));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const db = raw(core.file, key, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect([before, restored]).toContain(db.prepare(`SELECT count(*) FROM student_change`).pluck().get());
      db.close();
    }
    core.ctx.store = await openStore(core.file, key);
  }, 60_000);
});

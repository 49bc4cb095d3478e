import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { migrations } from '../../../electron/core/db/migrations';
import { openStore, registerAuditFunctions } from '../../../electron/core/db/open';
import { searchMatch } from '../../../electron/core/students/search-terms';
import { databaseKeyPragma } from '../../../electron/core/desk/keys';

/** Desks on disk are always encrypted: the tests' files share one key. */
const KEY = randomBytes(32);

function schemaOf(sqlite: import('better-sqlite3-multiple-ciphers').Database): string {
  const rows = sqlite
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .all() as { sql: string }[];
  return `${rows.map((r) => `${r.sql.replace(/\s+/g, ' ').trim()};`).join('\n')}\n`;
}

/** A database file migrated only as far as the named migrations: a real-looking older desk. */
async function olderDesk(file: string, names: string[]): Promise<import('better-sqlite3-multiple-ciphers').Database> {
  const { Kysely, Migrator, SqliteDialect } = await import('kysely');
  const SqliteDatabase = (await import('better-sqlite3-multiple-ciphers')).default;
  const { migrations } = await import('../../../electron/core/db/migrations');
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma(databaseKeyPragma(KEY));
  // The functions the triggers call (0007's audit rows fire when 0008 seeds the catalogue).
  registerAuditFunctions(sqlite, () => ({ operator: '测试', now: () => new Date(), quiet: 0 }));
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const provider = { getMigrations: async () => Object.fromEntries(names.map((n) => [n, migrations[n]!])) };
  expect((await new Migrator({ db, provider }).migrateToLatest()).error).toBeUndefined();
  // The raw connection stays usable for seeding; kysely's wrapper is not needed any more.
  return sqlite;
}

describe('migrations', () => {
  it('give the schema in the snapshot (every change shows as a readable diff)', async () => {
    const store = await openStore(':memory:', null);
    await expect(schemaOf(store.sqlite)).toMatchFileSnapshot('./schema.snapshot.sql');
    await store.close();
  });

  it('open an existing database again without loss, with the safety pragmas on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const first = await openStore(file, KEY);
      first.sqlite
        .prepare(
          `INSERT INTO school (id, name, school_year, term, created_at, updated_at) VALUES (1, '甲校', '2026-2027', '2026-autumn', 'x', 'x')`,
        )
        .run();
      await first.close();
      const second = await openStore(file, KEY);
      expect(second.sqlite.prepare('SELECT name FROM school').pluck().get()).toBe('甲校');
      expect(second.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(second.sqlite.pragma('synchronous', { simple: true })).toBe(2);
      expect(second.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('make every table STRICT (the search index is FTS5: a virtual table and its shadow tables, not ours to type)', async () => {
    const store = await openStore(':memory:', null);
    const tables = store.sqlite
      .prepare(
        `SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`,
      )
      .all() as { name: string; strict: number }[];
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
    await store.close();
  });
});

describe('migration 0002 (identification)', () => {
  it('migrates a foundation-era database forward, keeping its students', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(file, ['0001-foundation']);
      sqlite
        .prepare(
          `INSERT INTO student (name, id_number, search_text, created_at, updated_at) VALUES ('甲', '34052419800101001X', '甲', 'x', 'x')`,
        )
        .run();
      sqlite.prepare(`INSERT INTO priority_flag (student_id, grp, source, created_at) VALUES (1, 'orphan', 'roster', 'x')`).run();
      sqlite.close();

      const store = await openStore(file, KEY);
      expect(store.sqlite.prepare(`SELECT name FROM student`).pluck().all()).toEqual(['甲']);
      store.sqlite
        .prepare(
          `INSERT INTO family_survey (student_id, school_year, status, created_at, updated_at) VALUES (1, '2026-2027', 'draft', 'x', 'x')`,
        )
        .run();
      expect(() =>
        store.sqlite
          .prepare(
            `INSERT INTO family_survey (student_id, school_year, status, created_at, updated_at) VALUES (1, '2026-2027', 'draft', 'x', 'x')`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
      // A decided identification must carry its level and snapshot.
      expect(() =>
        store.sqlite
          .prepare(
            `INSERT INTO identification (student_id, school_year, status, created_at, updated_at) VALUES (1, '2026-2027', 'decided', 'x', 'x')`,
          )
          .run(),
      ).toThrow(/CHECK/);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0003 (programmes)', () => {
  it('migrates an identification-era database forward, keeping its decisions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(file, ['0001-foundation', '0002-identification']);
      sqlite
        .prepare(
          `INSERT INTO student (name, id_number, search_text, created_at, updated_at) VALUES ('甲', '34052419800101001X', '甲', 'x', 'x')`,
        )
        .run();
      sqlite
        .prepare(
          `INSERT INTO identification (student_id, school_year, status, level, snapshot, created_at, updated_at) VALUES (1, '2026-2027', 'decided', 'difficult', '{}', 'x', 'x')`,
        )
        .run();
      sqlite.close();

      const store = await openStore(file, KEY);
      expect(store.sqlite.prepare(`SELECT level FROM identification`).pluck().all()).toEqual(['difficult']);
      store.sqlite
        .prepare(
          `INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at) VALUES ('2026-2027', 'x', 'X', '{}', 0, 'x', 'x')`,
        )
        .run();
      store.sqlite
        .prepare(
          `INSERT INTO application (student_id, programme_id, term, status, applicant_name, created_at, updated_at) VALUES (1, 1, '2026-autumn', 'draft', '甲', 'x', 'x')`,
        )
        .run();
      // One application per student, programme and term; and only known states.
      expect(() =>
        store.sqlite
          .prepare(
            `INSERT INTO application (student_id, programme_id, term, status, applicant_name, created_at, updated_at) VALUES (1, 1, '2026-autumn', 'draft', '甲', 'x', 'x')`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
      expect(() => store.sqlite.prepare(`UPDATE application SET status = 'maybe'`).run()).toThrow(/CHECK/);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0004 (templates)', () => {
  it('adds the template table to a programmes-era database and keeps a file byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(file, ['0001-foundation', '0002-identification', '0003-programmes']);
      sqlite
        .prepare(
          `INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at) VALUES ('2026-2027', 'x', 'X', '{}', 0, 'x', 'x')`,
        )
        .run();
      sqlite.close();
      const store = await openStore(file, KEY);
      // 0008 adds the built-in 免费教科书 to the year's catalogue.
      expect(store.sqlite.prepare(`SELECT code FROM programme ORDER BY id`).pluck().all()).toEqual(['x', 'free-textbooks']);
      const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
      store.sqlite
        .prepare(`INSERT INTO template (name, file_name, data, created_at, updated_at) VALUES ('t', 't.xlsx', ?, 'x', 'x')`)
        .run(bytes);
      expect(store.sqlite.prepare(`SELECT data FROM template`).pluck().get()).toEqual(bytes);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0005 (payments and archive)', () => {
  it('adds payments to a templates-era database with an application on it, and holds one success per application', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(file, ['0001-foundation', '0002-identification', '0003-programmes', '0004-templates']);
      sqlite.prepare(`INSERT INTO student (name, search_text, created_at, updated_at) VALUES ('张三', '张三', 'x', 'x')`).run();
      sqlite
        .prepare(
          `INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at) VALUES ('2026-2027', 'x', 'X', '{}', 0, 'x', 'x')`,
        )
        .run();
      sqlite
        .prepare(
          `INSERT INTO application (student_id, programme_id, term, status, applicant_name, created_at, updated_at) VALUES (1, 1, '2026-autumn', 'submitted', '张三', 'x', 'x')`,
        )
        .run();
      sqlite.close();
      const store = await openStore(file, KEY);
      const pay = store.sqlite.prepare(
        `INSERT INTO payment (application_id, outcome, amount_fen, paid_on, channel, holder, created_at) VALUES (1, ?, 31250, '2026-11-20', 'bankCard', 'student', 'x')`,
      );
      pay.run('failed');
      pay.run('paid');
      expect(() => pay.run('paid')).toThrow(/UNIQUE/);
      expect(store.sqlite.prepare(`SELECT count(*) FROM archive_definition`).pluck().get()).toBe(0);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0006 (the money path)', () => {
  const upTo0005 = ['0001-foundation', '0002-identification', '0003-programmes', '0004-templates', '0005-payments-archive'];

  async function seeded(file: string, editedEarlier: boolean) {
    const sqlite = await olderDesk(file, upTo0005);
    // A desk made while 0003 and 0004 carried the later edits already has the index and the column.
    if (editedEarlier) {
      sqlite.exec(`CREATE INDEX identification_student_year ON identification (student_id, school_year, status)`);
      sqlite.exec(`ALTER TABLE template ADD COLUMN value_mapping TEXT NOT NULL DEFAULT '{}'`);
    }
    sqlite.prepare(`INSERT INTO student (name, search_text, created_at, updated_at) VALUES ('张三', '张三', 'x', 'x')`).run();
    const programme = sqlite.prepare(
      `INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at) VALUES ('2026-2027', ?, ?, ?, 1, 'x', 'x')`,
    );
    const eligibility = (groups: string[], everyone = false) =>
      JSON.stringify({ name: 'x', eligibility: { everyone, levels: [], groups } });
    programme.run(
      'day-subsidy',
      '义务教育非寄宿生生活补助',
      eligibility(['povertyAlleviated', 'disabledStudent', 'dibao', 'extremePoverty']),
    );
    programme.run('school-aid', '校内资助', eligibility(['dibao', 'orphan']));
    programme.run('preschool-fee-waiver', '免保育教育费', eligibility([], true));
    sqlite
      .prepare(
        `INSERT INTO application (student_id, programme_id, term, status, applicant_name, created_at, updated_at) VALUES (1, 1, '2026-autumn', 'rejected', '张三', 'x', 'x')`,
      )
      .run();
    const event = sqlite.prepare(
      `INSERT INTO application_event (application_id, at, from_status, to_status, note) VALUES (1, 'x', ?, ?, ?)`,
    );
    event.run('schoolReview', 'publicity', '列入公示（2026-11-02 起 5 个工作日）');
    event.run('publicity', 'rejected', '2026-11-05 公示异议复核后取消：不符合条件');
    sqlite.prepare(`INSERT INTO template (name, file_name, data, created_at, updated_at) VALUES ('t', 't.xlsx', x'00', 'x', 'x')`).run();
    sqlite.close();
  }

  for (const editedEarlier of [false, true]) {
    it(`brings a payments-era desk up to date ${editedEarlier ? 'made with the later texts of 0003 and 0004' : 'made with the landed migrations'}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
      try {
        const file = join(dir, 'aid-desk.sqlite');
        await seeded(file, editedEarlier);
        const store = await openStore(file, KEY);
        const q = store.sqlite;
        expect(q.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'identification_student_year'`).pluck().get()).toBe(1);
        expect(q.prepare(`SELECT value_mapping FROM template`).pluck().get()).toBe('{}');
        const def = (code: string) => JSON.parse(q.prepare(`SELECT definition FROM programme WHERE code = ?`).pluck().get(code) as string);
        expect(def('day-subsidy').eligibility).toEqual({ everyone: false, levels: [], groups: [], fourCategories: true });
        expect(def('school-aid').eligibility.groups).toEqual(['dibao', 'orphan']);
        expect(def('school-aid').eligibility.fourCategories).toBeUndefined();
        expect(def('preschool-fee-waiver').eligibility.grades).toEqual(['大班']);
        expect(q.prepare(`SELECT kind FROM application_event ORDER BY id`).pluck().all()).toEqual(['publicity', 'objection']);
        expect(q.prepare(`SELECT account_holder, proxy_letter FROM student`).get()).toEqual({ account_holder: 'student', proxy_letter: 0 });
        const flag = q.prepare(`INSERT INTO priority_flag (student_id, grp, source, area, created_at) VALUES (1, 'dibao', ?, ?, 'x')`);
        flag.run('countyList', 'rural');
        expect(() => flag.run('selfDeclared', 'city')).toThrow(/CHECK/);
        expect(() => q.prepare(`INSERT INTO calendar_day (date, kind, updated_at) VALUES ('2026-10-10', 'weekend', 'x')`).run()).toThrow(
          /CHECK/,
        );
        // 0007: the audit trail starts with the upgrade; the rows already there are not entries.
        expect(q.prepare(`SELECT count(*) FROM audit_entry WHERE entity <> 'programme'`).pluck().get()).toBe(1); // the flag above
        // 0008's own change to the catalogue (免费教科书 added) is in the trail too.
        expect(q.prepare(`SELECT action FROM audit_entry WHERE entity = 'programme'`).pluck().all()).toEqual(['insert']);
        store.audit = { operator: '李老师', now: () => new Date('2026-11-22T02:00:00Z'), quiet: 0 };
        q.prepare(`UPDATE student SET guardian_phone = '13900001234', name = name WHERE id = 1`).run();
        expect(q.prepare(`SELECT operator, at, action, entity, student_id, before, after FROM audit_entry ORDER BY id DESC`).get()).toEqual(
          {
            operator: '李老师',
            at: '2026-11-22T02:00:00.000Z',
            action: 'update',
            entity: 'student',
            student_id: 1,
            before: expect.stringMatching(/^\{"guardian_phone":/),
            after: '{"guardian_phone":"…1234"}',
          },
        );
        await store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('upgrades a desk whose clock moves on between rows (a slow laptop): the whole upgrade is one moment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      await seeded(file, false);
      // Each reading of the clock a millisecond later than the last, as on a machine busy enough to cross one per row.
      let tick = Date.parse('2026-12-04T06:00:00.000Z');
      const store = await openStore(file, KEY, { now: () => new Date(tick++) });
      const q = store.sqlite;
      expect(q.prepare(`SELECT school_year, count(*) AS n FROM programme WHERE code = 'free-textbooks' GROUP BY 1`).all()).toEqual([
        { school_year: '2026-2027', n: 1 },
      ]);
      // The upgrade's rows and audit entries carry the moment it started.
      expect(q.prepare(`SELECT DISTINCT created_at FROM programme WHERE code = 'free-textbooks'`).pluck().all()).toEqual([
        '2026-12-04T06:00:00.000Z',
      ]);
      // After the upgrade the clock is the store's own again.
      expect(store.audit.now().toISOString()).toBe('2026-12-04T06:00:00.001Z');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0008 (funds, meals, in kind, households)', () => {
  const upTo0007 = [
    '0001-foundation',
    '0002-identification',
    '0003-programmes',
    '0004-templates',
    '0005-payments-archive',
    '0006-money-path',
    '0007-audit',
  ];

  it('makes the nutrition plan a daily programme, names other recorded ones in kind, adds 免费教科书 and the meal receipts item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(file, upTo0007);
      // The audit functions a desk's connection registers (db/open.ts), for 0007's triggers while seeding.
      sqlite.function('aid_operator', () => '测试');
      sqlite.function('aid_now', () => 'x');
      sqlite.function('aid_audit_rows', () => 0);
      const programme = sqlite.prepare(
        `INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 'x', 'x')`,
      );
      for (const year of ['2025-2026', '2026-2027']) {
        programme.run(year, 'nutrition', '营养改善计划', JSON.stringify({ name: '营养改善计划', kind: 'recorded' }));
        programme.run(year, 'eggs', '爱心鸡蛋', JSON.stringify({ name: '爱心鸡蛋', kind: 'recorded' }));
        programme.run(year, 'day-subsidy', '义务教育非寄宿生生活补助', JSON.stringify({ name: 'x', kind: 'paid' }));
      }
      sqlite
        .prepare(`INSERT INTO archive_definition (scope, name, required, retention, sort) VALUES ('term', '工作方案', 1, '', 10)`)
        .run();
      sqlite.close();
      const store = await openStore(file, KEY);
      const q = store.sqlite;
      const kinds = q
        .prepare(`SELECT school_year, code, json_extract(definition, '$.kind') AS kind FROM programme ORDER BY school_year, id`)
        .all();
      expect(kinds).toEqual(
        ['2025-2026', '2026-2027'].flatMap((y) => [
          { school_year: y, code: 'nutrition', kind: 'meals' },
          { school_year: y, code: 'eggs', kind: 'inKind' },
          { school_year: y, code: 'day-subsidy', kind: 'paid' },
          { school_year: y, code: 'free-textbooks', kind: 'inKind' },
        ]),
      );
      expect(q.prepare(`SELECT name, required FROM archive_definition ORDER BY sort`).all()).toEqual([
        { name: '工作方案', required: 1 },
        { name: '营养餐供货与验收单据', required: 0 },
      ]);
      // The new tables hold their rules: a receipt names its document, a carry-over does not; a day is not closed and extra.
      expect(() =>
        q
          .prepare(
            `INSERT INTO fund_movement (programme_id, term, source, kind, on_date, amount_fen, created_at) VALUES (1, '2026-autumn', 'central', 'receipt', '2026-11-01', 100, 'x')`,
          )
          .run(),
      ).toThrow(/CHECK/);
      expect(() => q.prepare(`INSERT INTO meal_day (date, closed, extra, updated_at) VALUES ('2026-10-12', 1, 1, 'x')`).run()).toThrow(
        /CHECK/,
      );
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0012 (the roster search index)', () => {
  it('indexes the students a follow-up-era desk already has, and keeps the index in step afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const names = Object.keys(migrations).filter((n) => n < '0012');
      const sqlite = await olderDesk(file, names);
      const add = sqlite.prepare(`INSERT INTO student (name, id_number, search_text, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x')`);
      add.run('张英志', '34052419800101001X', '张英志 34052419800101001X');
      add.run('李四', null, '李四');
      sqlite.close();
      const store = await openStore(file, KEY);
      const found = (q: string) =>
        store.sqlite.prepare(`SELECT rowid FROM student_search WHERE student_search MATCH ? ORDER BY rowid`).pluck().all(searchMatch(q));
      expect(found('zyz')).toEqual([1]);
      expect(found('0101001')).toEqual([1]);
      expect(found('李')).toEqual([2]);
      store.sqlite.prepare(`UPDATE student SET name = '李思', search_text = '李思' WHERE id = 2`).run();
      expect(found('李四')).toEqual([]);
      expect(found('李思')).toEqual([2]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0013 (member schools)', () => {
  it('puts every class and student of a search-era desk in the central school, and lets a member school reuse class names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const names = Object.keys(migrations).filter((n) => n < '0013');
      const sqlite = await olderDesk(file, names);
      sqlite
        .prepare(
          `INSERT INTO school (id, name, county, township, stages, school_year, term, is_demo, created_at, updated_at)
           VALUES (1, '岭下镇中心学校', '', '', '["primary"]', '2026-2027', '2026-autumn', 0, 'x', 'x')`,
        )
        .run();
      sqlite
        .prepare(
          `INSERT INTO school_class (id, stage, grade, grade_order, number, name, created_at) VALUES (7, 'primary', '一年级', 1, 1, '一年级1班', 'x')`,
        )
        .run();
      sqlite
        .prepare(
          `INSERT INTO student (name, id_number, class_id, search_text, created_at, updated_at) VALUES ('张英志', NULL, 7, '张英志', 'x', 'x')`,
        )
        .run();
      // An archive item with a file: both must come through the rebuild of archive_item.
      sqlite
        .prepare(
          `INSERT INTO archive_definition (id, scope, name, required, retention, sort, active) VALUES (90, 'term', '会议记录', 1, '', 1, 1)`,
        )
        .run();
      sqlite
        .prepare(
          `INSERT INTO archive_item (id, definition_id, period, status, note, updated_at) VALUES (5, 90, '2026-autumn', 'partial', '已收', 'x')`,
        )
        .run();
      sqlite.prepare(`INSERT INTO attachment (sha256, size, mime, created_at) VALUES ('ab', 1, 'image/png', 'x')`).run();
      sqlite
        .prepare(`INSERT INTO archive_attachment (item_id, sha256, name, source, added_at) VALUES (5, 'ab', 'a.png', 'upload', 'x')`)
        .run();
      sqlite.close();

      const store = await openStore(file, KEY);
      const q = store.sqlite;
      expect(q.prepare(`SELECT id, name, kind FROM member_school`).all()).toEqual([{ id: 1, name: '岭下镇中心学校', kind: 'central' }]);
      expect(q.prepare(`SELECT id, school_id, name FROM school_class`).all()).toEqual([{ id: 7, school_id: 1, name: '一年级1班' }]);
      expect(q.prepare(`SELECT class_id, school_id FROM student`).all()).toEqual([{ class_id: 7, school_id: 1 }]);
      // The archive keeps its items and their files, now under the central school, and a member school has its own.
      expect(q.prepare(`SELECT id, school_id, status, note FROM archive_item`).all()).toEqual([
        { id: 5, school_id: 1, status: 'partial', note: '已收' },
      ]);
      expect(q.prepare(`SELECT item_id FROM archive_attachment`).pluck().all()).toEqual([5]);
      expect(
        q.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_archive_item_%'`).pluck().get(),
      ).toBe(3);
      expect(q.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(q.pragma('foreign_key_check')).toEqual([]);
      // The same class name in a member school is another class; a student cannot sit in another school's class.
      q.prepare(`INSERT INTO member_school (id, name, kind, created_at) VALUES (2, '岭下村小', 'member', 'x')`).run();
      q.prepare(
        `INSERT INTO school_class (school_id, stage, grade, grade_order, number, name, created_at) VALUES (2, 'primary', '一年级', 1, 1, '一年级1班', 'x')`,
      ).run();
      expect(() =>
        q
          .prepare(
            `INSERT INTO school_class (school_id, stage, grade, grade_order, name, created_at) VALUES (2, 'primary', '一年级', 1, '一年级1班', 'x')`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
      expect(() => q.prepare(`UPDATE student SET school_id = 2`).run()).toThrow('学生与所在班级不属于同一所学校');
      q.prepare(
        `INSERT INTO archive_item (definition_id, period, school_id, status, updated_at) VALUES (90, '2026-autumn', 2, 'missing', 'x')`,
      ).run();
      // Audited by the triggers put back with the new column.
      expect(q.prepare(`SELECT after FROM audit_entry WHERE entity = 'archive_item' ORDER BY id DESC LIMIT 1`).pluck().get()).toContain(
        '"school_id":2',
      );
      expect(() =>
        q
          .prepare(
            `INSERT INTO school_class (school_id, stage, grade, grade_order, name, created_at) VALUES (9, 'primary', '一年级', 1, '二班', 'x')`,
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
      expect(() => q.prepare(`INSERT INTO member_school (name, kind, created_at) VALUES ('另一中心校', 'central', 'x')`).run()).toThrow(
        /CHECK/,
      );
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0014 (the search index writes bigger segments)', () => {
  it('sets the index’s hashsize on a member-school-era desk, and the index still answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(
        file,
        Object.keys(migrations).filter((n) => n < '0014'),
      );
      const config = (db: typeof sqlite) => db.prepare(`SELECT v FROM student_search_config WHERE k = 'hashsize'`).pluck().get();
      expect(config(sqlite)).toBeUndefined();
      sqlite
        .prepare(`INSERT INTO student (name, id_number, search_text, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x')`)
        .run('张英志', '34052419800101001X', '张英志 34052419800101001X');
      sqlite.close();
      const store = await openStore(file, KEY);
      expect(config(store.sqlite)).toBe(16_777_216);
      expect(store.sqlite.prepare(`SELECT rowid FROM student_search WHERE student_search MATCH ?`).pluck().all(searchMatch('zyz'))).toEqual(
        [1],
      );
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0015 (the search reads its sort keys from an index)', () => {
  it('adds the index on a desk with students, and the search’s keys are read from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(
        file,
        Object.keys(migrations).filter((n) => n < '0015'),
      );
      sqlite
        .prepare(`INSERT INTO student (name, id_number, search_text, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x')`)
        .run('张英志', '34052419800101001X', '张英志 34052419800101001X');
      sqlite.close();
      const store = await openStore(file, KEY);
      const keys = `SELECT school_id, class_id, id FROM student WHERE status = 'enrolled' AND id IN (SELECT rowid FROM student_search WHERE student_search MATCH ?)`;
      const plan = (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${keys}`).all(searchMatch('zyz')) as { detail: string }[]).map(
        (r) => r.detail,
      );
      expect(plan.join(' | ')).toMatch(/COVERING INDEX student_search_keys/);
      expect(store.sqlite.prepare(keys).raw().all(searchMatch('zyz'))).toEqual([[1, null, 1]]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0016 (the quota divided among the schools)', () => {
  it('adds an empty division on a desk with quotas, audited, and held to the desk’s schools', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(
        file,
        Object.keys(migrations).filter((n) => n < '0016'),
      );
      sqlite
        .prepare(
          `INSERT INTO programme (id, school_year, code, name, definition, built_in, created_at, updated_at) VALUES (1, '2026-2027', 'senior-grant', '国家助学金', '{}', 1, 'x', 'x')`,
        )
        .run();
      sqlite.prepare(`INSERT INTO quota (programme_id, term, count, updated_at) VALUES (1, '2026-autumn', 5, 'x')`).run();
      sqlite.close();
      const store = await openStore(file, KEY);
      expect(store.sqlite.prepare(`SELECT count(*) FROM school_quota`).pluck().get()).toBe(0);
      expect(store.sqlite.prepare(`SELECT count FROM quota`).pluck().get()).toBe(5);
      store.sqlite
        .prepare(`INSERT INTO school_quota (programme_id, term, school_id, count, updated_at) VALUES (1, '2026-autumn', 1, 5, 'x')`)
        .run();
      expect(store.sqlite.prepare(`SELECT action, entity FROM audit_entry WHERE entity = 'school_quota'`).all()).toEqual([
        { action: 'insert', entity: 'school_quota' },
      ]);
      expect(() =>
        store.sqlite
          .prepare(`INSERT INTO school_quota (programme_id, term, school_id, count, updated_at) VALUES (1, '2026-autumn', 9, 1, 'x')`)
          .run(),
      ).toThrow(/FOREIGN KEY/);
      expect(() =>
        store.sqlite
          .prepare(`INSERT INTO school_quota (programme_id, term, school_id, count, updated_at) VALUES (1, '2026-autumn', 1, 1, 'x')`)
          .run(),
      ).toThrow(/UNIQUE/);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 0017 (meal days per school)', () => {
  it('keeps the corrections as the central school’s, audited, and lets a member school keep its own day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-mig-'));
    try {
      const file = join(dir, 'aid-desk.sqlite');
      const sqlite = await olderDesk(
        file,
        Object.keys(migrations).filter((n) => n < '0017'),
      );
      sqlite.prepare(`INSERT INTO meal_day (date, closed, note, updated_at) VALUES ('2026-10-23', 1, '运动会停餐', 'x')`).run();
      sqlite
        .prepare(`INSERT INTO member_school (id, name, kind, position, created_at) VALUES (2, '石门教学点', 'teachingPoint', 1, 'x')`)
        .run();
      sqlite.close();
      const store = await openStore(file, KEY);
      expect(store.sqlite.prepare(`SELECT school_id, date, closed, note FROM meal_day`).all()).toEqual([
        { school_id: 1, date: '2026-10-23', closed: 1, note: '运动会停餐' },
      ]);
      store.sqlite.prepare(`INSERT INTO meal_day (school_id, date, served, updated_at) VALUES (2, '2026-10-23', 3, 'x')`).run();
      const entry = store.sqlite
        .prepare(`SELECT entity_key, after FROM audit_entry WHERE entity = 'meal_day' ORDER BY id DESC LIMIT 1`)
        .get() as {
        entity_key: string;
        after: string;
      };
      expect(entry.entity_key).toBe('2026-10-23');
      expect(JSON.parse(entry.after)).toMatchObject({ school_id: 2, served: 3 });
      expect(() => store.sqlite.prepare(`INSERT INTO meal_day (school_id, date, updated_at) VALUES (2, '2026-10-23', 'x')`).run()).toThrow(
        /UNIQUE|PRIMARY KEY/,
      );
      expect(() => store.sqlite.prepare(`INSERT INTO meal_day (school_id, date, updated_at) VALUES (7, '2026-10-24', 'x')`).run()).toThrow(
        /FOREIGN KEY/,
      );
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

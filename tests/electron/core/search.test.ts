import { afterEach, describe, expect, it } from 'vitest';
import { createDemo } from '../../../electron/core/school/demo';
import {
  MATCHES_SQL,
  nameInitials,
  ROSTER_KEYS_AT_ONCE,
  ROSTER_KEYS_SQL,
  rosterKeys,
  searchMatch,
} from '../../../electron/core/students/search-terms';
import { normalizeSearch } from '../../../electron/core/students/students';
import { seededRandom } from '../../../shared/rules/sample';
import { testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster } from '../../helpers/fixtures';

let core: TestCore;
afterEach(async () => core?.close());

interface Row {
  id: number;
  name: string;
  search_text: string;
  status: string;
}

const allIds = async (search: string, status: 'enrolled' | 'all' = 'all') => {
  const ids: number[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await core.client.invoke('students.list', { search, status, classId: null, offset, limit: 1000 });
    ids.push(...page.rows.map((r) => r.id));
    if (ids.length >= page.total) return ids.sort((a, b) => a - b);
  }
};

describe('the roster search index (FTS5 trigram + pinyin initials)', () => {
  it('finds exactly the students whose name, ID number, 学籍号 or initials hold the fragment, for 150 random fragments', async () => {
    core = await testCore();
    await createDemo(core.ctx, 700);
    const students = core.ctx.store.sqlite.prepare(`SELECT id, name, search_text, status FROM student ORDER BY id`).all() as Row[];
    const rand = seededRandom(20261203);
    const fragments = new Set<string>();
    while (fragments.size < 150) {
      const s = students[Math.floor(rand() * students.length)]!;
      const source = [s.name, s.search_text.split(' ')[1] ?? '', s.search_text.split(' ')[2] ?? '', nameInitials(s.name)][
        Math.floor(rand() * 4)
      ]!;
      if (!source) continue;
      const length = 1 + Math.floor(rand() * Math.min(6, source.length));
      const start = Math.floor(rand() * (source.length - length + 1));
      fragments.add(source.slice(start, start + length));
    }
    for (const fragment of fragments) {
      const q = normalizeSearch(fragment);
      // The oracle, as the search box promises: from three characters, a substring of the name, ID number or
      // 学籍号 (or of the initials); shorter, a substring of the name or the initials (a number that short scans).
      const short = [...q].length < 3;
      const initials = (s: Row) => /^[a-z]+$/i.test(q) && nameInitials(s.name).includes(q.toLowerCase());
      const expected = students
        .filter((s) => (short && !/^[0-9X]+$/.test(q) ? s.name.includes(q) || initials(s) : s.search_text.includes(q) || initials(s)))
        .map((s) => s.id);
      expect({ fragment, ids: await allIds(fragment) }).toEqual({ fragment, ids: expected });
    }
  });

  it('pages a search in the roster’s order (school, grade, class, then as entered), the same as without the index', async () => {
    core = await testCore();
    await createDemo(core.ctx, 700);
    const sqlite = core.ctx.store.sqlite;
    // A student without a class sorts first, as SQLite puts an empty class first.
    const loose = sqlite.prepare(`SELECT id FROM student WHERE name LIKE '%华%' ORDER BY id DESC LIMIT 1`).pluck().get() as number;
    sqlite.prepare(`UPDATE student SET class_id = NULL WHERE id = ?`).run(loose);
    const roster = sqlite
      .prepare(
        `SELECT s.id FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE instr(s.search_text, :search) > 0
         AND (:status = 'all' OR s.status = :status) AND (:classId IS NULL OR s.class_id = :classId) AND (:schoolId IS NULL OR s.school_id = :schoolId)
         ORDER BY s.school_id, c.grade_order, c.number, s.class_id, s.id`,
      )
      .pluck();
    type Filter = { status: 'all' | 'enrolled' | 'left'; classId: number | null; schoolId: number | null };
    const pagesInOrder = async (search: string, filter: Filter = { status: 'all', classId: null, schoolId: null }) => {
      const expected = roster.all({ search, ...filter }) as number[];
      expect(expected.length).toBeGreaterThan(0);
      const paged: number[] = [];
      for (let offset = 0; offset < expected.length; offset += 7) {
        const page = await core.client.invoke('students.list', { search, ...filter, offset, limit: 7 });
        expect(page.total).toBe(expected.length);
        paged.push(...page.rows.map((r) => r.id));
      }
      expect({ search, filter, paged }).toEqual({ search, filter, paged: expected });
    };
    for (const search of ['华', '张', '子', '英', '2010', '20']) await pagesInOrder(search);
    // The classes' order is kept in memory between searches: a write to the classes (any writer) is seen by the next.
    sqlite.exec(`UPDATE school_class SET grade_order = 100 - grade_order, number = 50 - number`);
    await pagesInOrder('华');
    await pagesInOrder('张');
    expect(
      (await core.client.invoke('students.list', { search: '华', status: 'all', classId: null, offset: 0, limit: 1 })).rows[0]!.id,
    ).toBe(loose);
    // So are each student's school, class and status: students who leave, move class or move to a member school.
    const zhang = sqlite.prepare(`SELECT id, class_id FROM student WHERE name LIKE '张%' AND class_id IS NOT NULL ORDER BY id`).all() as {
      id: number;
      class_id: number;
    }[];
    await core.client.invoke('students.setStatus', {
      ids: zhang.filter((_, i) => i % 3 === 0).map((x) => x.id),
      status: 'left',
      reason: 'transferred',
      date: '2026-10-15',
    });
    const village = await core.client.invoke('schools.add', { name: '岭下村小学', kind: 'member' });
    const villageClass = Number(
      sqlite
        .prepare(
          `INSERT INTO school_class (school_id, stage, grade, grade_order, number, name, created_at) VALUES (?, 'primary', '三年级', 3, 1, '三年级1班', 'x')`,
        )
        .run(village.id).lastInsertRowid,
    );
    const moved = zhang.filter((_, i) => i % 4 === 1).map((x) => x.id);
    sqlite
      .prepare(`UPDATE student SET school_id = ?, class_id = ? WHERE id IN (SELECT value FROM json_each(?))`)
      .run(village.id, villageClass, JSON.stringify(moved));
    sqlite
      .prepare(`UPDATE student SET class_id = ? WHERE id = ?`)
      .run(zhang[2]!.class_id === zhang[5]!.class_id ? zhang[8]!.class_id : zhang[5]!.class_id, zhang[2]!.id);
    for (const status of ['all', 'enrolled', 'left'] as const) await pagesInOrder('张', { status, classId: null, schoolId: null });
    await pagesInOrder('张', { status: 'all', classId: null, schoolId: village.id });
    await pagesInOrder('张', { status: 'enrolled', classId: villageClass, schoolId: null });
    await pagesInOrder('张', { status: 'all', classId: zhang[5]!.class_id, schoolId: 1 });

    // A large roster reads its keys after answering: a search right after a write is answered from the index, the
    // keys are read once it is sent, and the searches after use them; the same pages either way.
    ROSTER_KEYS_AT_ONCE.students = 0;
    try {
      sqlite.prepare(`UPDATE student SET class_id = ? WHERE id = ?`).run(zhang[8]!.class_id, zhang[6]!.id);
      expect(rosterKeys(sqlite)).toBeNull();
      await pagesInOrder('张', { status: 'enrolled', classId: null, schoolId: null });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(rosterKeys(sqlite)).not.toBeNull();
      await pagesInOrder('张', { status: 'enrolled', classId: null, schoolId: null });
      await pagesInOrder('张', { status: 'all', classId: zhang[8]!.class_id, schoolId: null });
    } finally {
      ROSTER_KEYS_AT_ONCE.students = 20_000;
    }
  });

  it('answers pinyin initials (zyz → 张英志) and one- or two-character fragments, and follows every change of name', async () => {
    core = await testCore();
    await createDemo(core.ctx, 50);
    const sqlite = core.ctx.store.sqlite;
    const id = sqlite.prepare(`SELECT id FROM student ORDER BY id LIMIT 1`).pluck().get() as number;
    await core.client.invoke('students.update', { id, fields: { name: '张英志' } });
    const names = async (search: string) =>
      (await core.client.invoke('students.list', { search, status: 'all', classId: null, offset: 0, limit: 100 })).rows.map((r) => r.name);
    expect(await names('zyz')).toContain('张英志');
    expect(await names('ZYZ')).toContain('张英志');
    expect(await names('英志')).toEqual(['张英志']);
    expect(await names('yz')).toContain('张英志');
    await core.client.invoke('students.update', { id, fields: { name: '曾乐' } });
    expect(await names('zyz')).not.toContain('张英志');
    expect(await names('英志')).toEqual([]);
    // 曾 read as a surname (zēng), not céng.
    expect(await names('zl')).toContain('曾乐');
    // The index holds exactly one entry per student, whatever was written and rewritten.
    expect(sqlite.prepare(`SELECT count(*) FROM student_search WHERE student_search MATCH ?`).pluck().get(searchMatch('曾乐'))).toBe(1);
  });

  it('is built by the roster import inside its transaction: nothing findable after a failed import, every student after a good one', async () => {
    core = await testCore();
    const sqlite = core.ctx.store.sqlite;
    const indexed = () => sqlite.prepare(`SELECT count(*) FROM student_search_docsize`).pluck().get();
    sqlite.exec(`CREATE TRIGGER boom AFTER INSERT ON student WHEN NEW.name = '魏晨馨' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(importCentralRoster(core)).rejects.toThrow();
    expect(indexed()).toBe(0);
    sqlite.exec(`DROP TRIGGER boom`);
    await importCentralRoster(core);
    const students = sqlite.prepare(`SELECT id, name, id_number FROM student ORDER BY id`).all() as {
      id: number;
      name: string;
      id_number: string | null;
    }[];
    expect(indexed()).toBe(students.length);
    for (const s of students.filter((_, i) => i % 40 === 0)) {
      expect(await allIds(s.name)).toContain(s.id);
      if (s.id_number) expect(await allIds(s.id_number.slice(8, 14))).toContain(s.id);
    }
  });

  it('uses the index for the hot queries (EXPLAIN QUERY PLAN), never a scan of the roster', async () => {
    core = await testCore();
    const sqlite = core.ctx.store.sqlite;
    const plan = (query: string, ...params: unknown[]) =>
      (sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    // A search asks the index for its matches only; their keys (school, class, status) are kept in memory, read
    // after a write from the narrow index of migration 0015 (not from the students' rows).
    const search = plan(MATCHES_SQL, '"英\u001f\u001f"');
    expect(search).toMatch(/SCAN student_search VIRTUAL TABLE INDEX/);
    const keys = plan(ROSTER_KEYS_SQL);
    expect(keys).toMatch(/SCAN student USING COVERING INDEX student_search_keys/);
    expect(plan(`SELECT count(*) FROM student s WHERE s.class_id = ? AND s.status = 'enrolled'`, 1)).toMatch(
      /SEARCH s USING COVERING INDEX student_class/,
    );
    expect(plan(`SELECT id FROM student WHERE id_number = ?`, 'x')).toMatch(/SEARCH student USING (COVERING )?INDEX/);
    expect(plan(`SELECT id FROM application WHERE programme_id = ? AND term = ?`, 1, '2026-autumn')).toMatch(
      /SEARCH application USING (COVERING )?INDEX/,
    );
    // The programmes' facts read a year's decisions and incomes from migration 0018's narrow indexes, not every year's whole rows.
    expect(
      plan(`SELECT student_id, id, level, score, decided_on FROM identification WHERE school_year = ? AND status = 'decided'`, '2026-2027'),
    ).toMatch(/SEARCH identification USING COVERING INDEX identification_decided/);
    expect(
      plan(
        `SELECT student_id, per_capita_income_fen FROM family_survey WHERE school_year = ? AND per_capita_income_fen IS NOT NULL`,
        '2026-2027',
      ),
    ).toMatch(/SEARCH family_survey USING COVERING INDEX family_survey_income/);
  });
});

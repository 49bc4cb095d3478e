import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quietRows } from '../../../electron/core/audit/audit';
import { withoutStudentTriggers } from '../../../electron/core/db/bulk';
import { bulkWriteCache, onePass } from '../../../electron/core/db/open';
import type { Cell } from '../../../electron/core/import/read-table';
import { demoRoster } from '../../../electron/core/school/demo';
import { importRoster } from '../../../electron/core/students/roster';
import { searchMatch } from '../../../electron/core/students/search-terms';
import { uploadFile } from '../../../electron/core/uploads';
import { allocateApplications } from '../../../electron/core/programmes/allocation';
import { testCore, type TestCore } from '../../helpers/core';
import { applyAndReview, identify, programme, smallSchool } from '../../helpers/scenario';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

const sqlite = () => core.ctx.store.sqlite;
const triggers = (table = 'student') =>
  sqlite().prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY rowid`).all(table);
const csv = (rows: Cell[][]) => Buffer.from(rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\n') + '\n');

/** The roster through the contract, as the app imports it: preview, then import with the proposed mapping. */
async function importThroughContract(rows: Cell[][], schoolId = 1) {
  const c = core.client;
  const preview = await c.invoke('roster.preview', { upload: { fileName: 'r.csv', dataBase64: csv(rows).toString('base64') }, schoolId });
  return c.invoke('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, schoolId });
}

const STUDENT_COLUMNS = `id, name, id_number, student_number, sex, birth_date, class_id, school_id, status, search_text`;

describe('a roster import sets the row triggers of student aside and puts them back', () => {
  it('writes the same students as the triggered path, with the same triggers after, and the triggers work again', async () => {
    const before = triggers();
    const rows = demoRoster(300, 2026, 17);
    await importThroughContract(rows);
    const updated = rows.map((r, i) => (i > 0 && i % 10 === 0 ? r.map((c, k) => (k === 1 ? `${String(c)}改` : c)) : r));
    await importThroughContract(updated);
    expect(triggers()).toEqual(before);
    const bulk = sqlite().prepare(`SELECT ${STUDENT_COLUMNS} FROM student ORDER BY id`).all();
    const bulkChanges = sqlite().prepare(`SELECT student_id, field, old_value, new_value FROM student_change ORDER BY id`).all();
    const bulkIndex = sqlite()
      .prepare(`SELECT rowid FROM student_search WHERE student_search MATCH ? ORDER BY rowid`)
      .all(searchMatch('改'));
    expect(bulkChanges).toHaveLength(30);
    expect(bulkIndex).toHaveLength(30);
    // One audit entry per import, none per row.
    expect(sqlite().prepare(`SELECT count(*) FROM audit_entry WHERE entity = 'student' AND action <> 'import'`).pluck().get()).toBe(0);

    // The same files written by a direct call (audit rows not quiet: the triggers fire for every row).
    await core.close();
    core = await testCore();
    await importRoster(core.ctx, await uploadFile(core.ctx, 'r.csv', csv(rows)), {});
    await importRoster(core.ctx, await uploadFile(core.ctx, 'r.csv', csv(updated)), {});
    expect(sqlite().prepare(`SELECT ${STUDENT_COLUMNS} FROM student ORDER BY id`).all()).toEqual(bulk);
    expect(sqlite().prepare(`SELECT student_id, field, old_value, new_value FROM student_change ORDER BY id`).all()).toEqual(bulkChanges);
    expect(sqlite().prepare(`SELECT rowid FROM student_search WHERE student_search MATCH ? ORDER BY rowid`).all(searchMatch('改'))).toEqual(
      bulkIndex,
    );
    expect(sqlite().prepare(`SELECT count(*) FROM audit_entry WHERE entity = 'student' AND action = 'insert'`).pluck().get()).toBe(300);
  });

  it('keeps the triggers working after a bulk import: audit, search index and the class-and-school check', async () => {
    await importThroughContract(demoRoster(40, 2026, 5));
    const village = await core.client.invoke('schools.add', { name: '岭下村小学', kind: 'member' });
    const classId = sqlite().prepare(`SELECT id FROM school_class WHERE school_id = 1 LIMIT 1`).pluck().get();
    expect(() => sqlite().prepare(`UPDATE student SET school_id = ? WHERE id = 1`).run(village.id)).toThrow(
      '学生与所在班级不属于同一所学校',
    );
    sqlite().prepare(`UPDATE student SET name = '甲乙丙', search_text = '甲乙丙' WHERE id = 2`).run();
    expect(sqlite().prepare(`SELECT rowid FROM student_search WHERE student_search MATCH '"甲乙丙"'`).pluck().all()).toEqual([2]);
    expect(sqlite().prepare(`SELECT count(*) FROM audit_entry WHERE entity = 'student' AND entity_key = '2'`).pluck().get()).toBe(1);
    expect(classId).toBeTypeOf('number');
  });

  /** One bulk write in its transaction, with the audit rows quiet as the contract runs an import (or not). */
  const bulkWrite = (run: () => unknown, touched: () => number[]) =>
    sqlite()
      .transaction(() => withoutStudentTriggers(sqlite(), run, touched))
      .immediate();
  const quietBulkWrite = (run: () => unknown, touched: () => number[]) => quietRows(core.ctx, () => bulkWrite(run, touched));
  /** A student put in a class of the central school but at the member school. */
  const intoWrongClass = (schoolId: number) =>
    sqlite()
      .prepare(
        `INSERT INTO student (name, search_text, class_id, school_id, created_at, updated_at)
         VALUES ('错校', '错校', (SELECT id FROM school_class WHERE school_id = 1 LIMIT 1), ?, 'x', 'x')`,
      )
      .run(schoolId);

  it('refuses a bulk write that puts a student in a class of another school, and rolls back to the triggers as they were', async () => {
    await importThroughContract(demoRoster(20, 2026, 5));
    const village = await core.client.invoke('schools.add', { name: '岭下村小学', kind: 'member' });
    const before = triggers();
    await expect(
      quietBulkWrite(
        () => intoWrongClass(village.id),
        () => [Number(sqlite().prepare(`SELECT max(id) FROM student`).pluck().get())],
      ),
    ).rejects.toThrow('学生与所在班级不属于同一所学校');
    expect(triggers()).toEqual(before);
    expect(sqlite().prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(20);
  });

  it('does not run when student has a trigger it does not know, and runs with the triggers when the audit rows are not quiet', async () => {
    const before = triggers();
    sqlite().exec(`CREATE TRIGGER student_new_rule AFTER INSERT ON student BEGIN SELECT 1; END`);
    await expect(
      quietBulkWrite(
        () => 1,
        () => [],
      ),
    ).rejects.toThrow('student_new_rule');
    sqlite().exec(`DROP TRIGGER student_new_rule`);
    expect(triggers()).toEqual(before);
    // Not quiet: every row is audited, so nothing is set aside (the trigger refuses the wrong class itself).
    const village = await core.client.invoke('schools.add', { name: '岭下村小学', kind: 'member' });
    await importThroughContract(demoRoster(5, 2026, 5));
    let during: unknown[] = [];
    expect(() =>
      bulkWrite(
        () => {
          during = triggers();
          intoWrongClass(village.id);
        },
        () => [],
      ),
    ).toThrow('学生与所在班级不属于同一所学校');
    expect(during).toEqual(before);
  });
});

describe('an allocation sets the audit triggers of application aside and puts them back', () => {
  /** A fresh desk: ten identified pupils applying for the school's own aid, in school review, with a quota of four. */
  async function reviewed() {
    await core.close();
    core = await testCore({ school: false });
    core.setToday('2026-11-02');
    const kids = Array.from({ length: 10 }, (_, i) => ({ name: `学生${'甲乙丙丁戊己庚辛壬癸'[i]}`, grade: '三年级' }));
    const ids = [...(await smallSchool(core, kids)).values()];
    await identify(core, ids, 'difficult');
    const p = await programme(core, 'school-aid');
    await applyAndReview(core, p.id, '2026-autumn', ids);
    await core.client.invoke('quotas.save', { programmeId: p.id, term: '2026-autumn', count: 4 });
    return p;
  }
  const ranks = () => sqlite().prepare(`SELECT id, rank, rank_reason, funded, tier, amount_fen FROM application ORDER BY id`).all();
  const rowEntries = () =>
    sqlite().prepare(`SELECT count(*) FROM audit_entry WHERE entity = 'application' AND action = 'update'`).pluck().get() as number;

  it('writes the same ranks as the triggered path, one audit entry instead of one per row, and the triggers work again after', async () => {
    const p = await reviewed();
    const before = triggers('application');
    const entries = rowEntries();
    await core.client.invoke('applications.allocate', { programmeId: p.id, term: '2026-autumn' });
    expect(triggers('application')).toEqual(before);
    expect(rowEntries()).toBe(entries);
    expect(sqlite().prepare(`SELECT count(*) FROM audit_entry WHERE summary LIKE '按名额分配档次%'`).pluck().get()).toBe(1);
    const bulk = ranks();
    expect(bulk.filter((r) => (r as { funded: number }).funded === 1)).toHaveLength(4);
    // A later single write is audited row by row again.
    sqlite()
      .prepare(`UPDATE application SET tier_reason = '复核' WHERE id = ?`)
      .run((bulk[0] as { id: number }).id);
    expect(rowEntries()).toBe(entries + 1);

    // The same allocation by a direct call (audit rows not quiet): the triggers fire for every row, the ranks are the same.
    const again = await reviewed();
    allocateApplications(core.ctx, { programmeId: again.id, term: '2026-autumn', dryRun: false });
    expect(ranks()).toEqual(bulk);
    expect(rowEntries()).toBe(entries + 10);
  });

  it('does not allocate when application has a trigger it does not know: nothing written, the triggers as they were', async () => {
    const p = await reviewed();
    sqlite().exec(`CREATE TRIGGER application_new_rule AFTER UPDATE ON application BEGIN SELECT 1; END`);
    const before = triggers('application');
    const written = ranks();
    await expect(core.client.invoke('applications.allocate', { programmeId: p.id, term: '2026-autumn' })).rejects.toThrow();
    expect(triggers('application')).toEqual(before);
    expect(ranks()).toEqual(written);
  });
});

describe('a county-sized roster is written with a smaller page cache', () => {
  const cache = () => sqlite().pragma('cache_size', { simple: true });

  it('sets 32 MB for the write of more than 20,000 students and 128 MB back after, also when the write fails or an export overlaps', async () => {
    const set: string[] = [];
    const pragma = sqlite().pragma.bind(sqlite());
    sqlite().pragma = ((source: string, options?: { simple?: boolean }) => {
      if (source.startsWith('cache_size =')) set.push(source);
      return pragma(source, options);
    }) as typeof pragma;
    await importThroughContract(demoRoster(2_000, 2026, 3));
    expect(set).toEqual([]); // a school's roster: the cache stays warm
    const result = await importThroughContract(demoRoster(20_050, 2026, 4, 45));
    expect(result.imported).toBeGreaterThan(20_000);
    expect(set).toEqual(['cache_size = -32768', 'cache_size = -131072']);
    expect(cache()).toBe(-131_072);

    expect(() =>
      bulkWriteCache(sqlite(), () => {
        throw new Error('磁盘已满');
      }),
    ).toThrow('磁盘已满');
    expect(cache()).toBe(-131_072);
    // An export reading with 8 MB when the write starts: its cache stands until the last of them ends.
    let endExport!: () => void;
    const exporting = onePass(sqlite(), () => new Promise<void>((done) => (endExport = done)));
    expect(bulkWriteCache(sqlite(), () => cache())).toBe(-8192);
    expect(cache()).toBe(-8192);
    endExport();
    await exporting;
    expect(cache()).toBe(-131_072);
  }, 60_000);
});

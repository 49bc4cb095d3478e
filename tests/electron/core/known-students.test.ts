/**
 * The roster plan matches rows against KnownStudents, the desk's students kept compact (one packed UTF-8 record per
 * student). Here, on a desk of two schools with left students, roster flags, clerk edits and classes, every student
 * must come back from each of its keys exactly as a plain query of the tables gives it (the objects the plan used to
 * load whole), and the missing list must be the school's enrolled students the file did not name.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';
import { seededRandom } from '../../../shared/rules/sample';
import { demoRoster } from '../../../electron/core/school/demo';
import { KnownStudents, type ExistingStudent } from '../../../electron/core/students/known-students';
import { rowToFields } from '../../../electron/core/students/student-rows';
import { uploadFile } from '../../../electron/core/uploads';
import { cellText, type Cell } from '../../../electron/core/import/read-table';
import { testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

/** The students as the tables hold them, read the plain way (what loadExisting did before KnownStudents). */
function reference(): ExistingStudent[] {
  const sqlite = core.ctx.store.sqlite;
  const rows = sqlite
    .prepare(
      `SELECT s.*, c.name AS class_name, m.name AS school_name FROM student s
       LEFT JOIN school_class c ON c.id = s.class_id JOIN member_school m ON m.id = s.school_id ORDER BY s.id`,
    )
    .all() as (Parameters<typeof rowToFields>[0] & {
    id: number;
    class_name: string | null;
    school_id: number;
    school_name: string;
    status: 'enrolled' | 'left';
  })[];
  const flags = sqlite.prepare(`SELECT student_id, grp FROM priority_flag WHERE source = 'roster'`).all() as {
    student_id: number;
    grp: PriorityGroup;
  }[];
  const edits = sqlite
    .prepare(
      `SELECT student_id, field FROM student_change WHERE source = 'edit' AND id IN (SELECT max(id) FROM student_change GROUP BY student_id, field)`,
    )
    .all() as { student_id: number; field: string }[];
  return rows.map((r) => ({
    id: r.id,
    fields: rowToFields(r),
    className: r.class_name,
    schoolId: r.school_id,
    schoolName: r.school_name,
    status: r.status,
    rosterFlags: new Set(flags.filter((f) => f.student_id === r.id).map((f) => f.grp)),
    edited: new Set(edits.filter((e) => e.student_id === r.id).map((e) => e.field)),
  }));
}

async function importCsv(rows: Cell[][], schoolId: number): Promise<void> {
  const data = Buffer.from(rows.map((r) => r.map((c) => cellText(c ?? null)).join(',')).join('\n'));
  const upload = await uploadFile(core.ctx, 'roster.csv', data);
  const { mapping } = await core.client.invoke('roster.preview', { upload: { uploadId: upload.id }, schoolId });
  const result = await core.client.invoke('roster.import', { uploadId: upload.id, mapping, schoolId });
  expect(result.imported).toBe(rows.length - 1);
}

describe('KnownStudents', () => {
  it('gives back every student of a varied desk by each of its keys, as the tables hold it', async () => {
    const rand = seededRandom(17);
    const village = await core.client.invoke('schools.add', { name: '石门村小学', kind: 'member' });
    const [header, ...rows] = demoRoster(240, 2026, 41);
    // Some rows without an ID number (found by 学籍号) and some with neither key's twin: name + birth date only.
    for (const r of rows.slice(0, 30)) r[5] = '';
    await importCsv([header!, ...rows.slice(0, 160)], 1);
    await importCsv([header!, ...rows.slice(160)], village.id);
    const ids = (core.ctx.store.sqlite.prepare(`SELECT id FROM student ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
    // The clerk's own edits (a name with a quote and a comma: the packed record must keep them), and students who left.
    for (const id of ids.filter(() => rand() < 0.1))
      await core.client.invoke('students.update', { id, fields: { name: '欧阳"小,雨', address: '青山县石门村 "三组"' } });
    await core.client.invoke('students.setStatus', {
      ids: ids.filter(() => rand() < 0.1),
      status: 'left',
      reason: 'transferred',
      date: '2026-11-01',
    });

    const want = reference();
    // The desk is varied, or the comparison proves little.
    expect(new Set(want.map((s) => s.schoolId)).size).toBe(2);
    expect(want.filter((s) => s.status === 'left').length).toBeGreaterThan(5);
    expect(want.filter((s) => s.rosterFlags.size > 0).length).toBeGreaterThan(5);
    expect(want.filter((s) => s.edited.size > 0).length).toBeGreaterThan(5);
    expect(want.filter((s) => s.className === null).length).toBeLessThan(want.length);
    expect(want.filter((s) => !s.fields.idNumber).length).toBeGreaterThan(5);
    expect(Object.keys(PRIORITY_GROUPS).length).toBeLessThanOrEqual(16); // the flags are kept as 16 bits

    const known = KnownStudents.load(core.ctx.store.sqlite);
    expect(known.size).toBe(want.length);
    const seen = new Set<number>();
    for (const s of want) {
      const places = [
        s.fields.idNumber ? known.find('idNumber', s.fields.idNumber) : undefined,
        s.fields.studentNumber ? known.find('studentNumber', s.fields.studentNumber) : undefined,
        s.fields.birthDate ? known.find('nameBirth', KnownStudents.nameBirthKey(s.fields.name, s.fields.birthDate)) : undefined,
      ].filter((p) => p !== undefined);
      expect(places.length).toBeGreaterThan(0);
      for (const place of places) expect(known.at(place)).toEqual(s);
      if (rand() < 0.5) seen.add(places[0]!);
    }
    expect(known.find('idNumber', '110101200001010011')).toBeUndefined();
    for (const schoolId of [1, village.id]) {
      const named = new Set([...seen].map((place) => known.at(place).id));
      const all = want
        .filter((s) => s.status === 'enrolled' && s.schoolId === schoolId && !named.has(s.id))
        .map((s) => ({ id: s.id, name: s.fields.name, className: s.className }));
      expect(known.missing(schoolId, (place) => seen.has(place))).toEqual({ students: all, count: all.length });
      // Listed in part, counted whole.
      expect(known.missing(schoolId, (place) => seen.has(place), 7)).toEqual({ students: all.slice(0, 7), count: all.length });
    }
    // Built from objects (the demo's way) it answers the same.
    const again = KnownStudents.of(want);
    for (const s of want.filter((x) => x.fields.idNumber)) expect(again.at(again.find('idNumber', s.fields.idNumber!)!)).toEqual(s);
  });
});

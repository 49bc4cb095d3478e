import { sql } from 'kysely';
import type { CallArgs } from '../../../shared/api';
import type { StudentPage } from '../../../shared/api/students';
import type { PriorityFlag, PriorityGroup } from '../../../shared/domain/priority-group';
import type { Stage } from '../../../shared/domain/school';
import { LEFT_REASON_TEXT, type LeftReason, type Student, type StudentChange, type StudentFields } from '../../../shared/domain/student';
import { AppError, notFound } from '../../../shared/errors';
import { maskAddress, maskBankCard, maskIdNumber, maskPhone } from '../../../shared/rules/mask';
import { checkStudent, type StudentInput } from '../../../shared/rules/student';
import { displayValue, fieldLabel } from '../../../shared/rules/student-display';
import { normalizeText } from '../../../shared/rules/text';
import { memberSchoolNames } from '../school/member-schools';
import { nowIso, today, type CoreContext } from '../context';
import { tuples } from '../db/query';
import { classOrder, indexedFragment, MATCHES_SQL, rosterKeys, searchCondition, searchMatch, STATUS_CODE } from './search-terms';
import { fieldsToValues, rowToFields, rowToListItem, STUDENT_COLUMNS } from './student-rows';

/** The search box's text as stored: full-width digits and a lower-case x fold to the stored form. */
export function normalizeSearch(text: string): string {
  return normalizeText(text).replace(/\s+/g, '').toUpperCase();
}

async function loadStudent(ctx: CoreContext, id: number) {
  const row = await ctx.store.db
    .selectFrom('student as s')
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .selectAll('s')
    .select(['c.name as class_name', 'c.grade as grade', 'c.stage as stage'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('该学生');
  return row;
}

export async function getStudent(ctx: CoreContext, id: number, reveal: boolean): Promise<Student> {
  const row = await loadStudent(ctx, id);
  const flags = await ctx.store.db
    .selectFrom('priority_flag')
    .select(['grp', 'source', 'source_date', 'area'])
    .where('student_id', '=', id)
    .orderBy('id')
    .execute();
  const fields = rowToFields(row);
  const shown: StudentFields = reveal
    ? fields
    : {
        ...fields,
        idNumber: maskIdNumber(fields.idNumber),
        studentNumber: maskIdNumber(fields.studentNumber),
        guardianPhone: maskPhone(fields.guardianPhone) ?? '',
        bankCard: maskBankCard(fields.bankCard),
        address: maskAddress(fields.address) ?? '',
      };
  return {
    id: row.id,
    ...shown,
    classId: row.class_id,
    className: row.class_name,
    grade: row.grade,
    stage: row.stage as Stage | null,
    status: row.status,
    leftReason: row.left_reason,
    leftOn: row.left_on,
    flags: flags.map((f): PriorityFlag => ({
      group: f.grp as PriorityGroup,
      source: f.source,
      sourceDate: f.source_date,
      ...(f.area ? { area: f.area } : {}),
    })),
    account: {
      holder: row.account_holder,
      holderName: row.account_holder_name,
      proxyLetter: row.proxy_letter === 1,
      bankName: row.bank_name,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A page of the roster, searched by part of a name, ID number or 学籍号. */
export async function listStudents(ctx: CoreContext, args: CallArgs<'students.list'>): Promise<StudentPage> {
  // The filters concern the student only: the total is counted without the class join (300,000 lookups saved).
  let q = ctx.store.db.selectFrom('student as s');
  if (args.status !== 'all') q = q.where('s.status', '=', args.status);
  if (args.classId !== null) q = q.where('s.class_id', '=', args.classId);
  if (args.schoolId !== null) q = q.where('s.school_id', '=', args.schoolId);
  const search = normalizeSearch(args.search);
  if (search) {
    const condition = searchCondition(search);
    const [before, after] = condition.sql.split('?') as [string, string];
    q = q.where(sql<boolean>`${sql.raw(before)}${condition.param}${sql.raw(after)}`);
  }
  const columns = [
    's.id',
    's.name',
    's.sex',
    's.id_number',
    's.student_number',
    's.birth_date',
    's.class_id',
    's.school_id',
    's.boarding',
    's.status',
    's.left_reason',
    'c.name as class_name',
    'c.stage as stage',
  ] as const;
  if (search) {
    // The index is asked once for the matches (a common character finds thousands); they are filtered and sorted
    // here as the roster is, by keys kept in memory (read again after any write), then only the page's rows are read.
    const order = classOrder(ctx.store.sqlite);
    const rank = (v: number | null | undefined) => v ?? -Infinity; // SQLite puts NULL first
    const key = (schoolId: number, classId: number | null, id: number) => {
      const place = classId === null ? undefined : order.get(classId);
      return [schoolId, rank(place?.[0]), rank(place?.[1]), rank(classId), id] as const;
    };
    const roster = indexedFragment(search) ? rosterKeys(ctx.store.sqlite) : null;
    let keys: ReturnType<typeof key>[];
    if (roster) {
      const wanted = args.status === 'all' ? 0 : STATUS_CODE[args.status];
      const matches = ctx.store.sqlite.prepare(MATCHES_SQL).pluck().all(searchMatch(search)) as number[];
      keys = [];
      for (const id of matches) {
        const status = roster.status[id] ?? 0;
        if (status === 0 || (wanted !== 0 && status !== wanted)) continue;
        const classId = roster.cls[id]! === -1 ? null : roster.cls[id]!;
        if (args.classId !== null && classId !== args.classId) continue;
        if (args.schoolId !== null && roster.school[id] !== args.schoolId) continue;
        keys.push(key(roster.school[id]!, classId, id));
      }
    } else {
      // The keys are being read again after a write (or the fragment is one or two digits, not in the index): the
      // matches' keys from the narrow index.
      keys = tuples(ctx, q.select(['s.school_id', 's.class_id', 's.id']), ['school_id', 'class_id', 'id']).map(([schoolId, classId, id]) =>
        key(schoolId, classId, id),
      );
    }
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3] || a[4] - b[4]);
    const ids = keys.slice(args.offset, args.offset + args.limit).map((k) => k[4]);
    const byId = new Map(
      ids.length
        ? (
            await ctx.store.db
              .selectFrom('student as s')
              .leftJoin('school_class as c', 'c.id', 's.class_id')
              .select([...columns])
              .where('s.id', 'in', ids)
              .execute()
          ).map((r) => [r.id, r])
        : [],
    );
    // A student removed by another call between the two reads is left out of the page, not a crash.
    const rows = ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [rowToListItem(row)] : [];
    });
    return { total: keys.length, offset: args.offset, rows };
  }
  const { total } = await q.select(({ fn }) => fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .select([...columns])
    .orderBy('s.school_id')
    .orderBy('c.grade_order')
    .orderBy('c.number')
    .orderBy('s.class_id')
    .orderBy('s.id')
    .limit(args.limit)
    .offset(args.offset)
    .execute();
  return { total: Number(total), offset: args.offset, rows: rows.map(rowToListItem) };
}

/** Edits fields (checked by the roster's rules) and/or the class; every change goes into the student's history. */
export async function updateStudent(ctx: CoreContext, args: CallArgs<'students.update'>): Promise<Student> {
  const row = await loadStudent(ctx, args.id);
  const checked = checkStudent(args.fields as StudentInput, today(ctx));
  const errors = checked.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new AppError('validation', errors.map((p) => `${fieldLabel(p.field)}：${p.message}`).join('；'), {
      problems: checked.problems,
    });
  }
  const before = rowToFields(row);
  const after: StudentFields = { ...before, ...checked.value };
  if (!after.name) throw new AppError('validation', '姓名：姓名为空', { problems: [{ field: 'name', code: 'name-missing' }] });
  for (const [key, column] of [
    ['idNumber', 'id_number'],
    ['studentNumber', 'student_number'],
  ] as const) {
    const value = after[key];
    if (!value || value === before[key]) continue;
    const other = await ctx.store.db
      .selectFrom('student')
      .select(['name'])
      .where(column, '=', value)
      .where('id', '!=', args.id)
      .executeTakeFirst();
    if (other) {
      throw new AppError('duplicate', `${fieldLabel(key)}已属于学生“${other.name}”，同一号码不能用于两名学生`, {
        problems: [{ field: key, code: `duplicate-${key}` }],
      });
    }
  }
  let classId = row.class_id;
  let className = row.class_name;
  // A class of another school of the desk moves the student to that school (转学 between 校点).
  let schoolId = row.school_id;
  if (args.classId !== undefined && args.classId !== row.class_id) {
    if (args.classId !== null) {
      const cls = await ctx.store.db
        .selectFrom('school_class')
        .select(['id', 'name', 'school_id'])
        .where('id', '=', args.classId)
        .executeTakeFirst();
      if (!cls) throw notFound('该班级');
      className = cls.name;
      schoolId = cls.school_id;
    } else className = null;
    classId = args.classId;
  }
  const at = nowIso(ctx);
  const changes: [string, string | null, string | null][] = [];
  for (const key of Object.keys(after) as (keyof StudentFields)[]) {
    if (after[key] !== before[key]) changes.push([key, raw(before[key]), raw(after[key])]);
  }
  if (classId !== row.class_id) changes.push(['className', row.class_name, className]);
  if (schoolId !== row.school_id) {
    const names = memberSchoolNames(ctx);
    changes.push(['school', names.get(row.school_id) ?? null, names.get(schoolId) ?? null]);
  }
  if (changes.length) {
    const sqlite = ctx.store.sqlite;
    const update = sqlite.prepare(
      `UPDATE student SET (${STUDENT_COLUMNS}, class_id, school_id, updated_at) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`,
    );
    const log = sqlite.prepare(
      `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source) VALUES (?, ?, ?, ?, ?, 'edit')`,
    );
    sqlite
      .transaction(() => {
        update.run(...fieldsToValues(after), classId, schoolId, at, args.id);
        for (const [field, from, to] of changes) log.run(args.id, at, field, from, to);
        if (schoolId !== row.school_id) settleCasesOnMove(ctx, args.id, schoolId, '在学生信息中转入该校的班级');
      })
      .immediate();
  }
  return getStudent(ctx, args.id, false);
}

export async function studentHistory(ctx: CoreContext, id: number): Promise<StudentChange[]> {
  await loadStudent(ctx, id);
  const rows = await ctx.store.db
    .selectFrom('student_change')
    .select(['changed_at', 'field', 'old_value', 'new_value', 'source'])
    .where('student_id', '=', id)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r): StudentChange => ({
    at: r.changed_at,
    field: fieldLabel(r.field),
    // History is on screen: sensitive values stay masked there too.
    oldValue: displayValue(r.field, r.old_value),
    newValue: displayValue(r.field, r.new_value),
    source: r.source,
  }));
}

/** Marks students as left (转出/毕业/辍学) or back in school; nobody is ever deleted. */
export function setStudentStatus(ctx: CoreContext, args: CallArgs<'students.setStatus'>): { changed: number } {
  const at = nowIso(ctx);
  const sqlite = ctx.store.sqlite;
  const get = sqlite.prepare(`SELECT status, left_reason FROM student WHERE id = ?`);
  const update = sqlite.prepare(`UPDATE student SET status = ?, left_reason = ?, left_on = ?, updated_at = ? WHERE id = ?`);
  const log = sqlite.prepare(
    `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source) VALUES (?, ?, 'status', ?, ?, 'status')`,
  );
  const describe = (status: string, reason: string | null) =>
    status === 'enrolled' ? '在校' : `已离校（${reason ? LEFT_REASON_TEXT[reason as LeftReason] : ''}）`;
  return sqlite
    .transaction(() => {
      let changed = 0;
      for (const id of new Set(args.ids)) {
        const current = get.get(id) as { status: string; left_reason: string | null } | undefined;
        if (!current) throw notFound(`编号为 ${id} 的学生`);
        const reason = args.status === 'left' ? args.reason : null;
        if (current.status === args.status && current.left_reason === reason) continue;
        update.run(args.status, reason, args.status === 'left' ? args.date : null, at, id);
        log.run(id, at, describe(current.status, current.left_reason), describe(args.status, reason));
        changed++;
      }
      return { changed };
    })
    .immediate();
}

function raw(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
}

export function describeAccount(a: { holder: string; holderName: string; proxyLetter: boolean; bankName: string }): string {
  const who = a.holder === 'student' ? '学生本人' : `监护人${a.holderName}${a.proxyLetter ? '（有委托书）' : '（未收委托书）'}`;
  return a.bankName ? `${who}，${a.bankName}` : who;
}

/**
 * Whose account the student's card is. A guardian's account names the guardian (the roster's guardian when
 * none is given); the 委托书 is recorded, and without it no payment to that account is recorded.
 */
export async function setStudentAccount(ctx: CoreContext, args: CallArgs<'students.setAccount'>): Promise<Student> {
  const row = await loadStudent(ctx, args.id);
  const holderName = args.holder === 'guardian' ? args.holderName || row.guardian_name : '';
  if (args.holder === 'guardian' && !holderName) throw new AppError('validation', '监护人账户须填写户名（监护人姓名）');
  const next = { holder: args.holder, holderName, proxyLetter: args.holder === 'guardian' && args.proxyLetter, bankName: args.bankName };
  const before = {
    holder: row.account_holder,
    holderName: row.account_holder_name,
    proxyLetter: row.proxy_letter === 1,
    bankName: row.bank_name,
  };
  if (describeAccount(before) !== describeAccount(next)) {
    const at = nowIso(ctx);
    const sqlite = ctx.store.sqlite;
    sqlite
      .transaction(() => {
        sqlite
          .prepare(
            `UPDATE student SET account_holder = ?, account_holder_name = ?, proxy_letter = ?, bank_name = ?, updated_at = ? WHERE id = ?`,
          )
          .run(next.holder, next.holderName, next.proxyLetter ? 1 : 0, next.bankName, at, args.id);
        sqlite
          .prepare(
            `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source) VALUES (?, ?, 'account', ?, ?, 'edit')`,
          )
          .run(args.id, at, describeAccount(before), describeAccount(next));
      })
      .immediate();
  }
  return getStudent(ctx, args.id, false);
}

/**
 * Moves a student to another school of the desk (and a class of it, or none): the clerk's decision on a
 * 双学籍 case. Logged in the student's history like an edit. Runs inside the caller's transaction.
 */
export function moveToSchool(ctx: CoreContext, studentId: number, schoolId: number, classId: number | null): void {
  const sqlite = ctx.store.sqlite;
  const row = sqlite
    .prepare(
      `SELECT s.school_id, s.class_id, c.name AS class_name, m.name AS school_name FROM student s
       LEFT JOIN school_class c ON c.id = s.class_id JOIN member_school m ON m.id = s.school_id WHERE s.id = ?`,
    )
    .get(studentId) as { school_id: number; class_id: number | null; class_name: string | null; school_name: string } | undefined;
  if (!row) throw notFound('该学生');
  const target = sqlite.prepare(`SELECT name FROM member_school WHERE id = ?`).pluck().get(schoolId) as string | undefined;
  if (target === undefined) throw notFound('该学校');
  const className =
    classId === null
      ? null
      : (sqlite.prepare(`SELECT name FROM school_class WHERE id = ? AND school_id = ?`).pluck().get(classId, schoolId) as
          string | undefined);
  if (className === undefined) throw notFound('该校的班级');
  const at = nowIso(ctx);
  sqlite.prepare(`UPDATE student SET school_id = ?, class_id = ?, updated_at = ? WHERE id = ?`).run(schoolId, classId, at, studentId);
  const log = sqlite.prepare(
    `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source) VALUES (?, ?, ?, ?, ?, 'edit')`,
  );
  if (row.school_id !== schoolId) log.run(studentId, at, 'school', row.school_name, target);
  settleCasesOnMove(ctx, studentId, schoolId, '双学籍核对：转入');
  if (row.class_id !== classId) log.run(studentId, at, 'className', row.class_name, className);
}

/**
 * A student moved into a school whose roster had listed them (疑似双学籍): the clerk's move answers that case
 * (转入), so it is closed with the move, on the core's today.
 */
function settleCasesOnMove(ctx: CoreContext, studentId: number, schoolId: number, note: string): void {
  ctx.store.sqlite
    .prepare(
      `UPDATE dual_enrolment SET resolution = 'moved', resolved_on = ?, note = ? WHERE student_id = ? AND school_id = ? AND resolved_on IS NULL`,
    )
    .run(today(ctx), note, studentId, schoolId);
}

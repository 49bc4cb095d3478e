import type { Handlers } from '../../../shared/api/contract';
import type { publicityApi } from '../../../shared/api/publicity';
import { LEVEL_TEXT, type DifficultyLevel } from '../../../shared/domain/identification';
import { SEX_TEXT } from '../../../shared/domain/student';
import { AppError } from '../../../shared/errors';
import { maskIdNumber } from '../../../shared/rules/mask';
import { isTerm, schoolYearOfTerm, termOfDate } from '../../../shared/rules/term';
import type { TierNumber } from '../../../shared/domain/programme';
import { nowIso, type CoreContext } from '../context';
import { recordProduced } from '../archive/archive';
import { ensureCatalogue, loadProgramme } from '../programmes/catalogue';
import { loadFacts, tierAmount } from '../programmes/facts';
import { postedValue } from './programmes';
import { EMPTY_SURVEY, loadSurvey, surveyFields } from '../db/survey-rows';
import { publicityNotice } from '../print/publicity-notice';
import { surveyForms, type SurveyFormData } from '../print/survey-form';
import { addObjection, closePublicity, createPublicity, getPublicity, listPublicity, loadObjection, resolveObjection } from '../publicity';
import { decideCase, reopenCase } from './identification';
import { requireSchool } from './school';
import { loadFlags, yearOf } from './surveys';

/** A recipient's tier after an objection was upheld: a new tier, or taken off (the application is not approved). */
function changeRecipient(
  ctx: CoreContext,
  publicityId: number,
  studentId: number,
  tier: TierNumber | null,
  note: string,
  on: string,
): void {
  const sqlite = ctx.store.sqlite;
  const ref = sqlite
    .prepare(`SELECT ref_id FROM publicity_entry WHERE publicity_id = ? AND student_id = ?`)
    .pluck()
    .get(publicityId, studentId) as number;
  const app = sqlite.prepare(`SELECT programme_id, student_id FROM application WHERE id = ?`).get(ref) as {
    programme_id: number;
    student_id: number;
  };
  const p = loadProgramme(ctx, app.programme_id);
  const stage = loadFacts(ctx, p.schoolYear).get(studentId)?.stage ?? null;
  const at = nowIso(ctx);
  if (tier === null) {
    sqlite
      .prepare(
        `UPDATE application SET status = 'rejected', funded = 0, tier = NULL, amount_fen = NULL, tier_reason = ?, updated_at = ? WHERE id = ?`,
      )
      .run(`公示异议复核：${note}`, at, ref);
    sqlite
      .prepare(`INSERT INTO application_event (application_id, at, from_status, to_status, note) VALUES (?, ?, 'publicity', 'rejected', ?)`)
      .run(ref, at, `${on} 公示异议复核后取消：${note}`);
    sqlite.prepare(`UPDATE publicity_entry SET value = '复核后取消' WHERE publicity_id = ? AND student_id = ?`).run(publicityId, studentId);
    return;
  }
  const amount = tierAmount(p, tier, stage);
  sqlite
    .prepare(`UPDATE application SET tier = ?, amount_fen = ?, tier_reason = ?, updated_at = ? WHERE id = ?`)
    .run(tier, amount, `公示异议复核：${note}`, at, ref);
  sqlite
    .prepare(`UPDATE publicity_entry SET value = ? WHERE publicity_id = ? AND student_id = ?`)
    .run(postedValue(p, tier, amount), publicityId, studentId);
}

const IDENTIFICATION_INTRO = (school: string, year: string) =>
  `根据国家和省有关家庭经济困难学生认定工作的规定，经个人申请、班级民主评议和学校认定工作组审核，${school}${year}学年家庭经济困难学生认定结果如下，现予公示。`;

export const publicityHandlers: Handlers<typeof publicityApi, CoreContext> = {
  'publicity.list': (ctx) => listPublicity(ctx),
  'publicity.get': (ctx, args) => getPublicity(ctx, args.id),

  'publicity.createIdentification': async (ctx, args) => {
    const school = await requireSchool(ctx);
    const year = await yearOf(ctx, args.schoolYear);
    const sqlite = ctx.store.sqlite;
    // Recognised students only (不困难 is not posted), each decision once: a re-decided case is posted again.
    const rows = sqlite
      .prepare(
        `SELECT i.id, i.student_id, i.level FROM identification i JOIN student s ON s.id = i.student_id LEFT JOIN school_class c ON c.id = s.class_id
         WHERE i.school_year = ? AND i.status = 'decided' AND i.level <> 'none' AND s.status = 'enrolled'
           ${args.classId !== null ? 'AND s.class_id = ?' : ''}
           AND NOT EXISTS (SELECT 1 FROM publicity_entry e JOIN publicity p ON p.id = e.publicity_id WHERE p.kind = 'identification' AND e.ref_id = i.id)
         ORDER BY c.grade_order, c.number, s.class_id, s.id`,
      )
      .all(...(args.classId !== null ? [year, args.classId] : [year])) as { id: number; student_id: number; level: DifficultyLevel }[];
    if (rows.length === 0) throw new AppError('publicity-empty', `${year}学年没有已认定、尚未公示的困难学生。请先完成认定。`);
    const id = sqlite
      .transaction(() =>
        createPublicity(ctx, {
          kind: 'identification',
          subject: year,
          title: args.title || `${school.name}${year}学年家庭经济困难学生认定结果公示`,
          startsOn: args.startsOn,
          workingDays: args.workingDays,
          complaintPhone: args.complaintPhone,
          entries: rows.map((r) => ({ studentId: r.student_id, value: LEVEL_TEXT[r.level], refId: r.id })),
        }),
      )
      .immediate();
    return getPublicity(ctx, id);
  },

  'publicity.addObjection': (ctx, args) => addObjection(ctx, args),

  'publicity.resolveObjection': (ctx, args) => {
    const o = loadObjection(ctx, args.objectionId);
    const p = getPublicity(ctx, o.publicityId);
    if (args.outcome === 'changed') {
      if (o.studentId === null) throw new AppError('validation', '复核后更改时，异议须涉及名单上的某名学生');
      if (p.kind === 'identification' && !args.newLevel) throw new AppError('validation', '复核后更改认定等级时，须选择新的认定等级');
      if (p.kind === 'programme' && args.newTier === undefined)
        throw new AppError('validation', '复核后更改时，须选择新的档次，或选择取消资助');
    }
    ctx.store.sqlite
      .transaction(() => {
        resolveObjection(ctx, args);
        if (args.outcome === 'changed' && o.studentId !== null && p.kind === 'programme' && args.newTier !== undefined) {
          changeRecipient(ctx, p.id, o.studentId, args.newTier, args.reviewNote, args.resolvedOn);
        }
        if (args.outcome === 'changed' && o.studentId !== null && p.kind === 'identification' && args.newLevel) {
          const ref = ctx.store.sqlite
            .prepare(`SELECT ref_id FROM publicity_entry WHERE publicity_id = ? AND student_id = ?`)
            .pluck()
            .get(p.id, o.studentId) as number;
          // The posted decision becomes history; the re-reviewed level is a new decision with its reason.
          const newId = reopenCase(ctx, ref, `公示异议复核：${args.reviewNote}`);
          decideCase(ctx, newId, args.newLevel, `公示异议复核后更改：${args.reviewNote}`, args.resolvedOn, '学校认定工作组');
          ctx.store.sqlite
            .prepare(`UPDATE publicity_entry SET value = ?, ref_id = ? WHERE publicity_id = ? AND student_id = ?`)
            .run(LEVEL_TEXT[args.newLevel], newId, p.id, o.studentId);
        }
      })
      .immediate();
    return loadObjection(ctx, args.objectionId);
  },

  'publicity.close': (ctx, args) => closePublicity(ctx, args.id, args.closedOn),

  'print.publicity': async (ctx, args) => {
    const school = await requireSchool(ctx);
    const p = getPublicity(ctx, args.id);
    const identification = p.kind === 'identification';
    const intro = identification ? IDENTIFICATION_INTRO(school.name, p.subject) : `${school.name}资助名单如下，现予公示。`;
    const doc = publicityNotice(p, school.name, identification ? '认定等级' : '资助档次/金额', intro);
    // The notice as posted is archived: a programme's with its 公示材料, the identification one with the term's 公示名单.
    const [, code, term] = p.subject.split(':');
    if (identification) recordProduced(ctx, 'identificationPublicity', termOfDate(p.startsOn), 0, `${p.title}.html`, Buffer.from(doc.html));
    else if (code && term && isTerm(term)) {
      const programme = ensureCatalogue(ctx, schoolYearOfTerm(term)).find((x) => x.code === code);
      if (programme) recordProduced(ctx, 'programmePublicity', term, programme.id, `${p.title}.html`, Buffer.from(doc.html));
    }
    return doc;
  },

  'print.surveyForms': async (ctx, args) => {
    const school = await requireSchool(ctx);
    const year = await yearOf(ctx, args.schoolYear);
    const sqlite = ctx.store.sqlite;
    let ids: number[];
    if (args.studentIds) ids = args.studentIds;
    else if (args.classId !== null) {
      ids = sqlite
        .prepare(`SELECT id FROM student WHERE class_id = ? AND status = 'enrolled' ORDER BY id`)
        .pluck()
        .all(args.classId) as number[];
    } else throw new AppError('validation', '请选择要打印申请表的班级或学生');
    if (ids.length === 0) throw new AppError('validation', '该班级没有在校学生');
    const student = sqlite.prepare(
      `SELECT s.*, c.name AS class_name FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`,
    );
    const forms = ids.map((id): SurveyFormData => {
      const s = student.get(id) as
        | {
            name: string;
            sex: 'male' | 'female' | null;
            ethnicity: string;
            birth_date: string | null;
            id_number: string | null;
            student_number: string | null;
            class_name: string | null;
            hukou: 'rural' | 'urban' | null;
            address: string;
            guardian_phone: string;
          }
        | undefined;
      if (!s) throw new AppError('not-found', `编号为 ${id} 的学生不存在`);
      const survey = loadSurvey(sqlite, id, year);
      const fields = survey
        ? surveyFields(survey)
        : { ...EMPTY_SURVEY, hukou: s.hukou, address: s.address, guardianPhone: s.guardian_phone };
      return {
        schoolName: school.name,
        schoolYear: year,
        name: s.name,
        sex: s.sex ? SEX_TEXT[s.sex] : '',
        ethnicity: s.ethnicity,
        birthDate: s.birth_date,
        idNumber: args.fullNumbers ? s.id_number : maskIdNumber(s.id_number),
        studentNumber: args.fullNumbers ? s.student_number : maskIdNumber(s.student_number),
        className: s.class_name,
        survey: fields,
        groups: new Set(loadFlags(ctx, id).map((f) => f.group)),
      };
    });
    const title = ids.length === 1 ? `${forms[0]!.name} 认定申请表` : `${forms[0]!.className ?? ''} 认定申请表（${ids.length} 份）`;
    return surveyForms(title, forms);
  },
};

import type { Handlers } from '../../../shared/api/contract';
import type { exportsApi } from '../../../shared/api/exports';
import { LEVEL_TEXT } from '../../../shared/domain/identification';
import { PRIORITY_GROUPS } from '../../../shared/domain/priority-group';
import { TIER_TEXT } from '../../../shared/domain/programme';
import { AppError } from '../../../shared/errors';
import { TEMPLATE_FIELDS } from '../../../shared/rules/template-fields';
import { schoolYearOfTerm, termText } from '../../../shared/rules/term';
import { today, type CoreContext } from '../context';
import { analyzeTemplate, fillTemplate, loadWorkbook, validateRows, type FillRow } from '../export/county-template';
import { listApplications, programmeForTerm } from '../programmes/applications';
import { ensureCatalogue } from '../programmes/catalogue';
import { requireSchool } from './school';

const RECIPIENT = ['approved', 'submitted', 'paid', 'archived'];

export const exportsHandlers: Handlers<typeof exportsApi, CoreContext> = {
  'export.countyTemplate': async (ctx, args) => {
    const school = await requireSchool(ctx);
    const p = programmeForTerm(ctx, args.programmeId, args.term);
    const wb = await loadWorkbook(Buffer.from(args.template.dataBase64, 'base64'), args.template.fileName);
    const layout = analyzeTemplate(wb, args.template.fileName);
    const recipients = listApplications(ctx, p.id, args.term, args.classId, null).rows.filter((a) => RECIPIENT.includes(a.status) && a.tier !== null);
    if (recipients.length === 0) throw new AppError('export-empty', `“${p.name}”${termText(args.term)}还没有审核通过的受助学生，无法填写模板`);
    const student = ctx.store.sqlite.prepare(
      `SELECT name, id_number, student_number, sex, ethnicity, boarding, bank_card, guardian_name, guardian_phone FROM student WHERE id = ?`,
    );
    // 是否免学杂费: 是 only where a waiver is approved; unknown stays blank, never 否 (the national system rejects that).
    const waiver = ensureCatalogue(ctx, schoolYearOfTerm(args.term)).find((x) => x.code === 'senior-fee-waiver');
    const waived = new Set(
      waiver ? listApplications(ctx, waiver.id, args.term, null, null).rows.filter((a) => RECIPIENT.includes(a.status)).map((a) => a.studentId) : [],
    );
    const rows: FillRow[] = recipients.map((a) => {
      const s = student.get(a.studentId) as {
        name: string; id_number: string | null; student_number: string | null; sex: string | null; ethnicity: string; boarding: 0 | 1 | null;
        bank_card: string | null; guardian_name: string; guardian_phone: string;
      };
      const groups = a.groups.filter((g) => g !== 'leftBehind').map((g) => PRIORITY_GROUPS[g]);
      return {
        key: String(a.id), name: s.name, idNumber: s.id_number, studentNumber: s.student_number, grade: a.grade, className: a.className,
        sex: s.sex === 'male' ? '男' : s.sex === 'female' ? '女' : null, ethnicity: s.ethnicity || null,
        boarding: s.boarding === null ? null : s.boarding ? '是' : '否',
        category: groups.length ? groups.join('、') : a.level ? LEVEL_TEXT[a.level] : null,
        level: a.level ? LEVEL_TEXT[a.level] : null, tier: a.tier ? TIER_TEXT[a.tier] : null,
        amount: a.amount === null ? null : a.amount / 100, feeWaived: waived.has(a.studentId) ? '是' : null,
        bankCard: s.bank_card, guardian: s.guardian_name || null, phone: s.guardian_phone || null, note: null,
        schoolName: school.name, township: school.township || null,
      };
    });
    const problems = validateRows(layout, rows);
    const columns = layout.columns.map((c) => ({ letter: c.letter, header: c.header, field: c.field, fieldLabel: c.field ? TEMPLATE_FIELDS[c.field].label : null, options: c.options }));
    if (problems.length) return { file: null, rows: rows.length, columns, problems };
    const d = today(ctx);
    const data = await fillTemplate(wb, layout, rows, { schoolName: school.name, date: `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`, termText: termText(args.term) });
    const base = args.template.fileName.replace(/\.xlsx$/i, '');
    return { file: { fileName: `${base}（${school.name}已填）.xlsx`, dataBase64: data.toString('base64') }, rows: rows.length, columns, problems };
  },
};

import type { CallArgs } from '../../../shared/api';
import { LEVEL_TEXT } from '../../../shared/domain/identification';
import { PRIORITY_GROUPS } from '../../../shared/domain/priority-group';
import { TIER_TEXT } from '../../../shared/domain/programme';
import { AppError } from '../../../shared/errors';
import { type TemplateField } from '../../../shared/rules/template-fields';
import { schoolYearOfTerm, termText } from '../../../shared/rules/term';
import { today, type CoreContext } from '../context';
import { all } from '../db/query';
import { onePass } from '../db/open';
import { APPLICATION_STATUS_TEXT } from '../../../shared/domain/application';
import { maskIdNumber, maskPhone } from '../../../shared/rules/mask';
import { builtInTemplate } from '../export/built-in-templates';
import { writePlainList } from '../export/plain-list';
import { searchCondition } from '../students/search-terms';
import { normalizeSearch } from '../students/students';
import {
  analyzeTemplate,
  applyMapping,
  fillTemplate,
  fillTemplatePerSchool,
  loadWorkbook,
  templateAsXlsx,
  validateRows,
  type FillRow,
} from '../export/county-template';
import { XLS_TEMPLATE_LOSS } from '../import/read-xls';
import { periodStats } from '../stats';
import { identificationCells, identificationReasons } from './identification-cells';
import { listApplications } from '../programmes/applications';
import { programmeForTerm } from '../programmes/catalogue';
import { ensureCatalogue } from '../programmes/catalogue';
import { loadFacts } from '../programmes/facts';
import { recordProduced } from '../archive/archive';
import { mayFile } from '../../../shared/rules/privacy';
import { paidApplications } from '../payments/paid';
import { checkBankCard } from '../../../shared/rules/bank-card';
import { requireSchool, yearOf } from '../school/school';
import { listMemberSchools, schoolScope } from '../school/member-schools';
import { columnViews, loadTemplate, type ValueMapping } from './templates';
import { checkFunds } from '../funds/funds';

const RECIPIENT = ['approved', 'submitted', 'paid', 'archived'];

export async function exportList(ctx: CoreContext, args: CallArgs<'export.list'>) {
  const school = await requireSchool(ctx);
  // With member schools together, each class is named with its school (一年级1班 is in each of them).
  const scope = schoolScope(ctx, args.schoolId);
  const owner = scope.name ?? school.name;
  if (args.list === 'students') {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (args.status !== 'all') {
      where.push('s.status = ?');
      params.push(args.status);
    }
    if (args.classId !== null) {
      where.push('s.class_id = ?');
      params.push(args.classId);
    }
    if (args.schoolId !== null) {
      where.push('s.school_id = ?');
      params.push(args.schoolId);
    }
    const search = normalizeSearch(args.search);
    if (search) {
      const condition = searchCondition(search);
      where.push(condition.sql);
      params.push(condition.param);
    }
    // The order first (ids only), then the rows a chunk at a time: the writer waits for the zip between rows,
    // and no query stays open meanwhile (another call would find the database busy).
    const ids = ctx.store.sqlite
      .prepare(
        `SELECT s.id FROM student s LEFT JOIN school_class c ON c.id = s.class_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY s.school_id, c.grade_order, c.number, s.class_id, s.id`,
      )
      .pluck()
      .all(...params) as number[];
    const chunk = ctx.store.sqlite
      .prepare(
        `SELECT s.id, m.name, c.name, s.name, s.sex, s.birth_date, s.id_number, s.student_number, s.ethnicity, s.hukou, s.boarding, s.guardian_name, s.guardian_phone, s.status
         FROM student s LEFT JOIN school_class c ON c.id = s.class_id JOIN member_school m ON m.id = s.school_id
         WHERE s.id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
    const full = args.fullNumbers;
    const shaped = async function* () {
      for (let i = 0; i < ids.length; i += 2000) {
        const part = ids.slice(i, i + 2000);
        const byId = new Map((chunk.all(JSON.stringify(part)) as (string | number | null)[][]).map((r) => [r[0] as number, r]));
        for (const id of part) {
          const r = byId.get(id);
          if (!r) continue; // removed while the export ran
          const [, schoolName, cls, name, sex, birth, idn, sn, eth, hukou, boarding, guardian, phone, status] = r;
          yield [
            cls === null ? null : `${scope.prefix(String(schoolName))}${cls}`,
            name,
            sex === 'male' ? '男' : sex === 'female' ? '女' : '',
            birth,
            full ? idn : maskIdNumber(idn as string | null),
            full ? sn : maskIdNumber(sn as string | null),
            eth,
            hukou === 'rural' ? '农村' : hukou === 'urban' ? '城镇' : '',
            boarding === null ? '' : boarding ? '住校' : '走读',
            guardian,
            full ? phone : maskPhone(phone as string | null),
            status === 'enrolled' ? '在校' : '已离校',
          ];
        }
      }
    };
    const { data, rows: n } = await onePass(ctx.store.sqlite, () =>
      writePlainList({
        sheetName: '学生名册',
        title: `${owner}学生名册（${today(ctx)} 导出${full ? '，含完整号码，请妥善保管' : '，号码已打码'}）`,
        headers: [
          ['班级', 14],
          ['姓名', 10],
          ['性别', 6],
          ['出生日期', 12],
          ['身份证件号', 22],
          ['学籍号', 22],
          ['民族', 8],
          ['户口性质', 8],
          ['就读方式', 8],
          ['监护人', 10],
          ['联系电话', 14],
          ['状态', 8],
        ].map(([text, width]) => ({ text: text as string, width: width as number })),
        textColumns: [4, 5, 10],
        rows: shaped(),
      }),
    );
    return { fileName: `${owner}学生名册.xlsx`, dataBase64: data.toString('base64'), rows: n };
  }
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const page = listApplications(ctx, p.id, args.term, args.classId, args.status, undefined, args.schoolId);
  const { data, rows: n } = await writePlainList({
    sheetName: '申请',
    title: `${owner}${termText(args.term)}${p.name}申请（${today(ctx)} 导出）`,
    headers: [
      ['班级', 14],
      ['姓名', 10],
      ['特殊群体', 20],
      ['认定等级', 10],
      ['评分', 6],
      ['状态', 10],
      ['排名', 6],
      ['档次', 6],
      ['金额（元）', 10],
      ['依据', 40],
    ].map(([text, width]) => ({ text: text as string, width: width as number })),
    textColumns: [],
    rows: page.rows.map((a) => [
      a.className === null ? null : `${scope.prefix(a.schoolName)}${a.className}`,
      a.name,
      a.groups.map((g) => PRIORITY_GROUPS[g]).join('、'),
      a.level ? LEVEL_TEXT[a.level] : '',
      a.score,
      APPLICATION_STATUS_TEXT[a.status],
      a.rank,
      a.tier ? TIER_TEXT[a.tier] : '',
      a.amount === null ? null : a.amount / 100,
      a.tierReason ? `调整：${a.tierReason}` : a.rankReason,
    ]),
  });
  return { fileName: `${termText(args.term)}${p.name}申请.xlsx`, dataBase64: data.toString('base64'), rows: n };
}

export async function exportTable(ctx: CoreContext, args: CallArgs<'export.table'>) {
  const { data, rows } = await writePlainList({
    sheetName: args.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '),
    title: `${args.title}（${today(ctx)} 导出）`,
    headers: args.headers.map((text) => ({ text, width: Math.min(40, Math.max(8, text.length * 2 + 4)) })),
    textColumns: args.textColumns,
    rows: args.rows,
  });
  return { fileName: `${args.title.replace(/[\\/:*?"<>|]/g, '_')}.xlsx`, dataBase64: data.toString('base64'), rows };
}

export async function exportCountyTemplate(ctx: CoreContext, args: CallArgs<'export.countyTemplate'>) {
  const school = await requireSchool(ctx);
  const scope = schoolScope(ctx, args.schoolId);
  const perSchool = args.sheets === 'perSchool' && scope.schoolId === null;
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  let data: Buffer;
  let fileName: string;
  let mapping: Record<string, TemplateField | null> = {};
  let values: ValueMapping = {};
  let converted = false;
  if ('templateId' in args.template) {
    const t = loadTemplate(ctx, args.template.templateId);
    data = t.data;
    fileName = t.file_name;
    mapping = JSON.parse(t.mapping) as typeof mapping;
    values = JSON.parse(t.value_mapping) as ValueMapping;
  } else if ('builtIn' in args.template) {
    fileName = `${termText(args.term)}${p.name}${args.template.builtIn === 'bank' ? '代发文件' : '受助学生名单'}.xlsx`;
    // The title names the school the list is for; a sheet per school leaves it to each sheet's 填报学校 line.
    const owner = perSchool ? '' : (scope.name ?? school.name);
    data = await builtInTemplate(args.template.builtIn, `${owner}${termText(args.term)}${p.name}受助学生名单`);
  } else {
    ({ data, fileName, converted } = templateAsXlsx(Buffer.from(args.template.dataBase64, 'base64'), args.template.fileName));
  }
  const wb = await loadWorkbook(data, fileName);
  const layout = applyMapping(analyzeTemplate(wb, fileName), mapping, values);
  const facts = loadFacts(ctx, p.schoolYear, { programmeId: p.id, term: args.term });
  // A bank payment file (代发文件) pays: only what was reported to the county and is not paid yet.
  const isBankFile = 'builtIn' in args.template && args.template.builtIn === 'bank';
  const listed = listApplications(ctx, p.id, args.term, args.classId, null, facts, args.schoolId).rows.filter(
    (a) => (isBankFile ? a.status === 'submitted' : RECIPIENT.includes(a.status)) && a.tier !== null,
  );
  const paid =
    args.unpaidOnly || isBankFile
      ? paidApplications(
          ctx,
          listed.map((a) => a.id),
        )
      : new Set<number>();
  const recipients = listed.filter((a) => !paid.has(a.id));
  if (recipients.length === 0) {
    throw new AppError(
      'export-empty',
      isBankFile || args.unpaidOnly
        ? `“${p.name}”${termText(args.term)}没有已上报、尚未发放的受助学生（代发文件只含已上报、未发放的）`
        : `“${p.name}”${termText(args.term)}还没有审核通过的受助学生，无法填写模板`,
    );
  }
  const students = new Map(
    all(
      ctx,
      ctx.store.db
        .selectFrom('student')
        .select(['id', 'name', 'id_number', 'student_number', 'sex', 'ethnicity', 'boarding', 'bank_card', 'guardian_name'])
        .select(['guardian_phone', 'account_holder', 'account_holder_name', 'proxy_letter', 'bank_name'])
        .where(
          'id',
          'in',
          recipients.map((a) => a.studentId),
        ),
    ).map((s) => [s.id, s]),
  );
  // 是否免学杂费: 是 only where a waiver is approved; unknown stays blank, never 否 (the national system rejects that).
  const waiver = ensureCatalogue(ctx, schoolYearOfTerm(args.term)).find((x) => x.code === 'senior-fee-waiver');
  const waived = new Set(
    waiver
      ? listApplications(ctx, waiver.id, args.term, null, null)
          .rows.filter((a) => RECIPIENT.includes(a.status))
          .map((a) => a.studentId)
      : [],
  );
  // Cards the bank turned back are marked until corrected: the clerk sees them before sending the file again.
  const ids = recipients.map((a) => a.id);
  const lastFailure = new Map(
    all(
      ctx,
      ctx.store.db
        .selectFrom('payment')
        .select(['application_id', 'account', 'failure_reason'])
        .where('outcome', '=', 'failed')
        .where('id', 'in', (sub) =>
          sub
            .selectFrom('payment')
            .select((eb) => eb.fn.max('id').as('id'))
            .groupBy('application_id'),
        )
        .where('application_id', 'in', ids),
    ).map((r) => [r.application_id, r]),
  );
  const bankNote = (applicationId: number, card: string | null, guardianAccount: boolean, name: string): string | null => {
    const failed = lastFailure.get(applicationId);
    const notes = [
      guardianAccount ? `${name}的监护人账户（已收委托书）` : '',
      failed
        ? failed.account === card
          ? `上次退回：${failed.failure_reason}，卡号未更正`
          : `上次退回：${failed.failure_reason}，已更正卡号`
        : '',
    ].filter(Boolean);
    return notes.length ? notes.join('；') : null;
  };
  const reasons = identificationReasons(ctx, p.schoolYear);
  // 发放日期 for the national system's payment records: the day the successful payment was made.
  const paidOn = new Map(
    all(
      ctx,
      ctx.store.db
        .selectFrom('payment')
        .select(['application_id', 'paid_on'])
        .where('outcome', '=', 'paid')
        .where('application_id', 'in', ids),
    ).map((r) => [r.application_id, r.paid_on]),
  );
  const period = periodStats(ctx, args.term);
  const coverage = period.enrolled ? `${((period.total.students / period.enrolled) * 100).toFixed(1)}%` : null;
  const rows: FillRow[] = recipients.map((a) => {
    const s = students.get(a.studentId)!;
    const guardianAccount = s.account_holder === 'guardian';
    const groups = a.groups.filter((g) => g !== 'leftBehind').map((g) => PRIORITY_GROUPS[g]);
    return {
      key: String(a.id),
      name: s.name,
      idNumber: s.id_number,
      studentNumber: s.student_number,
      grade: a.grade,
      className: a.className,
      sex: s.sex === 'male' ? '男' : s.sex === 'female' ? '女' : null,
      ethnicity: s.ethnicity || null,
      boarding: s.boarding === null ? null : s.boarding ? '是' : '否',
      category: groups.length ? groups.join('、') : a.level ? LEVEL_TEXT[a.level] : null,
      ...identificationCells(facts.get(a.studentId), reasons, a.level),
      tier: a.tier ? TIER_TEXT[a.tier] : null,
      amount: a.amount === null ? null : a.amount / 100,
      paidOn: paidOn.get(a.id) ?? null,
      coverage,
      feeWaived: waived.has(a.studentId) ? '是' : null,
      bankCard: s.bank_card,
      accountName: guardianAccount ? s.account_holder_name || s.guardian_name : s.name,
      bankName: s.bank_name || null,
      guardian: s.guardian_name || null,
      phone: s.guardian_phone || null,
      note: isBankFile ? bankNote(a.id, s.bank_card, guardianAccount, s.name) : null,
      schoolName: a.schoolName || school.name,
      township: school.township || null,
    };
  });
  if (layout.kind === 'schools' && args.classId !== null)
    throw new AppError('validation', '每校一行的汇总表按学校统计全部受助学生，不能只填一个班：请选“全部班级”');
  // A county's summary (汇总表): a row per school of the desk (or the one picked), its recipients counted and added up.
  const filled = layout.kind === 'schools' ? schoolSummaryRows(ctx, scope.schoolId, recipients, school.township || null) : rows;
  const problems = validateRows(layout, filled);
  // A bank pays to a card: a missing or malformed one holds the file back, named (the publicity never needed it).
  if (isBankFile) {
    for (const r of rows) {
      const card = checkBankCard(r.bankCard === null || r.bankCard === undefined ? null : String(r.bankCard));
      if (!card.ok)
        problems.push({
          student: String(r.name),
          column: '账号',
          message: card.problem === 'empty' ? '没有银行卡号，请先在学生信息中填写' : card.message,
        });
    }
    for (const r of recipients) {
      const s = students.get(r.studentId)!;
      if (s.account_holder === 'guardian' && s.proxy_letter !== 1)
        problems.push({ student: r.name, column: '户名', message: '监护人账户还没有登记委托书' });
    }
  }
  const conversion = converted ? XLS_TEMPLATE_LOSS : null;
  if (problems.length) return { file: null, rows: filled.length, columns: columnViews(layout), problems, fundsWarning: null, conversion };
  // Money leaves only against money received (资金台账): a warning, or a refusal when the school set it so.
  const payingFile = isBankFile || args.unpaidOnly;
  const fundsWarning =
    p.kind === 'paid' || p.kind === 'waiver'
      ? checkFunds(
          ctx,
          p.id,
          args.term,
          recipients.reduce((s, a) => s + (a.amount ?? 0), 0),
          payingFile ? '代发文件' : '上报名单',
        )
      : null;
  const d = today(ctx);
  const header = { date: `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`, termText: termText(args.term) };
  const bySchool = new Map<string, FillRow[]>();
  for (const r of rows) bySchool.set(String(r.schoolName), [...(bySchool.get(String(r.schoolName)) ?? []), r]);
  const out =
    layout.kind === 'schools'
      ? await fillTemplate(wb, layout, filled, { ...header, schoolName: scope.name ?? school.name })
      : perSchool
        ? await fillTemplatePerSchool(
            wb,
            layout,
            [...bySchool].map(([schoolName, group]) => ({ schoolName, rows: group })),
            header,
          )
        : await fillTemplate(wb, layout, rows, { ...header, schoolName: scope.name ?? school.name });
  const base = fileName.replace(/\.xlsx$/i, '');
  const file = { fileName: `${base}（${scope.name ?? school.name}已填）.xlsx`, dataBase64: out.toString('base64') };
  // A whole-school list in the county's (or the built-in) layout is what was reported: kept with the archive
  // (rules/privacy.ts: the record of what went to the county; a bank file to be paid is never kept).
  if (!isBankFile && args.classId === null && !args.unpaidOnly && mayFile('countyExport', true))
    recordProduced(ctx, 'countyExport', args.term, p.id, file.fileName, out, args.schoolId ?? 1);
  return { file, rows: filled.length, columns: columnViews(layout), problems, fundsWarning, conversion };
}

/** The summary's rows: each school with its enrolled students, recipients by tier, their money and the 资助面. */
function schoolSummaryRows(
  ctx: CoreContext,
  schoolId: number | null,
  recipients: { schoolId: number; tier: number | null; amount: number | null }[],
  township: string | null,
): FillRow[] {
  return listMemberSchools(ctx)
    .filter((sc) => schoolId === null || sc.id === schoolId)
    .map((sc) => {
      const mine = recipients.filter((a) => a.schoolId === sc.id);
      const students = sc.studentCount; // enrolled
      const tier = (t: number) => mine.filter((a) => a.tier === t).length;
      return {
        key: sc.name,
        schoolName: sc.name,
        township,
        enrolledCount: students,
        recipientCount: mine.length,
        tier1Count: tier(1),
        tier2Count: tier(2),
        tier3Count: tier(3),
        amount: mine.reduce((n, a) => n + (a.amount ?? 0), 0) / 100,
        coverage: students ? `${((mine.length / students) * 100).toFixed(1)}%` : null,
      };
    });
}

/**
 * 认定结果 for the national system: every enrolled student identified in hardship in the school year (or a class),
 * filled into the system's template (loaded once by the clerk, like a county's) or the built-in layout.
 */
export async function exportIdentification(ctx: CoreContext, args: CallArgs<'export.identification'>) {
  const desk = await requireSchool(ctx);
  // One member school's results carry its name; all of them, the desk's.
  const school = { ...desk, name: schoolScope(ctx, args.schoolId).name ?? desk.name };
  const year = await yearOf(ctx, args.schoolYear);
  let data: Buffer;
  let fileName: string;
  let mapping: Record<string, TemplateField | null> = {};
  let values: ValueMapping = {};
  let converted = false;
  if ('templateId' in args.template) {
    const t = loadTemplate(ctx, args.template.templateId);
    data = t.data;
    fileName = t.file_name;
    mapping = JSON.parse(t.mapping) as typeof mapping;
    values = JSON.parse(t.value_mapping) as ValueMapping;
  } else if ('builtIn' in args.template) {
    fileName = `${year}学年家庭经济困难学生认定结果.xlsx`;
    data = await builtInTemplate('identification', `${school.name}${year}学年家庭经济困难学生认定结果`);
  } else {
    ({ data, fileName, converted } = templateAsXlsx(Buffer.from(args.template.dataBase64, 'base64'), args.template.fileName));
  }
  const wb = await loadWorkbook(data, fileName);
  const layout = applyMapping(analyzeTemplate(wb, fileName), mapping, values);
  if (layout.kind === 'schools')
    throw new AppError('template-kind', `“${fileName}”是每校一行的汇总表，认定结果要按学生逐人填写：请选择列有“姓名”的名单模板`);
  const facts = loadFacts(ctx, year);
  const reasons = identificationReasons(ctx, year);
  const students = [...facts.values()]
    .filter(
      (f) =>
        f.enrolled &&
        f.level !== null &&
        f.level !== 'none' &&
        (args.classId === null || f.classId === args.classId) &&
        (args.schoolId === null || f.schoolId === args.schoolId),
    )
    .sort((a, b) => (a.gradeOrder ?? 99) - (b.gradeOrder ?? 99) || (a.classId ?? 0) - (b.classId ?? 0) || a.studentId - b.studentId);
  if (students.length === 0) throw new AppError('export-empty', `${year} 学年还没有认定为家庭经济困难的在校学生`);
  const numbers = new Map(
    all(
      ctx,
      ctx.store.db
        .selectFrom('student')
        .select(['id', 'student_number', 'sex', 'ethnicity'])
        .where(
          'id',
          'in',
          students.map((f) => f.studentId),
        ),
    ).map((s) => [s.id, s]),
  );
  const rows: FillRow[] = students.map((f) => {
    const s = numbers.get(f.studentId);
    return {
      key: String(f.studentId),
      name: f.name,
      idNumber: f.idNumber,
      studentNumber: s?.student_number ?? null,
      sex: s?.sex === 'male' ? '男' : s?.sex === 'female' ? '女' : null,
      ethnicity: s?.ethnicity || null,
      grade: f.grade,
      className: f.className,
      boarding: f.boarding === null ? null : f.boarding ? '是' : '否',
      ...identificationCells(f, reasons),
      schoolName: f.schoolName || school.name,
      township: school.township || null,
    };
  });
  const conversion = converted ? XLS_TEMPLATE_LOSS : null;
  const problems = validateRows(layout, rows);
  if (problems.length) return { file: null, rows: rows.length, columns: columnViews(layout), problems, fundsWarning: null, conversion };
  const d = today(ctx);
  const out = await fillTemplate(wb, layout, rows, {
    schoolName: school.name,
    date: `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`,
    termText: `${year}学年`,
  });
  const file = { fileName: `${fileName.replace(/\.xlsx$/i, '')}（${school.name}已填）.xlsx`, dataBase64: out.toString('base64') };
  return { file, rows: rows.length, columns: columnViews(layout), problems, fundsWarning: null, conversion };
}

/**
 * 告知: what goes home to families, printed from the year's programme catalogue (never typed by hand) and the
 * school's own texts for the year (defaults below, editable once a year): 致家长的一封信, 资助政策明白卡 per student,
 * 资助告知书 per student after payment (programme, amount, date, the account's last 4 digits: nothing else
 * personal), and the list of documents to bring (证明材料) per class. One page per student where personal.
 */
import type { PrintDocument } from '../../../shared/api/common';
import type { NoticeTexts } from '../../../shared/domain/notices';
import { CHANNEL_TEXT } from '../../../shared/domain/payment';
import { STAGE_TEXT, type SchoolYear, type Stage, type Term } from '../../../shared/domain/school';
import { AppError } from '../../../shared/errors';
import { formatYuan } from '../../../shared/rules/money';
import { schoolYearOfTerm, termText } from '../../../shared/rules/term';
import { today, type CoreContext } from '../context';
import { all } from '../db/query';
import { chineseDate } from '../print/document';
import { flowDocument, type FlowItem } from '../print/flow';
import { ensureCatalogue } from '../programmes/catalogue';
import { requireSchool } from '../school/school';
import { readSetting, writeSetting } from '../settings';

export const ANTI_FRAUD =
  '学生资助不收取任何费用。凡是以资助为名要求转账、缴费、提供银行卡密码或验证码的，都是诈骗，请立即拒绝并向学校或公安机关报告。';

export function defaultNoticeTexts(): NoticeTexts {
  return {
    complaintPhone: '',
    letterIntro:
      '尊敬的家长：您好！为了不让一个学生因家庭经济困难而失学，国家建立了覆盖学前教育至高等教育的学生资助政策体系。现将我校学生可以享受的资助政策告知如下：',
    letterClosing:
      '申请方式：家庭经济困难的学生，由家长向班主任提出申请，如实填写《家庭经济困难学生认定申请表》并签署承诺书，提供相关证明材料（没有证明材料的如实说明即可）。学校按程序评议认定，在校内公示无异议后，按规定发放到学生本人或监护人的银行卡（社保卡）上。',
    checklist: [
      '家庭经济困难学生认定申请表（含承诺书，家长签字）',
      '户口簿（学生本人页）复印件',
      '脱贫户（防止返贫监测对象）证明',
      '低保证、特困供养证（如有）',
      '残疾证（如有）',
      '孤儿、事实无人抚养儿童认定材料（如有）',
      '学生本人或监护人的银行卡（社保卡）复印件',
      '用监护人账户领取时的监护人委托书',
    ],
    seniorGraduates:
      '考上大学不用愁：家庭经济困难的新生可在户籍所在县（市、区）申请生源地信用助学贷款（全日制普通本专科学生每人每年最高 20000 元，在读期间利息由财政全额补贴）；脱贫家庭、低保家庭等家庭经济困难新生还可申请大学新生入学资助（省内院校 500 元、省外院校 1000 元），入学后还有国家助学金、勤工助学等资助。具体标准以当年政策为准，请在录取后及时到县学生资助管理中心办理。',
  };
}

const key = (year: SchoolYear) => `notices.${year}`;

export function noticeTexts(ctx: CoreContext, year: SchoolYear): NoticeTexts {
  return { ...defaultNoticeTexts(), ...(readSetting<Partial<NoticeTexts>>(ctx, key(year)) ?? {}) };
}

export function saveNoticeTexts(ctx: CoreContext, year: SchoolYear, texts: NoticeTexts): NoticeTexts {
  ctx.store.sqlite.transaction(() => writeSetting(ctx, key(year), texts)).immediate();
  return noticeTexts(ctx, year);
}

/** A catalogue note as families read it: the clerk's own reminders (请按…修改, …中设置, 金额按…填写) left out. */
export function forFamilies(note: string): string {
  return note
    .replace(/（[^）]*(设置|填写|修改)[^）]*）/g, '')
    .split(/[；;]/)
    .map((s) =>
      s
        .split('，')
        .filter((part) => !/请按|填写|修改|设置/.test(part))
        .join('，'),
    )
    .filter(Boolean)
    .join('；');
}

/** The year's programmes for a stage, from the catalogue: name, standard for the stage, who may apply. */
function policies(ctx: CoreContext, year: SchoolYear, stages: Stage[]): { stage: Stage; rows: [string, string, string][] }[] {
  const catalogue = ensureCatalogue(ctx, year);
  return stages.map((stage) => ({
    stage,
    rows: catalogue
      .filter((p) => p.stages.includes(stage))
      .map((p) => {
        const amounts = p.tiers
          .map((t) => t.amounts[stage])
          .filter((a): a is number => a !== undefined && a !== null && a > 0)
          .map((a) => formatYuan(a));
        const standard =
          p.kind === 'meals'
            ? '每个上学日供餐'
            : p.kind === 'waiver'
              ? '免收（不发放现金）'
              : p.kind === 'inKind'
                ? '免费发放'
                : amounts.length
                  ? `每学期 ${amounts.join(' / ')}`
                  : '按县里标准';
        return [p.name, standard, forFamilies(p.note)] as [string, string, string];
      }),
  }));
}

function policyItems(p: { stage: Stage; rows: [string, string, string][] }): FlowItem[] {
  if (p.rows.length === 0) return [];
  return [
    { kind: 'text', text: STAGE_TEXT[p.stage], bold: true, fontPt: 12, after: 1 },
    { kind: 'table', shares: [28, 22, 50], head: ['资助项目', '标准', '说明'], rows: p.rows },
  ];
}

function phoneLine(texts: NoticeTexts): string {
  return texts.complaintPhone ? `学校资助咨询和监督电话：${texts.complaintPhone}。` : '';
}

const heading = (text: string): FlowItem => ({ kind: 'text', text, fontPt: 17, bold: true, align: 'center', after: 4 });
const warning = (prefix = ''): FlowItem => ({ kind: 'text', text: `${prefix}${ANTI_FRAUD}`, bold: true, boxed: true, fontPt: 11.5 });
const para = (text: string): FlowItem => ({ kind: 'text', text: `\u3000\u3000${text}` });

/** 致家长的一封信: the school's stages and their programmes; not personal, printed as many times as needed. */
export async function printLetter(ctx: CoreContext, term: Term): Promise<PrintDocument> {
  const school = await requireSchool(ctx);
  const year = schoolYearOfTerm(term);
  const texts = noticeTexts(ctx, year);
  const items: FlowItem[] = [
    heading('学生资助政策致家长的一封信'),
    para(texts.letterIntro),
    ...policies(ctx, year, school.stages).flatMap(policyItems),
    para(texts.letterClosing),
    ...(texts.complaintPhone ? [para(phoneLine(texts))] : []),
    warning('特别提醒：'),
    { kind: 'text', text: school.name, align: 'right', after: 0 },
    { kind: 'text', text: chineseDate(today(ctx)), align: 'right' },
  ];
  return flowDocument(`${termText(term)}学生资助政策致家长的一封信`, items);
}

interface Pupil {
  id: number;
  name: string;
  className: string;
  stage: Stage | null;
}

function pupils(ctx: CoreContext, classId: number | null): Pupil[] {
  let q = ctx.store.db
    .selectFrom('student as s')
    .innerJoin('school_class as c', 'c.id', 's.class_id')
    .select(['s.id', 's.name', 'c.name as class_name', 'c.stage'])
    .where('s.status', '=', 'enrolled')
    .orderBy('c.grade_order')
    .orderBy('c.number')
    .orderBy('c.id')
    .orderBy('s.id');
  if (classId !== null) q = q.where('c.id', '=', classId);
  return all(ctx, q).map((r) => ({ id: r.id, name: r.name, className: r.class_name, stage: r.stage }));
}

/** 资助政策明白卡: one page per student, the policies of the student's stage. */
export async function printCards(ctx: CoreContext, term: Term, classId: number | null): Promise<PrintDocument> {
  const school = await requireSchool(ctx);
  const year = schoolYearOfTerm(term);
  const texts = noticeTexts(ctx, year);
  const list = pupils(ctx, classId);
  if (list.length === 0) throw new AppError('notice-empty', '没有在校学生，无法打印明白卡');
  const byStage = new Map(
    policies(ctx, year, [...new Set(list.map((p) => p.stage).filter((s): s is Stage => s !== null))]).map((p) => [p.stage, p]),
  );
  const items: FlowItem[] = list.flatMap((p, i): FlowItem[] => [
    ...(i ? [{ kind: 'pageBreak' } as const] : []),
    heading('学生资助政策明白卡'),
    { kind: 'text', text: `学生：${p.name}\u3000\u3000班级：${p.className}\u3000\u3000学校：${school.name}` },
    ...(p.stage ? policyItems(byStage.get(p.stage)!) : []),
    para(texts.letterClosing),
    ...(texts.complaintPhone ? [para(phoneLine(texts))] : []),
    warning(),
  ]);
  return flowDocument(`${termText(term)}资助政策明白卡${classId === null ? '' : `（${list[0]!.className}）`}`, items);
}

/**
 * 资助告知书 after payment: one page per student paid in the term, naming only the programme, amount, date, channel
 * and the last 4 digits of the account. No ID number, phone or address: a class batch goes through many hands.
 */
export async function printPaymentNotices(ctx: CoreContext, term: Term, classId: number | null): Promise<PrintDocument> {
  const school = await requireSchool(ctx);
  const texts = noticeTexts(ctx, schoolYearOfTerm(term));
  let q = ctx.store.db
    .selectFrom('payment as pay')
    .innerJoin('application as a', 'a.id', 'pay.application_id')
    .innerJoin('programme as g', 'g.id', 'a.programme_id')
    .innerJoin('student as s', 's.id', 'a.student_id')
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .select([
      's.id',
      's.name',
      'c.name as class_name',
      'g.name as programme',
      'pay.amount_fen',
      'pay.paid_on',
      'pay.channel',
      'pay.account',
    ])
    .where('a.term', '=', term)
    .where('pay.outcome', '=', 'paid')
    .orderBy('c.grade_order')
    .orderBy('c.number')
    .orderBy('s.id')
    .orderBy('g.id');
  if (classId !== null) q = q.where('c.id', '=', classId);
  const rows = all(ctx, q);
  if (rows.length === 0)
    throw new AppError('notice-empty', `${termText(term)}${classId === null ? '' : '这个班'}还没有发放成功的记录，无法打印告知书`);
  const byStudent = new Map<number, typeof rows>();
  for (const r of rows) byStudent.set(r.id, [...(byStudent.get(r.id) ?? []), r]);
  const items: FlowItem[] = [...byStudent.values()].flatMap((list, i): FlowItem[] => {
    const first = list[0]!;
    return [
      ...(i ? [{ kind: 'pageBreak' } as const] : []),
      heading('学生资助告知书'),
      { kind: 'text', text: `${first.name}同学家长：` },
      para(`您的孩子（${first.class_name ?? ''}）${termText(term)}享受的学生资助如下，请注意查收：`),
      {
        kind: 'table',
        shares: [34, 18, 18, 30],
        head: ['资助项目', '金额', '发放日期', '发放方式'],
        rows: list.map((r) => [
          r.programme,
          formatYuan(r.amount_fen),
          r.paid_on,
          r.channel === 'waiver' ? '减免' : `${CHANNEL_TEXT[r.channel]}${r.account ? `（尾号 ${r.account.slice(-4)}）` : ''}`,
        ]),
      },
      para(`如对资助有疑问，请与学校联系。${phoneLine(texts)}`),
      warning(),
      { kind: 'text', text: school.name, align: 'right', after: 0 },
      { kind: 'text', text: chineseDate(today(ctx)), align: 'right' },
    ];
  });
  return flowDocument(`${termText(term)}学生资助告知书`, items);
}

/**
 * To graduating classes, one page per student: 九年级 the senior-high and vocational policies (from the catalogue),
 * 高三 the school's text on 生源地信用助学贷款 and 大学新生入学资助.
 */
export async function printGraduates(ctx: CoreContext, term: Term, classId: number | null): Promise<PrintDocument> {
  const school = await requireSchool(ctx);
  const year = schoolYearOfTerm(term);
  const texts = noticeTexts(ctx, year);
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('student as s')
      .innerJoin('school_class as c', 'c.id', 's.class_id')
      .select(['s.name', 'c.name as class_name', 'c.grade'])
      .where('s.status', '=', 'enrolled')
      .where('c.grade', 'in', ['九年级', '初三', '高三'])
      .$if(classId !== null, (q) => q.where('c.id', '=', classId!))
      .orderBy('c.grade_order')
      .orderBy('c.id')
      .orderBy('s.id'),
  );
  if (rows.length === 0) throw new AppError('notice-empty', '没有初三（九年级）或高三的在校学生');
  const next = policies(ctx, year, ['senior', 'vocational']);
  const items: FlowItem[] = rows.flatMap((r, i): FlowItem[] => [
    ...(i ? [{ kind: 'pageBreak' } as const] : []),
    heading(r.grade === '高三' ? '致高三毕业生家长：上大学的资助政策' : '致初三毕业生家长：上高中、中职的资助政策'),
    { kind: 'text', text: `学生：${r.name}\u3000\u3000班级：${r.class_name}\u3000\u3000学校：${school.name}` },
    ...(r.grade === '高三' ? [para(texts.seniorGraduates)] : next.flatMap(policyItems)),
    ...(texts.complaintPhone ? [para(phoneLine(texts))] : []),
    warning(),
  ]);
  return flowDocument(`${termText(term)}毕业年级资助政策告知`, items);
}

/** 证明材料: the list of documents families bring, one page per class. */
export async function printChecklist(ctx: CoreContext, term: Term, classId: number | null): Promise<PrintDocument> {
  const school = await requireSchool(ctx);
  const texts = noticeTexts(ctx, schoolYearOfTerm(term));
  const classes = [...new Set(pupils(ctx, classId).map((p) => p.className))];
  if (classes.length === 0) throw new AppError('notice-empty', '没有在校学生的班级');
  const items: FlowItem[] = classes.flatMap((c, i): FlowItem[] => [
    ...(i ? [{ kind: 'pageBreak' } as const] : []),
    heading('家庭经济困难学生认定需提供的材料'),
    { kind: 'text', text: `${school.name}\u3000${c}\u3000${termText(term)}` },
    ...texts.checklist.map((item, k): FlowItem => ({ kind: 'text', text: `${k + 1}. ${item}`, after: 0.5 })),
    para(`材料交班主任，复印件即可，原件核对后当场退还。没有的材料如实说明，不影响申请。${phoneLine(texts)}`),
    warning(),
  ]);
  return flowDocument(`${termText(term)}认定证明材料清单`, items);
}

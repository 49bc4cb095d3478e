/**
 * 本学期工作台: where the term stands, read from the data — the year's identification and, per programme in
 * use, its steps (申请, 名额, 公示, 审核, 上报, 发放, 签领, 归档) with the figure behind each and the next action
 * as a link that opens the right page on the right programme and term — plus the open findings and the
 * term's calendar. It reads the other areas and writes only the calendar (a setting).
 */
import { openDualEnrolments } from '../students/dual-enrolment';
import type { BoardLink, BoardStep, ProgrammeBoard, StepState, TermBoard } from '../../../shared/api/board';
import type { ApplicationStatus, Finding } from '../../../shared/domain/application';
import type { Programme } from '../../../shared/domain/programme';
import type { Term } from '../../../shared/domain/school';
import { AppError } from '../../../shared/errors';
import { isRealIsoDate } from '../../../shared/rules/dates';
import { calendarState, defaultTermCalendar, type TermCalendarItem } from '../../../shared/rules/term-calendar';
import { schoolYearOfTerm, termText } from '../../../shared/rules/term';
import { workingDaysBetween, nextDay } from '../../../shared/rules/working-days';
import { listDefinitions, listItems, overview } from '../archive/archive';
import { today, type CoreContext } from '../context';
import { all, first } from '../db/query';
import { paymentLines } from '../payments/payments';
import { programmeLedger } from '../funds/funds';
import { mealTerm } from '../meals/meals';
import { listInKind } from '../inkind/inkind';
import { twoLessons } from '../education/education';
import { formatYuan } from '../../../shared/rules/money';
import { ensureCatalogue, loadQuota } from '../programmes/catalogue';
import { shownFindings } from '../programmes/checks';
import { loadCalendar } from '../publicity/calendar';
import { requireSchool } from '../school/school';
import { readSetting, writeSetting } from '../settings';

const calendarKey = (term: Term) => `board.calendar.${term}`;

export function termCalendar(ctx: CoreContext, term: Term): TermBoard['calendar'] {
  const items = readSetting<TermCalendarItem[]>(ctx, calendarKey(term)) ?? defaultTermCalendar(term);
  const day = today(ctx);
  return [...items].sort((a, b) => a.startsOn.localeCompare(b.startsOn)).map((i) => ({ ...i, state: calendarState(i, day) }));
}

export function saveTermCalendar(ctx: CoreContext, term: Term, items: TermCalendarItem[]): TermBoard['calendar'] {
  for (const i of items) {
    if (!isRealIsoDate(i.startsOn) || !isRealIsoDate(i.endsOn)) throw new AppError('validation', `“${i.label}”的日期不存在`);
    if (i.endsOn < i.startsOn) throw new AppError('validation', `“${i.label}”的结束日期早于开始日期`);
  }
  writeSetting(ctx, calendarKey(term), items);
  return termCalendar(ctx, term);
}

/** A publicity's standing in words, counted on the holiday calendar from the core's today. */
function publicityText(ctx: CoreContext, p: { status: 'open' | 'closed'; ends_on: string; closed_on: string | null } | undefined): string {
  if (!p) return '未公示';
  if (p.status === 'closed') return `已结束（${p.closed_on}）`;
  const day = today(ctx);
  if (day > p.ends_on) return `公示期已满（${p.ends_on}），可以结束公示`;
  const left = workingDaysBetween(nextDay(day), p.ends_on, loadCalendar(ctx));
  return left > 0 ? `公示中，还有 ${left} 个工作日（至 ${p.ends_on}）` : `公示中，今天是最后一个工作日`;
}

const step = (key: BoardStep['key'], label: string, state: StepState, progress: string, link: BoardLink | null): BoardStep => ({
  key,
  label,
  state,
  progress,
  link,
});

export async function termBoard(ctx: CoreContext, wanted?: Term, schoolId: number | null = null): Promise<TermBoard> {
  const school = await requireSchool(ctx);
  const term = wanted ?? school.term;
  const year = schoolYearOfTerm(term);
  const db = ctx.store.db;
  const count = (q: { n: number } | undefined) => q?.n ?? 0;
  // One school of the desk: only its students count (publicity, calendar, meals and funds stay the desk's).
  const ofSchool = new Set(
    schoolId === null ? [] : (ctx.store.sqlite.prepare(`SELECT id FROM student WHERE school_id = ?`).pluck().all(schoolId) as number[]),
  );
  const mine = (studentId: number | null) => schoolId === null || studentId === null || ofSchool.has(studentId);

  // The year's identification.
  const enrolled = count(
    first(
      ctx,
      db
        .selectFrom('student')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'enrolled')
        .$if(schoolId !== null, (q) => q.where('school_id', '=', schoolId!)),
    ),
  );
  const surveys = all(
    ctx,
    db
      .selectFrom('family_survey as f')
      .innerJoin('student as s', 's.id', 'f.student_id')
      .select('f.status')
      .where('f.school_year', '=', year)
      .where('s.status', '=', 'enrolled')
      .$if(schoolId !== null, (q) => q.where('s.school_id', '=', schoolId!)),
  );
  const surveyed = surveys.filter((x) => x.status === 'complete').length;
  const drafts = surveys.length - surveyed;
  const cases = all(
    ctx,
    db
      .selectFrom('identification as i')
      .innerJoin('student as s', 's.id', 'i.student_id')
      .select(['i.level', 'i.status'])
      .where('i.school_year', '=', year)
      .where('i.status', 'in', ['open', 'decided'])
      .where('s.status', '=', 'enrolled')
      .$if(schoolId !== null, (q) => q.where('s.school_id', '=', schoolId!)),
  );
  const decidedRows = cases.filter((c) => c.status === 'decided');
  const waiting = cases.length - decidedRows.length;
  const identified = decidedRows.filter((r) => r.level && r.level !== 'none').length;
  const idPublicity = first(
    ctx,
    db
      .selectFrom('publicity')
      .select(['status', 'ends_on', 'closed_on'])
      .where('kind', '=', 'identification')
      .where('subject', '=', year)
      .where('level', '=', 'school')
      .orderBy('id', 'desc')
      .limit(1),
  );
  const archive = overview(ctx, term, schoolId);
  const termItems = listItems(ctx, term, { schoolId });
  // With several schools, a term item is done when every school's is.
  const notices = termItems.filter((i) => i.scope === 'term' && /宣传/.test(i.name));
  const notice = notices.length
    ? {
        status: notices.every((i) => i.status === 'complete')
          ? 'complete'
          : notices.some((i) => i.status !== 'missing')
            ? 'partial'
            : 'missing',
      }
    : undefined;
  const surveysLink: BoardLink = { label: '打开家庭调查与认定', page: 'surveys', tab: 'cases' };
  const idSteps: BoardStep[] = [
    step(
      'notice',
      '告知',
      notice?.status === 'complete' ? 'done' : 'todo',
      notice
        ? `宣传材料与照片：${notice.status === 'complete' ? '齐全' : notice.status === 'partial' ? '部分' : '缺'}`
        : '档案目录中没有宣传材料一项',
      { label: '登记宣传材料与照片', page: 'archive', term, tab: 'term' },
    ),
    lessonsStep(ctx, term),
    step(
      'survey',
      '申请与调查',
      surveys.length === 0 ? 'todo' : drafts > 0 ? 'doing' : 'done',
      surveys.length === 0 ? '还没有调查表' : `已交调查表 ${surveyed} 份${drafts ? `，未填完 ${drafts} 份` : ''}`,
      { ...surveysLink, label: drafts ? '补全调查表' : '收集调查表' },
    ),
    step(
      'identify',
      '认定',
      cases.length === 0 ? 'todo' : waiting > 0 ? 'doing' : 'done',
      cases.length === 0 ? '还没有认定' : `已认定 ${decidedRows.length}/${cases.length}（困难 ${identified} 人）`,
      { ...surveysLink, label: '评议与认定' },
    ),
    step(
      'publicity',
      '认定结果公示',
      idPublicity?.status === 'closed' ? 'done' : idPublicity ? 'doing' : decidedRows.length ? 'todo' : 'waiting',
      publicityText(ctx, idPublicity),
      { label: '打开公示', page: 'publicity' },
    ),
  ];

  // Each programme of the term.
  const catalogue = ensureCatalogue(ctx, year);
  // The checks page's findings when nothing was written since it read them (and the other way round).
  const findings = shownFindings(ctx, term, null, schoolId).filter((f) => !f.acknowledged);
  const counts = new Map<number, Partial<Record<ApplicationStatus, number>> & { allocated: number; funded: number; total: number }>();
  for (const r of all(
    ctx,
    db.selectFrom('application').select(['programme_id', 'status', 'funded', 'student_id']).where('term', '=', term),
  )) {
    if (!mine(r.student_id)) continue;
    const c = counts.get(r.programme_id) ?? { allocated: 0, funded: 0, total: 0 };
    c[r.status] = (c[r.status] ?? 0) + 1;
    c.total++;
    if (r.funded !== null) c.allocated++;
    // Funded and still alive: the applications that are to be approved, reported and paid.
    if (r.funded === 1 && !['withdrawn', 'rejected', 'returned', 'draft'].includes(r.status)) c.funded++;
    counts.set(r.programme_id, c);
  }
  const boards: ProgrammeBoard[] = [];
  const notStarted: TermBoard['notStarted'] = [];
  const definitions = listDefinitions(ctx);
  for (const p of catalogue.filter((x) => x.stages.some((s) => school.stages.includes(s)))) {
    if (p.kind === 'meals') {
      boards.push(mealsBoard(ctx, p, term, schoolId));
      continue;
    }
    if (p.kind === 'inKind') {
      // Counted first: the page's list also counts who qualifies, which reads every student.
      const any = first(
        ctx,
        db.selectFrom('in_kind_distribution').select('id').where('programme_id', '=', p.id).where('term', '=', term).limit(1),
      );
      if (!any) notStarted.push({ programmeId: p.id, code: p.code, name: p.name });
      else boards.push(inKindBoard(p, term, listInKind(ctx, p.id, term), definitions, termItems));
      continue;
    }
    const c = counts.get(p.id);
    const quota = loadQuota(ctx, p.id, term);
    if (!c && !quota) {
      notStarted.push({ programmeId: p.id, code: p.code, name: p.name });
      continue;
    }
    boards.push(
      programmeBoard(
        ctx,
        p,
        term,
        c ?? { allocated: 0, funded: 0, total: 0 },
        quota !== null,
        findings,
        archive,
        definitions,
        termItems,
        schoolId,
      ),
    );
  }
  const blocking = findings.filter((f) => f.severity === 'blocking');
  return {
    term,
    schoolYear: year,
    today: today(ctx),
    identification: {
      enrolled,
      surveyed,
      decided: decidedRows.length,
      identified,
      publicity: publicityText(ctx, idPublicity),
      steps: idSteps,
      next: idSteps.find((s) => s.state !== 'done')?.link ?? null,
    },
    programmes: boards,
    notStarted,
    findings: {
      blocking: blocking.length,
      warning: findings.length - blocking.length,
      first: blocking.slice(0, 5).map((f) => ({ programme: f.programme, student: f.student, message: f.message })),
    },
    dualEnrolments: openDualEnrolments(ctx),
    calendar: termCalendar(ctx, term),
    summary: { label: `${termText(term)}统计与工作总结`, page: 'stats', term },
  };
}

/** 两节课: every class a policy lesson and a 资助育人 lesson this term. */
function lessonsStep(ctx: CoreContext, term: Term): BoardStep {
  const t = twoLessons(ctx, term);
  const total = t.classes.length;
  const missing = t.classes.filter((c) => !(c.policyLesson && c.education)).map((c) => c.className);
  return step(
    'lessons',
    '两节课',
    total > 0 && t.done === total ? 'done' : t.done > 0 ? 'doing' : 'todo',
    total === 0
      ? '还没有班级'
      : `已上 ${t.done}/${total} 个班${missing.length ? `（未上：${missing.slice(0, 3).join('、')}${missing.length > 3 ? ` 等 ${missing.length} 个班` : ''}）` : ''}`,
    { label: '登记资助育人活动', page: 'education', term },
  );
}

/** 资金: whether the money received covers what the programme paid and owes (资金台账). */
function fundsStep(ctx: CoreContext, p: Programme, term: Term, due: boolean): BoardStep {
  const l = programmeLedger(ctx, p.id, term);
  const link: BoardLink = { label: '登记资金文件和到账', page: 'funds', term, programmeCode: p.code, programmeId: p.id };
  if (l.allocated === 0 && l.available === 0) return step('funds', '资金', due ? 'todo' : 'waiting', '还没有登记资金文件和到账', link);
  return step(
    'funds',
    '资金',
    l.free >= 0 ? 'done' : 'todo',
    `到账 ${formatYuan(l.available)}，结余 ${formatYuan(l.balance)}${l.free < 0 ? `，发放已通过的学生还差 ${formatYuan(-l.free)}` : ''}`,
    { ...link, label: l.free < 0 ? '登记资金到账' : '查看资金台账' },
  );
}

/** 营养餐: a daily programme, no applications: the meals served so far this term, and the money. */
function mealsBoard(ctx: CoreContext, p: Programme, term: Term, schoolId: number | null): ProgrammeBoard {
  const t = mealTerm(ctx, term, schoolId);
  const now = today(ctx);
  const served = step(
    'meals',
    '供餐登记',
    now > t.period.endsOn ? 'done' : now >= t.period.startsOn ? 'doing' : 'waiting',
    `已供餐 ${t.servingDays} 天，${t.personDays} 人天，${formatYuan(t.amount)}${t.excluded.length ? `（不就餐 ${t.excluded.length} 人）` : ''}`,
    { label: '登记供餐', page: 'meals', term },
  );
  const steps = [served, fundsStep(ctx, p, term, t.amount > 0)];
  return {
    programmeId: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind,
    steps,
    next: steps.find((s) => s.state !== 'done' && s.state !== 'waiting')?.link ?? null,
    findings: { blocking: 0, warning: 0 },
  };
}

/** 实物: given by class and signed for; the signed roster in the archive completes it. */
function inKindBoard(
  p: Programme,
  term: Term,
  given: ReturnType<typeof listInKind>,
  definitions: ReturnType<typeof listDefinitions>,
  termItems: ReturnType<typeof listItems>,
): ProgrammeBoard {
  const link = (label: string, page: BoardLink['page']): BoardLink => ({ label, page, term, programmeCode: p.code, programmeId: p.id });
  const rosterDef = definitions.find((d) => d.scope === 'programme' && d.producedBy === 'signatureRoster');
  // Each school's signed roster: done when every school's is (a school without recipients has no item).
  const rosters = rosterDef ? termItems.filter((i) => i.definitionId === rosterDef.id && i.programmeId === p.id) : [];
  const roster = rosters.length
    ? {
        status: rosters.every((i) => i.status === 'complete') ? 'complete' : 'partial',
        attachments: rosters.flatMap((i) => i.attachments),
      }
    : undefined;
  const steps = [
    step(
      'give',
      '登记发放',
      given.count >= given.eligible ? 'done' : 'doing',
      `已发放 ${given.count}/${given.eligible} 人，价值 ${formatYuan(given.value)}`,
      link('登记发放', 'payments'),
    ),
    step(
      'sign',
      '签领表',
      roster?.status === 'complete' ? 'done' : roster?.attachments.length ? 'doing' : 'todo',
      roster?.status === 'complete' ? '签字的签领表已归档' : '打印签领表，收回签字后上传扫描件或勾选齐全',
      link('打印签领表', 'payments'),
    ),
  ];
  return {
    programmeId: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind,
    steps,
    next: steps.find((s) => s.state !== 'done' && s.state !== 'waiting')?.link ?? null,
    findings: { blocking: 0, warning: 0 },
  };
}

function programmeBoard(
  ctx: CoreContext,
  p: Programme,
  term: Term,
  c: Partial<Record<ApplicationStatus, number>> & { allocated: number; funded: number; total: number },
  hasQuota: boolean,
  findings: readonly Finding[],
  archive: ReturnType<typeof overview>,
  definitions: ReturnType<typeof listDefinitions>,
  termItems: ReturnType<typeof listItems>,
  schoolId: number | null,
): ProgrammeBoard {
  const n = (...s: ApplicationStatus[]) => s.reduce((sum, k) => sum + (c[k] ?? 0), 0);
  const go = (label: string, page: BoardLink['page'], tab?: string): BoardLink => ({
    label,
    page,
    term,
    programmeCode: p.code,
    programmeId: p.id,
    ...(tab ? { tab } : {}),
  });
  const live = n('applied', 'classReview', 'schoolReview', 'publicity', 'approved', 'submitted', 'paid', 'archived');
  const approvedOrLater = n('approved', 'submitted', 'paid', 'archived');
  const reportedOrLater = n('submitted', 'paid', 'archived');
  const drafts = n('draft', 'returned');
  const publicity = first(
    ctx,
    ctx.store.db
      .selectFrom('publicity')
      .select(['status', 'ends_on', 'closed_on'])
      .where('kind', '=', 'programme')
      .where('subject', '=', `programme:${p.code}:${term}`)
      .where('level', '=', 'school')
      .orderBy('id', 'desc')
      .limit(1),
  );
  const steps: BoardStep[] = [
    step(
      'apply',
      '申请',
      c.total === 0 ? 'todo' : drafts > 0 ? 'doing' : 'done',
      c.total === 0 ? '还没有申请' : `申请 ${live} 份${drafts ? `，草稿或退回 ${drafts} 份` : ''}`,
      go(c.total === 0 ? '建立申请' : '提交申请', 'programmes', 'applications'),
    ),
    step(
      'quota',
      '名额',
      !hasQuota ? 'todo' : c.allocated > 0 ? 'done' : 'doing',
      !hasQuota ? '未填名额' : c.allocated > 0 ? `已分配 ${c.allocated} 份` : '已填名额，尚未分配',
      go(hasQuota ? '分配名额' : '填写名额', 'programmes', hasQuota ? 'applications' : 'quota'),
    ),
    step(
      'publicity',
      '受助名单公示',
      publicity?.status === 'closed' ? 'done' : publicity ? 'doing' : c.allocated > 0 ? 'todo' : 'waiting',
      publicityText(ctx, publicity),
      publicity ? { label: '打开公示', page: 'publicity' } : go('公示受助名单', 'programmes', 'applications'),
    ),
    step(
      'approve',
      '审核通过',
      c.funded > 0 && approvedOrLater >= c.funded ? 'done' : approvedOrLater ? 'doing' : publicity ? 'todo' : 'waiting',
      `已通过 ${approvedOrLater}/${c.funded}`,
      go('审核通过', 'programmes', 'applications'),
    ),
    step(
      'report',
      '上报',
      approvedOrLater > 0 && reportedOrLater === approvedOrLater
        ? 'done'
        : reportedOrLater
          ? 'doing'
          : approvedOrLater
            ? 'todo'
            : 'waiting',
      `已上报 ${reportedOrLater}/${approvedOrLater}`,
      // 上报 means sending the county its template: the link opens the export on this programme.
      reportedOrLater < approvedOrLater ? go('填写县里的模板并上报', 'exports') : go('查看申请', 'programmes', 'applications'),
    ),
  ];
  if (p.kind === 'paid' || p.kind === 'waiver') {
    const pay = paymentLines(ctx, p.id, term, false, schoolId).summary;
    steps.push(
      step(
        'pay',
        p.kind === 'waiver' ? '减免登记' : '发放',
        pay.due.count > 0 && pay.paid.count === pay.due.count
          ? 'done'
          : pay.paid.count || pay.failed.count
            ? 'doing'
            : reportedOrLater
              ? 'todo'
              : 'waiting',
        `已发放 ${pay.paid.count}/${pay.due.count}${pay.failed.count ? `，${pay.failed.count} 笔发放失败待处理` : ''}`,
        go(pay.failed.count ? '处理发放失败' : p.kind === 'waiver' ? '登记减免' : '发放', 'payments'),
      ),
    );
    steps.push(fundsStep(ctx, p, term, approvedOrLater > 0));
  }
  const rosterDef = definitions.find((d) => d.scope === 'programme' && d.producedBy === 'signatureRoster');
  const roster = rosterDef && termItems.find((i) => i.definitionId === rosterDef.id && i.programmeId === p.id);
  if (p.kind === 'paid') {
    steps.push(
      step(
        'sign',
        '签领表',
        roster?.status === 'complete' ? 'done' : roster?.attachments.length ? 'doing' : approvedOrLater ? 'todo' : 'waiting',
        roster?.status === 'complete' ? '签字的签领表已归档' : '打印签领表，收回签字后上传扫描件或勾选齐全',
        go('打印签领表', 'programmes', 'applications'),
      ),
    );
  }
  // The programme's documents of every school shown, counted together.
  const files = archive.programmes
    .filter((x) => x.programmeId === p.id)
    .reduce<{ total: number; complete: number; requiredOpen: number } | undefined>(
      (sum, x) => ({
        total: (sum?.total ?? 0) + x.total,
        complete: (sum?.complete ?? 0) + x.complete,
        requiredOpen: (sum?.requiredOpen ?? 0) + x.requiredOpen,
      }),
      undefined,
    );
  steps.push(
    step(
      'archive',
      '归档',
      files && files.requiredOpen === 0 && files.total > 0 ? 'done' : files && files.complete > 0 ? 'doing' : 'todo',
      files ? (files.requiredOpen ? `档案缺 ${files.requiredOpen} 项必备材料` : `档案齐全 ${files.complete}/${files.total}`) : '还没有档案',
      { label: '整理项目档案', page: 'archive', term, programmeId: p.id, tab: 'programme' },
    ),
  );
  const mine = findings.filter((f) => f.programme === p.name);
  return {
    programmeId: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind,
    steps,
    next: steps.find((s) => s.state !== 'done' && s.state !== 'waiting')?.link ?? null,
    findings: {
      blocking: mine.filter((f) => f.severity === 'blocking').length,
      warning: mine.filter((f) => f.severity === 'warning').length,
    },
  };
}

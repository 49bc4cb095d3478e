/**
 * The checks a county inspector runs on a term's aid, run first by the school: 不多、不少、不错. Pure: the
 * core gathers the facts, this finds the problems; each finding names the student and what to do.
 */
import type { ApplicationStatus, Finding } from '../domain/application';
import { PRIORITY_GROUPS, type PriorityGroup } from '../domain/priority-group';
import { TIER_TEXT, type ProgrammeDefinition, type SchoolQuota, type TierNumber } from '../domain/programme';
import type { Stage } from '../domain/school';
import { ageOn } from './dates';
import { formatYuan, type Fen } from './money';
import { CARD_CHECK_DIGIT_TEXT, checkBankCard } from './bank-card';
import { fourCategories, ineligibility, unknownArea, type EligibilityFacts } from './eligibility';
import { tierCounts } from './tiers';

export interface CheckedApplication {
  id: number;
  studentId: number;
  /** The roster now. */
  name: string;
  idNumber: string | null;
  birthDate: string | null;
  className: string | null;
  stage: Stage | null;
  enrolled: boolean;
  boarding: boolean | null;
  bankCard: string | null;
  /** What the application was made with. */
  applicantName: string;
  applicantIdNumber: string | null;
  programmeCode: string;
  status: ApplicationStatus;
  tier: TierNumber | null;
  amount: Fen | null;
  /** The student's flags, each with whether a county list backs it. */
  flags: { group: PriorityGroup; listed: boolean }[];
  /** The school of the desk (中心校 or 校点) the student is in; absent on a one-school check. */
  schoolId?: number;
  schoolName?: string;
  /** The household the clerk linked the student into (同户), if any. */
  household?: number | null;
}

export interface CheckedProgramme extends ProgrammeDefinition {
  code: string;
  quota: {
    count: number;
    tierCounts: Partial<Record<TierNumber, number>> | null;
    budget: Fen | null;
    /** The quota divided among the desk's schools (名额分到校); absent or empty: the desk's places are shared. */
    schools?: SchoolQuota[];
  } | null;
}

/** Oldest usual age on 1 September of the school year; older recipients are 大龄 and worth a second look. */
export const USUAL_MAX_AGE: Record<Stage, number> = { preschool: 6, primary: 13, junior: 16, senior: 19, vocational: 21 };

export function runChecks(
  applications: CheckedApplication[],
  programmes: Map<string, CheckedProgramme>,
  schoolYearStart: string,
): Finding[] {
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], code: string, a: CheckedApplication | null, programme: CheckedProgramme, message: string) => {
    const finding: Finding = {
      severity,
      code,
      student: a?.name ?? null,
      studentId: a?.studentId ?? null,
      className: a?.className ?? null,
      applicationId: a?.id ?? null,
      programme: programme.name,
      message,
    };
    // Set after, not spread in: a conditional spread costs 30 times more, and a term can have tens of thousands of findings.
    if (code === 'bank-card-missing' || code === 'bank-card-format') finding.stage = 'report';
    findings.push(finding);
    return finding;
  };

  // Tier counts as the county fixed them, or as the proportions give for those funded; `where` names a school.
  const tierCheck = (
    p: CheckedProgramme,
    funded: CheckedApplication[],
    fixed: Partial<Record<TierNumber, number>> | null,
    where: { schoolId: number; name: string } | null,
  ) => {
    if (p.tiers.length <= 1 || funded.length === 0) return;
    const expected = fixed ? { 1: fixed[1] ?? 0, 2: fixed[2] ?? 0, 3: fixed[3] ?? 0 } : tierCounts(funded.length, p.tiers);
    const off = p.tiers
      .map((t) => ({ t: t.tier, want: expected[t.tier], got: funded.filter((a) => a.tier === t.tier).length }))
      .filter((x) => x.want !== x.got);
    if (!off.length) return;
    const finding = add(
      'warning',
      'tier-proportions',
      null,
      p,
      `${where?.name ?? ''}各档人数与比例不符（${off.map((x) => `${TIER_TEXT[x.t]}应 ${x.want} 人、实 ${x.got} 人`).join('；')}）：如因特殊群体全部列入一档，请在说明中注明`,
    );
    if (where) finding.schoolId = where.schoolId;
  };

  const byProgramme = new Map<string, CheckedApplication[]>();
  // A student's applications, listed only for those with more than one (the rest cannot combine): a county term
  // has 100,000 students with one each.
  const firstOf = new Map<number, CheckedApplication>();
  const several = new Map<number, CheckedApplication[]>();
  for (const a of applications) {
    const inProgramme = byProgramme.get(a.programmeCode);
    if (inProgramme) inProgramme.push(a);
    else byProgramme.set(a.programmeCode, [a]);
    const first = firstOf.get(a.studentId);
    const more = first && several.get(a.studentId);
    if (!first) firstOf.set(a.studentId, a);
    else if (more) more.push(a);
    else several.set(a.studentId, [first, a]);
  }

  // The groups whose flags need a county list, per programme (not per application: a term has tens of thousands).
  const relevantGroups = new Map([...programmes].map(([code, p]) => [code, new Set([...p.eligibility.groups, ...p.topTierGroups])]));
  for (const a of applications) {
    const p = programmes.get(a.programmeCode);
    if (!p) continue;
    if (!a.enrolled) add('blocking', 'not-enrolled', a, p, '学生已离校（转出、毕业或辍学），不能受助：请撤销该申请');
    if (a.applicantName !== a.name || (a.applicantIdNumber ?? '') !== (a.idNumber ?? '')) {
      add('blocking', 'name-id-mismatch', a, p, '申请时的姓名或身份证号与学籍名册现在的不一致：核对学籍后撤销并重新申请');
    }
    if (p.boarding === 'boarder' && a.boarding === false)
      add('blocking', 'boarding-mismatch', a, p, '走读生不能享受寄宿生补助标准：核实寄宿情况，或改报非寄宿生项目');
    if (p.boarding === 'day' && a.boarding === true)
      add('blocking', 'boarding-mismatch', a, p, '寄宿生不能享受非寄宿生补助：核实寄宿情况，或改报寄宿生项目');
    if (p.boarding !== 'any' && a.boarding === null)
      add('warning', 'boarding-unknown', a, p, '学籍名册中没有寄宿情况（就读方式）：请在学生名册中补填');
    const relevant = relevantGroups.get(a.programmeCode)!;
    const unlisted = a.flags.length ? a.flags.filter((f) => relevant.has(f.group) && !f.listed).map((f) => PRIORITY_GROUPS[f.group]) : [];
    if (unlisted.length)
      add('warning', 'flag-not-listed', a, p, `特殊群体“${[...new Set(unlisted)].join('、')}”没有县级名单佐证：请比对名单或查验证件`);
    if (a.stage && a.birthDate) {
      const age = ageOn(a.birthDate, schoolYearStart);
      if (age > USUAL_MAX_AGE[a.stage]) add('warning', 'over-age', a, p, `${age} 岁，超过该学段通常年龄（大龄学生）：请核实学籍和年龄`);
    }
    const amount = a.amount ?? 0;
    if (p.kind === 'paid' && a.tier !== null && amount <= 0)
      add('blocking', 'standard-missing', a, p, '该项目的资助标准（金额）还没有设置：请在资助项目中填写');
    if (p.kind === 'paid' && amount > 0) {
      const card = checkBankCard(a.bankCard);
      if (!card.ok && card.problem === 'empty')
        add('blocking', 'bank-card-missing', a, p, '没有银行卡号（社保卡号），无法发放：请收集后在学生名册中填写');
      else if (!card.ok) add('blocking', 'bank-card-format', a, p, `${card.message}：请核对`);
      else if (card.checkDigitWarning) add('warning', 'bank-card-luhn', a, p, CARD_CHECK_DIGIT_TEXT);
    }
  }

  for (const [code, list] of byProgramme) {
    const p = programmes.get(code);
    if (!p) continue;
    if (p.perHousehold) {
      // 按户发放: a household is paid once, whichever sibling holds the application.
      const byHousehold = new Map<number, CheckedApplication[]>();
      for (const a of list) if (a.household != null) byHousehold.set(a.household, [...(byHousehold.get(a.household) ?? []), a]);
      for (const same of byHousehold.values())
        if (same.length > 1)
          for (const a of same.slice(1))
            add('blocking', 'household-twice', a, p, `与同户的${same[0]!.name}都有申请：按户发放的项目每户只发一份，请撤销其中一份`);
    }
    // The same person: the same ID number; or, when one record has no ID number, the same name and birth
    // date. Two different ID numbers are two people, whatever their names.
    const byId = new Map<string, CheckedApplication>();
    const byNameBirth = new Map<string, CheckedApplication[]>();
    // Names and birth dates can only match when some record has no ID number: a county's list of 100,000, every
    // one with its number, builds no such keys (they took about 70 ms of the checks' 1.9 s).
    const someWithoutId = list.some((a) => !a.idNumber);
    for (const a of list) {
      const nb = someWithoutId && a.birthDate ? `${a.name}|${a.birthDate}` : null;
      const first =
        (a.idNumber ? byId.get(a.idNumber) : undefined) ?? (nb ? byNameBirth.get(nb)?.find((x) => !x.idNumber || !a.idNumber) : undefined);
      if (first) {
        if ((first.schoolId ?? 1) !== (a.schoolId ?? 1))
          // 跨校重复资助: the same child on the rolls of two schools of the desk, aided by both.
          add(
            'blocking',
            'cross-school-duplicate',
            a,
            p,
            `与${first.schoolName ?? ''}${first.className ?? ''}${first.name}是同一人，两所学校同一学期都在该项目中资助（跨校重复资助）：核实学籍后撤销其中一条`,
          );
        else
          add('blocking', 'duplicate', a, p, `与${first.className ?? ''}${first.name}是同一人，同一学期在该项目中出现两次：撤销其中一条`);
        continue;
      }
      if (a.idNumber) byId.set(a.idNumber, a);
      if (nb) {
        const same = byNameBirth.get(nb);
        if (same) same.push(a);
        else byNameBirth.set(nb, [a]);
      }
    }
    const funded = list.filter((a) => a.tier !== null);
    if (p.quota && funded.length > p.quota.count) {
      add('blocking', 'over-quota', null, p, `受助 ${funded.length} 人，超过名额 ${p.quota.count} 人：请重新分配名额或撤销多出的申请`);
    }
    const total = funded.reduce((s, a) => s + (a.amount ?? 0), 0);
    if (p.quota?.budget != null && total > p.quota.budget) {
      add(
        'blocking',
        'over-budget',
        null,
        p,
        `资助金额合计 ${formatYuan(total)}，超过预算 ${formatYuan(p.quota.budget)}：请调整档次或人数`,
      );
    }
    const parts = p.quota?.schools?.length ? p.quota.schools : null;
    if (!parts) tierCheck(p, funded, p.quota?.tierCounts ?? null, null);
    else {
      // 名额分到校: each school within its own places and tiers (the desk's total is checked above).
      const bySchool = new Map<number, CheckedApplication[]>();
      for (const a of funded) {
        const same = bySchool.get(a.schoolId ?? 1);
        if (same) same.push(a);
        else bySchool.set(a.schoolId ?? 1, [a]);
      }
      for (const [schoolId, got] of bySchool) {
        const part = parts.find((x) => x.schoolId === schoolId);
        const name = got[0]!.schoolName ?? '';
        if (got.length > (part?.count ?? 0))
          add(
            'blocking',
            'over-quota',
            null,
            p,
            part
              ? `${name}受助 ${got.length} 人，超过分到该校的名额 ${part.count} 人：请重新分配名额或撤销多出的申请`
              : `${name}没有分到名额，却有 ${got.length} 人受助：请在“名额”中为该校分配名额，或撤销这些申请`,
          ).schoolId = schoolId;
        tierCheck(p, got, part?.tierCounts ?? null, { schoolId, name });
      }
    }
  }

  for (const studentId of firstOf.keys()) {
    const list = several.get(studentId);
    if (!list) continue;
    const codes = [...new Set(list.map((a) => a.programmeCode))].sort();
    for (let i = 0; i < codes.length; i++) {
      for (let j = i + 1; j < codes.length; j++) {
        const a = programmes.get(codes[i]!);
        const b = programmes.get(codes[j]!);
        if (!a || !b || !(a.exclusive.includes(codes[j]!) || b.exclusive.includes(codes[i]!))) continue;
        const app = list.find((x) => x.programmeCode === codes[j])!;
        add('blocking', 'exclusive', app, b, `同一学期已享受“${a.name}”，两者不能兼得：撤销其中一项`);
      }
    }
  }
  return findings;
}

/** A student as the "nobody missed" check sees them. */
export interface CheckedStudent extends EligibilityFacts {
  studentId: number;
  name: string;
  className: string | null;
}

/**
 * 应助尽助 / 一个不能少: every enrolled student eligible for a programme in use has an application, or a
 * finding names them and why — no application yet, or left unfunded when the quota ran out. 低保/特困 flags
 * whose 城市/农村 is not known are named too: they cannot count for the 四类 until the clerk says which.
 * `applications` holds every application of the term (any status): one of any status counts as "applied".
 */
export function nobodyMissed(
  students: CheckedStudent[],
  programmes: (CheckedProgramme & { id: number })[],
  applications: { studentId: number; programmeCode: string; status: ApplicationStatus; funded: boolean | null; id: number }[],
): Finding[] {
  const findings: Finding[] = [];
  const byProgramme = new Map<string, Map<number, (typeof applications)[number]>>();
  for (const a of applications) {
    const of = byProgramme.get(a.programmeCode) ?? new Map<number, (typeof applications)[number]>();
    byProgramme.set(a.programmeCode, of);
    of.set(a.studentId, a);
  }
  const add = (code: string, s: CheckedStudent, p: CheckedProgramme, applicationId: number | null, message: string) =>
    findings.push({
      severity: 'warning',
      code,
      student: s.name,
      studentId: s.studentId,
      className: s.className,
      applicationId,
      programme: p.name,
      message,
    });
  // A student's 四类 once, whatever the number of programmes (a county check has a hundred thousand students).
  const fourOf = new Map<number, string[]>();
  const four = (s: CheckedStudent) => {
    let found = fourOf.get(s.studentId);
    if (!found) fourOf.set(s.studentId, (found = s.flags.length ? fourCategories(s) : []));
    return found;
  };
  for (const p of programmes) {
    const applied = byProgramme.get(p.code) ?? new Map<number, (typeof applications)[number]>();
    const withoutFour = p.eligibility.fourCategories ? { ...p, eligibility: { ...p.eligibility, fourCategories: false } } : p;
    for (const s of students) {
      if (!s.stage || !p.stages.includes(s.stage)) continue;
      const a = applied.get(s.studentId);
      if (p.eligibility.fourCategories && s.flags.length && four(s).length === 0) {
        const unknown = unknownArea(s);
        if (unknown.length && !a && ineligibility(withoutFour, s) !== null) {
          add(
            'area-unknown',
            s,
            p,
            null,
            `有${unknown.map((g) => PRIORITY_GROUPS[g]).join('、')}标记，但没有注明城市还是农村：农村的属于“四类”，请核对名单后在学生的特殊群体中注明`,
          );
        }
      }
      if (ineligibility(p, s) !== null) continue;
      const why = p.eligibility.fourCategories && four(s).length ? `属于“四类”（${four(s).join('、')}）` : '符合申请条件';
      if (!a) add('nobody-missed', s, p, null, `${why}，但本学期没有“${p.name}”的申请：请建立申请，或写明不申请的原因`);
      else if (a.funded === false && ['applied', 'classReview', 'schoolReview'].includes(a.status)) {
        add('unfunded-eligible', s, p, a.id, `${why}，但名额已满，未获资助：请向县里申请追加名额，或写明原因`);
      }
    }
  }
  return findings;
}

/**
 * The demo school's history, played through the contract like a clerk's year: last term complete (identified,
 * published, paid by the bank with one failure corrected and paid again, archived) and this term waiting for
 * 上报 (identified, applications reviewed, allocated, published, approved, every card present).
 *
 * Every step goes through the same messages, rules and single writers as the clerk's clicks. Only the day
 * differs: each step runs on a core whose clock is pinned to the day the step would have happened, so the
 * records carry believable dates and the time rules (publicity periods, back-dating) hold as they would.
 */
import ExcelJS from 'exceljs';
import type { ApiClient } from '../../../shared/api';
import type { Term } from '../../../shared/domain/school';
import { luhnValid } from '../../../shared/rules/bank-card';
import { seededRandom } from '../../../shared/rules/sample';
import { previousTerm, schoolYearOfTerm } from '../../../shared/rules/term';

/** A client whose core sees `date` as today. */
export type ClientOn = (date: string) => ApiClient;

/** A student the county's lists name. */
export interface DemoListed {
  id: number;
  group: 'povertyAlleviated' | 'monitored' | 'dibao' | 'extremePoverty';
}
type ListedPerson = { name: string; id_number: string; address: string; group: DemoListed['group'] };

const upload = async (fileName: string, wb: ExcelJS.Workbook) => ({
  fileName,
  dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64'),
});

/** The county's two lists, in the layouts the county sends (as the fixtures have them), imported and cross-checked. */
async function importLists(on: ClientOn, date: string, people: ListedPerson[]): Promise<void> {
  const poverty = new ExcelJS.Workbook();
  const p = poverty.addWorksheet('脱贫人口和监测对象');
  p.addRow(['青山县脱贫人口和防止返贫监测对象名单（教育比对用）']);
  p.addRow(['序号', '乡镇', '行政村', '户编号', '户主姓名', '成员姓名', '证件号码', '与户主关系', '人口类型']);
  const dibao = new ExcelJS.Workbook();
  const d = dibao.addWorksheet('低保特困');
  d.addRow(['区县', '乡镇', '姓名', '身份证号', '保障类型', '保障人口']);
  let n = 0;
  for (const x of people) {
    const township = /青山县(.+?[镇乡])/.exec(x.address)?.[1] ?? '青山镇';
    if (x.group === 'povertyAlleviated' || x.group === 'monitored')
      p.addRow([
        ++n,
        township,
        '',
        `433125${String(n).padStart(5, '0')}`,
        '',
        x.name,
        x.id_number,
        '子女',
        x.group === 'monitored' ? '监测对象' : '脱贫人口',
      ]);
    else d.addRow(['青山县', township, x.name, x.id_number, x.group === 'dibao' ? '农村低保' : '农村特困', 4]);
  }
  const c = on(date);
  for (const [file, kind] of [
    [await upload('青山县脱贫人口和监测对象名单.xlsx', poverty), 'poverty'],
    [await upload('青山县低保特困名单.xlsx', dibao), 'dibao'],
  ] as const) {
    const preview = await c.invoke('lists.preview', { upload: file, kind });
    await c.invoke('lists.import', { uploadId: preview.uploadId, kind, layout: preview.layout, listDate: date });
  }
  const cross = await c.invoke('crosscheck.run', {});
  if (cross.listedNotFlagged.length)
    await c.invoke('crosscheck.apply', { items: cross.listedNotFlagged.map((i) => ({ studentId: i.studentId, group: i.group })) });
}

const PROGRAMME = 'boarder-subsidy';
const PHONE = '0745-7654321';
const BANK = '青山县农村商业银行';

/** A card number banks would issue: 19 digits, check digit right. */
function cardNumber(rand: () => number): string {
  const body = `621779${Array.from({ length: 12 }, () => Math.floor(rand() * 10)).join('')}`;
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

/** The bank's result file, as the fixture's bank writes it: a title row, a header, one row per transfer. */
async function bankFile(rows: { account: string; name: string; yuan: number; ok: boolean; reason: string }[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('代发结果');
  ws.addRow([`${BANK}代发工资/补贴结果明细`]);
  ws.addRow(['序号', '账号', '户名', '金额', '处理结果', '失败原因']);
  rows.forEach((r, i) => ws.addRow([i + 1, r.account, r.name, r.yuan, r.ok ? '成功' : '失败', r.reason]));
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

/** Dates of a term's steps: spring terms pay in May, autumn terms in November (DOMAIN.md's rhythm). */
function calendar(term: Term) {
  const year = Number(term.slice(0, 4));
  return term.endsWith('spring')
    ? {
        identify: `${year}-03-09`,
        apply: `${year}-03-16`,
        publicity: `${year}-03-23`,
        close: `${year}-03-30`,
        approve: `${year}-03-31`,
        report: `${year}-04-01`,
        paid: `${year}-05-20`,
        repaid: `${year}-05-28`,
        archive: `${year}-06-20`,
      }
    : {
        identify: `${year}-09-14`,
        apply: `${year}-09-21`,
        publicity: `${year}-10-12`,
        close: `${year}-10-19`,
        approve: `${year}-10-20`,
        report: `${year}-10-21`,
        paid: `${year}-11-20`,
        repaid: `${year}-11-27`,
        archive: `${year}-12-20`,
      };
}

/** Identification of a school year from the county lists, and its publicity. */
async function identify(on: ClientOn, term: Term, dates: ReturnType<typeof calendar>): Promise<void> {
  const schoolYear = schoolYearOfTerm(term);
  await on(dates.identify).invoke('identification.direct', { schoolYear, decidedOn: dates.identify, decidedBy: '认定工作组' });
  const pub = await on(dates.identify).invoke('publicity.createIdentification', { schoolYear, complaintPhone: PHONE });
  const end = new Date(`${pub.endsOn}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  await on(end.toISOString().slice(0, 10)).invoke('publicity.close', { id: pub.id });
}

/** Applications of the boarders identified, reviewed, allocated, published and approved. Returns their ids. */
async function approve(on: ClientOn, term: Term, dates: ReturnType<typeof calendar>): Promise<{ programmeId: number; ids: number[] }> {
  const schoolYear = schoolYearOfTerm(term);
  const programme = (await on(dates.apply).invoke('programmes.list', { schoolYear })).find((p) => p.code === PROGRAMME)!;
  await on(dates.apply).invoke('applications.create', { programmeId: programme.id, term, from: 'identified' });
  const ids = (await on(dates.apply).invoke('applications.list', { programmeId: programme.id, term })).rows.map((a) => a.id);
  await on(dates.apply).invoke('quotas.save', { programmeId: programme.id, term, count: ids.length });
  for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const)
    await on(dates.apply).invoke('applications.transition', { ids, action, actor: '资助专干' });
  await on(dates.publicity).invoke('applications.allocate', { programmeId: programme.id, term });
  const pub = await on(dates.publicity).invoke('publicity.createProgramme', { programmeId: programme.id, term, complaintPhone: PHONE });
  await on(dates.close).invoke('publicity.close', { id: pub.id });
  await on(dates.approve).invoke('applications.transition', { ids, action: 'approve', actor: '资助专干' });
  return { programmeId: programme.id, ids };
}

/** Last term and this one. `today` is the real day: this term stops where its clerk would be now. */
export async function playDemoHistory(
  on: ClientOn,
  currentTerm: Term,
  today: string,
  listed: ListedPerson[],
): Promise<{ lastTerm: Term; paid: number }> {
  const rand = seededRandom(2026);
  const lastTerm = previousTerm(currentTerm);
  const last = calendar(lastTerm);
  const now = calendar(currentTerm);
  // Dates of this term that have not come yet move to today: the demo never records the future.
  for (const k of Object.keys(now) as (keyof typeof now)[]) if (now[k] > today) now[k] = today;

  await importLists(on, `${last.identify.slice(0, 4)}-03-01`, listed);
  await identify(on, lastTerm, last);
  // Every identified boarder has a card on file (the roster has none): the clerk entered them in bulk.
  const c = on(last.identify);
  const cases = await c.invoke('surveys.cases', { schoolYear: schoolYearOfTerm(lastTerm) });
  for (const s of cases.filter((x) => x.identification === 'decided'))
    await c.invoke('students.update', { id: s.studentId, fields: { bankCard: cardNumber(rand) } });

  // Last term: approved, reported, paid by the bank with one card refused, corrected and paid again, archived.
  const { programmeId, ids } = await approve(on, lastTerm, last);
  await on(last.report).invoke('applications.transition', { ids, action: 'report', actor: '资助专干' });
  const lines = (await on(last.report).invoke('payments.list', { programmeId, term: lastTerm, reveal: true })).lines;
  // The money came by two documents, central and provincial, and arrived in full before the bank paid.
  const due = lines.reduce((s, l) => s + l.amount, 0);
  const year = lastTerm.slice(0, 4);
  const documents = [
    { source: 'central' as const, documentNumber: `财教〔${year}〕21号`, amount: Math.round(due * 0.8) },
    { source: 'provincial' as const, documentNumber: `湘财教〔${year}〕35号`, amount: due - Math.round(due * 0.8) },
  ];
  for (const d of documents) {
    const a = await on(last.report).invoke('funds.addAllocation', { programmeId, term: lastTerm, documentDate: last.report, ...d });
    await on(last.paid).invoke('funds.receive', {
      allocationId: a.id,
      onDate: last.paid,
      amount: d.amount,
      account: '43050162880000008888',
    });
  }
  const failed = lines[Math.floor(lines.length / 2)]!;
  const first = await bankFile(
    lines.map((l) => ({
      account: l.card ?? '',
      name: l.name,
      yuan: l.amount / 100,
      ok: l !== failed,
      reason: l === failed ? '账号户名不符' : '',
    })),
  );
  await on(last.paid).invoke('payments.importBank', {
    upload: { fileName: `${BANK}代发结果-${lastTerm}.xlsx`, dataBase64: first },
    programmeId,
    term: lastTerm,
    paidOn: last.paid,
    dryRun: false,
    actor: '资助专干',
  });
  const corrected = cardNumber(rand);
  await on(last.repaid).invoke('students.update', { id: failed.studentId, fields: { bankCard: corrected } });
  const second = await bankFile([{ account: corrected, name: failed.name, yuan: failed.amount / 100, ok: true, reason: '' }]);
  await on(last.repaid).invoke('payments.importBank', {
    upload: { fileName: `${BANK}代发结果-${lastTerm}-补发.xlsx`, dataBase64: second },
    programmeId,
    term: lastTerm,
    paidOn: last.repaid,
    dryRun: false,
    actor: '资助专干',
  });
  const items = await on(last.archive).invoke('archive.items', { term: lastTerm });
  await on(last.archive).invoke('archive.set', {
    keys: items.map(({ definitionId, period, programmeId, studentId }) => ({ definitionId, period, programmeId, studentId })),
    status: 'complete',
    note: '演示数据：已归档（纸质材料在档案盒中）',
  });

  // This term: identified again for the new school year, approved, waiting for 上报.
  if (schoolYearOfTerm(currentTerm) !== schoolYearOfTerm(lastTerm)) await identify(on, currentTerm, now);
  await approve(on, currentTerm, now);
  const { summary } = await on(today).invoke('payments.list', { programmeId, term: lastTerm });
  return { lastTerm, paid: summary.paid.count };
}

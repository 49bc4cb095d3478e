/**
 * Bank cards in bulk: a sheet of cards (from families, a class teacher or the bank) previewed row by row
 * against the desk, then the chosen rows written in one transaction with the student's history. Like the
 * survey import: new cards and cards replacing an imported one are proposed; a card the clerk entered by
 * hand that the sheet would change is a conflict, written only when the clerk picks it. Rows that cannot be
 * matched for certain (no such student, two students of that name, a holder who is neither the student nor
 * the guardian, a number Excel cut) are listed, never guessed.
 */
import type { CardImportResult, CardPreview, CardPreviewRow } from '../../../shared/api/students';
import { tableOf } from '../uploads';
import { AppError } from '../../../shared/errors';
import { checkBankCard } from '../../../shared/rules/bank-card';
import { CARD_FIELD_TEXT, detectCardLayout, lostDigits, type CardField, type CardLayout } from '../../../shared/rules/card-sheet';
import { checkIdNumber } from '../../../shared/rules/id-number';
import { maskBankCard, maskedPair } from '../../../shared/rules/mask';
import { normalizeName, normalizeText } from '../../../shared/rules/text';
import { nowIso, type CoreContext, type Upload } from '../context';
import { all, run } from '../db/query';
import { cellText, type Cell } from '../import/read-table';
import { describeAccount } from './students';

interface Known {
  id: number;
  name: string;
  idNumber: string | null;
  studentNumber: string | null;
  className: string | null;
  grade: string | null;
  guardianName: string;
  card: string | null;
  holder: 'student' | 'guardian';
  holderName: string;
  bankName: string;
  proxyLetter: boolean;
  /** The card's last change was the clerk's own. */
  cardEdited: boolean;
}

function known(ctx: CoreContext): Known[] {
  const db = ctx.store.db;
  const edited = new Set(
    all(
      ctx,
      db
        .selectFrom('student_change')
        .select('student_id')
        .where('field', '=', 'bankCard')
        .where('source', '=', 'edit')
        .where('id', 'in', (sub) =>
          sub
            .selectFrom('student_change')
            .select((eb) => eb.fn.max('id').as('id'))
            .where('field', '=', 'bankCard')
            .groupBy('student_id'),
        ),
    ).map((r) => r.student_id),
  );
  return all(
    ctx,
    db
      .selectFrom('student as s')
      .leftJoin('school_class as c', 'c.id', 's.class_id')
      .select(['s.id', 's.name', 's.id_number', 's.student_number', 's.guardian_name', 's.bank_card', 's.account_holder'])
      .select(['s.account_holder_name', 's.bank_name', 's.proxy_letter', 'c.name as class_name', 'c.grade'])
      .where('s.status', '=', 'enrolled'),
  ).map((s) => ({
    id: s.id,
    name: s.name,
    idNumber: s.id_number,
    studentNumber: s.student_number,
    className: s.class_name,
    grade: s.grade,
    guardianName: s.guardian_name,
    card: s.bank_card,
    holder: s.account_holder,
    holderName: s.account_holder_name,
    bankName: s.bank_name,
    proxyLetter: s.proxy_letter === 1,
    cardEdited: edited.has(s.id),
  }));
}

interface Planned extends CardPreviewRow {
  /** Unmasked, for writing. */
  value: { card: string; holder: 'student' | 'guardian'; holderName: string; bankName: string };
  before: Known;
}

/** Class names are compared without brackets, spaces and 班: 七年级1班 and 七年级（1）班 alike. */
const classKey = (text: string) => normalizeText(text).replace(/[()（）\s班]/g, '');

function plan(
  ctx: CoreContext,
  upload: Upload,
): { layout: CardLayout; sheetName: string; rows: Planned[]; problems: CardPreview['problems'] } {
  const found = tableOf(upload)
    .sheets.map((sheet) => ({ sheet, layout: detectCardLayout(sheet.rows.slice(0, 20).map((r) => r.map(cellText))) }))
    .find((x) => x.layout);
  if (!found?.layout) {
    throw new AppError(
      'cards-no-header',
      `文件“${upload.fileName}”里找不到银行卡表的表头：需要“卡号”（或“银行卡号”“账号”“社保卡号”“一卡通账号”）列，以及“身份证号”“学籍号”或“姓名”加“班级”列`,
    );
  }
  const { sheet, layout } = found;
  const students = known(ctx);
  const byId = new Map(students.filter((s) => s.idNumber).map((s) => [s.idNumber!, s]));
  const byNumber = new Map(students.filter((s) => s.studentNumber).map((s) => [s.studentNumber!, s]));
  const problems: CardPreview['problems'] = [];
  const rows: Planned[] = [];
  const seen = new Map<number, number>();
  const cardOwners = new Map<string, { row: number; studentId: number; holder: 'student' | 'guardian' }>();
  const cell = (r: Cell[], f: CardField) => (layout[f] === undefined ? undefined : (r[layout[f]] ?? null));
  const text = (r: Cell[], f: CardField) => normalizeText(cellText(cell(r, f) ?? null)).trim();
  for (let i = layout.headerRow; i < sheet.rows.length; i++) {
    const r = sheet.rows[i] ?? [];
    const rowNo = i + 1;
    if (r.every((c) => cellText(c).trim() === '')) continue;
    const problem = (message: string) => problems.push({ row: rowNo, message: `第${rowNo}行：${message}` });
    const name = normalizeName(text(r, 'name'));
    const rawCard = cell(r, 'card');
    if (lostDigits(rawCard)) {
      problem(`${name || ''}的卡号以数字格式保存，超过 15 位的部分已被 Excel 改掉。请把该列设为“文本”格式并重新录入`);
      continue;
    }
    const card = checkBankCard(cellText(rawCard ?? null));
    if (!card.ok) {
      if (card.problem === 'empty') {
        if (name || text(r, 'idNumber')) problem(`${name || '该生'}没有填写卡号`);
      } else problem(`${name || '该生'}的${card.message}`);
      continue;
    }
    // Who the row is about: the student's ID number, the 学籍号, else the name within the class.
    let student: Known | undefined;
    const idText = text(r, 'idNumber').toUpperCase();
    if (idText) {
      const checked = checkIdNumber(idText);
      student = checked.ok ? byId.get(checked.idNumber) : undefined;
      if (!student) {
        problem(`身份证号不是本校在校学生的${checked.ok ? '' : '（号码本身有误）'}：若是户主或持卡人的证件号，请另加“学生姓名”和“班级”列`);
        continue;
      }
    } else if (text(r, 'studentNumber')) {
      student = byNumber.get(text(r, 'studentNumber'));
      if (!student) {
        problem(`学籍号不是本校在校学生的`);
        continue;
      }
    } else {
      const cls = classKey(`${text(r, 'grade')}${text(r, 'className')}`);
      const same = students.filter((s) => s.name === name && (!cls || (s.className !== null && classKey(s.className).endsWith(cls))));
      if (same.length !== 1) {
        problem(
          same.length
            ? `${name}在本校有 ${same.length} 人同名：请加身份证号或学籍号`
            : `找不到在校学生“${name}”（班级“${text(r, 'className')}”）`,
        );
        continue;
      }
      student = same[0]!;
    }
    if (name && name !== student.name) {
      problem(`姓名“${name}”与学籍中该号码的学生“${student.name}”不一致，请核对`);
      continue;
    }
    const earlier = seen.get(student.id);
    if (earlier) {
      problem(`${student.name}在第${earlier}行已经有一张卡：一名学生只登记一张，请删去一行`);
      continue;
    }
    seen.set(student.id, rowNo);
    // Whose account: the student's or the guardian's; a third person is not guessed at.
    const holderText = normalizeName(text(r, 'holderName'));
    let holder: 'student' | 'guardian' = student.holder;
    let holderName = student.holder === 'guardian' ? student.holderName : '';
    if (holderText) {
      if (holderText === student.name) [holder, holderName] = ['student', ''];
      else if (holderText === normalizeName(student.guardianName) || holderText === normalizeName(student.holderName))
        [holder, holderName] = ['guardian', holderText];
      else {
        problem(
          `户名“${holderText}”既不是学生${student.name}，也不是登记的监护人“${student.guardianName || '（未填）'}”：请先在学生信息中核对监护人`,
        );
        continue;
      }
    }
    const owner = cardOwners.get(card.card);
    if (owner && (owner.holder === 'student' || holder === 'student')) {
      problem(`卡号与第${owner.row}行相同，但不是同一位监护人的账户：请核对`);
      continue;
    }
    cardOwners.set(card.card, { row: rowNo, studentId: student.id, holder });
    const bankName = text(r, 'bankName') || student.bankName;
    const [current, next] = maskedPair(student.card, card.card, maskBankCard);
    const sameAccount =
      student.card === card.card && student.holder === holder && student.bankName === bankName && student.holderName === holderName;
    const kind: CardPreviewRow['kind'] = sameAccount
      ? 'same'
      : !student.card
        ? 'new'
        : student.card === card.card
          ? 'changed'
          : student.cardEdited
            ? 'conflict'
            : 'changed';
    rows.push({
      row: rowNo,
      studentId: student.id,
      name: student.name,
      className: student.className,
      kind,
      card: next ?? '',
      current,
      holder,
      holderName,
      bankName,
      note: [
        holder === 'guardian' ? `监护人${holderName}的账户：发放前须登记委托书` : '',
        card.checkDigitWarning ? '卡号校验位不符（部分农村信用社卡号例外），请对照卡片核对' : '',
      ]
        .filter(Boolean)
        .join('；'),
      value: { card: card.card, holder, holderName, bankName },
      before: student,
    });
  }
  return { layout, sheetName: sheet.name, rows, problems };
}

export function previewCards(ctx: CoreContext, upload: Upload): CardPreview {
  const p = plan(ctx, upload);
  const count = (k: CardPreviewRow['kind']) => p.rows.filter((r) => r.kind === k).length;
  return {
    uploadId: upload.id,
    fileName: upload.fileName,
    sheetName: p.sheetName,
    headerRow: p.layout.headerRow,
    columns: (Object.keys(CARD_FIELD_TEXT) as CardField[])
      .filter((f) => p.layout[f] !== undefined)
      .map((f) => ({ field: f, label: CARD_FIELD_TEXT[f], column: p.layout[f]! })),
    rows: p.rows.map(({ value: _v, before: _b, ...row }) => row),
    problems: p.problems,
    counts: { new: count('new'), changed: count('changed'), conflict: count('conflict'), same: count('same'), problems: p.problems.length },
  };
}

/** Writes the chosen rows (sheet row numbers) in one transaction, each change in the student's history. */
export function importCards(ctx: CoreContext, upload: Upload, chosen: number[]): CardImportResult {
  const p = plan(ctx, upload);
  const wanted = new Set(chosen);
  const rows = p.rows.filter((r) => wanted.has(r.row) && r.kind !== 'same');
  const at = nowIso(ctx);
  ctx.store.sqlite
    .transaction(() => {
      for (const r of rows) {
        const v = r.value;
        run(
          ctx,
          ctx.store.db
            .updateTable('student')
            .set({ bank_card: v.card, account_holder: v.holder, account_holder_name: v.holderName, bank_name: v.bankName, updated_at: at })
            .where('id', '=', r.studentId),
        );
        // A card confirmed from a sheet the clerk reviewed counts as the clerk's: a roster will not overwrite it unasked.
        if (r.before.card !== v.card)
          run(
            ctx,
            ctx.store.db.insertInto('student_change').values({
              student_id: r.studentId,
              changed_at: at,
              field: 'bankCard',
              old_value: r.before.card,
              new_value: v.card,
              source: 'edit',
            }),
          );
        if (r.before.holder !== v.holder || r.before.holderName !== v.holderName || r.before.bankName !== v.bankName)
          run(
            ctx,
            ctx.store.db.insertInto('student_change').values({
              student_id: r.studentId,
              changed_at: at,
              field: 'account',
              old_value: describeAccount(r.before),
              new_value: describeAccount({ ...v, proxyLetter: r.before.proxyLetter }),
              source: 'edit',
            }),
          );
      }
    })
    .immediate();
  ctx.uploads.delete(upload.id);
  return { written: rows.length, skipped: p.rows.length - rows.length, problems: p.problems.length };
}

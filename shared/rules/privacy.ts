/**
 * What each output may hold and whether the app may keep a copy of it: the one place that decides. Callers
 * ask `mayFile` before filing a document with the archive, and the audit trail records every output whose
 * `numbers` are `whole` (or `on-request` when asked for).
 *
 * numbers — ID numbers, 学籍号, bank cards, phones, addresses:
 *   never: not even masked (what is posted where others read it);
 *   masked: last digits only; on-request: masked unless the clerk asks for the whole numbers (recorded);
 *   whole: the receiver needs them whole (the county's list, the bank's file).
 * filed — kept with the archive, encrypted like every attachment:
 *   never; 'if-masked': only when it holds no whole numbers; always: the record of what was reported or paid.
 */
export type OutputKind =
  | 'publicityList'
  | 'signatureRoster'
  | 'surveyForms'
  | 'classSurveyWorkbook'
  | 'countyExport'
  | 'bankFile'
  | 'bankReturn'
  | 'plainList'
  | 'auditTrail'
  | 'errorMessage';

export interface OutputRule {
  text: string;
  numbers: 'never' | 'masked' | 'on-request' | 'whole';
  filed: 'never' | 'if-masked' | 'always';
}

export const OUTPUTS: Record<OutputKind, OutputRule> = {
  publicityList: { text: '公示名单', numbers: 'never', filed: 'always' },
  signatureRoster: { text: '签领表', numbers: 'on-request', filed: 'if-masked' },
  surveyForms: { text: '认定申请表（打印）', numbers: 'on-request', filed: 'never' },
  classSurveyWorkbook: { text: '班级家庭情况调查表', numbers: 'whole', filed: 'never' },
  countyExport: { text: '县级上报表格', numbers: 'whole', filed: 'always' },
  bankFile: { text: '银行代发文件', numbers: 'whole', filed: 'never' },
  bankReturn: { text: '银行代发结果（银行回单）', numbers: 'whole', filed: 'always' },
  plainList: { text: '导出的名单', numbers: 'masked', filed: 'never' },
  auditTrail: { text: '操作记录', numbers: 'masked', filed: 'never' },
  errorMessage: { text: '提示信息和日志', numbers: 'never', filed: 'never' },
};

/** Whether a copy of this output may be kept with the archive. */
export function mayFile(kind: OutputKind, wholeNumbers: boolean): boolean {
  const rule = OUTPUTS[kind].filed;
  return rule === 'always' || (rule === 'if-masked' && !wholeNumbers);
}

/** Whether this output, as asked for, holds whole numbers (and so is recorded in the audit trail). */
export function holdsWholeNumbers(kind: OutputKind, asked: boolean): boolean {
  const numbers = OUTPUTS[kind].numbers;
  return numbers === 'whole' || (numbers === 'on-request' && asked);
}

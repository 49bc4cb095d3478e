/**
 * The default archive catalogue, from the local schemes DOMAIN.md draws on: what a school keeps per term,
 * per programme and term, and per student. The school edits it; these are only the first rows.
 */
import type { ArchiveScope, ProducedBy } from '../domain/archive';

export interface DefaultArchiveItem {
  scope: ArchiveScope;
  name: string;
  required: boolean;
  producedBy?: ProducedBy;
  retention?: string;
}

/** The meal ledger's supplier deliveries and acceptance slips (营养餐 page attaches them here). */
export const MEAL_RECEIPTS = '营养餐供货与验收单据';

export const DEFAULT_ARCHIVE: DefaultArchiveItem[] = [
  { scope: 'term', name: '工作方案', required: true },
  { scope: 'term', name: '评审小组名单', required: true },
  { scope: 'term', name: '会议记录', required: true },
  { scope: 'term', name: '宣传材料与照片', required: false },
  { scope: 'term', name: '公示名单与照片', required: true, producedBy: 'identificationPublicity' },
  { scope: 'term', name: '上级文件', required: false },
  { scope: 'term', name: '工作总结', required: true },
  { scope: 'term', name: '资金文件', required: true },
  { scope: 'term', name: '银行回单', required: true, producedBy: 'bankReturn', retention: '10年' },
  { scope: 'term', name: MEAL_RECEIPTS, required: false, retention: '10年' },
  { scope: 'programme', name: '申请表汇总', required: true },
  { scope: 'programme', name: '评审记录', required: true },
  { scope: 'programme', name: '公示材料', required: true, producedBy: 'programmePublicity' },
  { scope: 'programme', name: '上报名单', required: true, producedBy: 'countyExport' },
  { scope: 'programme', name: '签领表', required: true, producedBy: 'signatureRoster', retention: '30年' },
  { scope: 'programme', name: '发放凭证', required: true, producedBy: 'bankReturn', retention: '30年' },
  { scope: 'student', name: '申请表', required: true },
  { scope: 'student', name: '承诺书', required: true },
  { scope: 'student', name: '证明材料', required: false },
  { scope: 'student', name: '家访记录', required: false },
];

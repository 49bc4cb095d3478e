/** Reading a county's list of findings: its header, and the kind of problem each row describes. */
import type { FindingCategory } from '../domain/county-finding';
import { normalizeHeader } from './roster-columns';

const ID_NAMES = ['身份证号', '身份证件号', '身份证号码', '证件号码', '公民身份号码', '学生身份证号', '身份证件号码'];
const PROBLEM_NAMES = [
  '问题描述',
  '问题',
  '问题线索',
  '疑点',
  '疑点描述',
  '疑点信息',
  '核查问题',
  '问题类型',
  '预警信息',
  '核查内容',
  '存在问题',
];
const NAME_NAMES = ['姓名', '学生姓名'];

export interface FindingsLayout {
  header: number;
  idNumber: number;
  problem: number;
  name: number | null;
}

/** The first of the top 20 rows naming an ID-number column and a problem column. */
export function findingsLayout(rows: string[][]): FindingsLayout | null {
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const cells = (rows[r] ?? []).map((c) => normalizeHeader(c ?? '').replace(/[（(][^）)]*[）)]/g, ''));
    const find = (names: string[]) => cells.findIndex((c) => names.includes(c));
    const idNumber = find(ID_NAMES);
    const problem = find(PROBLEM_NAMES);
    if (idNumber >= 0 && problem >= 0) {
      const name = find(NAME_NAMES);
      return { header: r, idNumber, problem, name: name >= 0 ? name : null };
    }
  }
  return null;
}

export function findingCategory(problem: string): FindingCategory {
  const p = problem.replace(/\s+/g, '');
  if (/双学籍|两个学籍|重复学籍|多个学籍/.test(p)) return 'doubleRegistration';
  if (/重复资助|重复享受|重复发放|多头享受|重复申请/.test(p)) return 'duplicateAid';
  if (/(身份证|证件号).{0,6}(错误|有误|不符|无效|不正确|校验)/.test(p)) return 'idNumber';
  if (/不在校|辍学|转出|转学|已毕业|休学|离校|死亡/.test(p)) return 'notEnrolled';
  return 'other';
}

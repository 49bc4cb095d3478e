/** Reading the county's lists: which row is the header, which columns hold ID numbers, names and categories. */
import type { ListKind, ListLayout } from '../domain/official-list';
import { LIST_KINDS } from '../domain/official-list';
import type { PriorityGroup } from '../domain/priority-group';
import { matchColumns, normalizeHeader } from './roster-columns';
import { normalizeText } from './text';

const ID_HEADERS = [
  '证件号码',
  '身份证号',
  '身份证号码',
  '身份证件号',
  '身份证件号码',
  '公民身份号码',
  '证件号',
  '成员证件号码',
  '学生身份证号',
];
const NAME_HEADERS = ['成员姓名', '姓名', '学生姓名', '人员姓名', '保障对象姓名', '儿童姓名'];
const CATEGORY_HEADERS = [
  '人口类型',
  '保障类型',
  '类别',
  '人员类别',
  '对象类型',
  '监测对象类型',
  '户类型',
  '救助类型',
  '残疾类别',
  '身份类别',
];

function isIdHeader(h: string): boolean {
  return ID_HEADERS.includes(h) || (/(身份证|证件号)/.test(h) && !/类型/.test(h) && !/户主/.test(h));
}

/**
 * Finds the header row (0-based) and the columns among a sheet's first rows. Only a row with at least one
 * ID-number column counts; a merged title (one text repeated) never does.
 */
export function detectListLayout(rows: string[][], sheetName: string, scanRows = 30): ListLayout | null {
  for (let r = 0; r < Math.min(rows.length, scanRows); r++) {
    const headers = (rows[r] ?? []).map(normalizeHeader);
    if (new Set(headers.filter(Boolean)).size < 2) continue;
    const idColumns = headers.flatMap((h, i) => (isIdHeader(h) ? [i] : []));
    if (idColumns.length === 0) continue;
    const pick = (names: string[]) => {
      for (const name of names) {
        const i = headers.indexOf(name);
        if (i >= 0) return i;
      }
      return null;
    };
    return { sheetName, headerRow: r + 1, idColumns, nameColumn: pick(NAME_HEADERS), categoryColumn: pick(CATEGORY_HEADERS) };
  }
  return null;
}

/**
 * The priority group a list row stands for: its category text when it names one, else the list's kind.
 * @example groupOfCategory('监测对象', 'poverty') === 'monitored'
 */
export function groupOfCategory(category: string, kind: ListKind): PriorityGroup | null {
  const c = normalizeText(category).replace(/\s+/g, '');
  if (!c) return LIST_KINDS[kind].group;
  if (/监测|边缘易致贫|突发严重困难|脱贫不稳定/.test(c)) return 'monitored';
  if (/脱贫|建档立卡|贫困人口/.test(c)) return 'povertyAlleviated';
  if (/低保边缘/.test(c)) return 'nearDibao';
  if (/低保|最低生活保障/.test(c)) return 'dibao';
  if (/特困|五保/.test(c)) return 'extremePoverty';
  if (/事实无人抚养/.test(c)) return 'unsupportedChild';
  if (/孤儿/.test(c)) return 'orphan';
  if (/残疾/.test(c)) return 'disabledStudent';
  // A category the rules do not know (e.g. 一般农户 on a poverty list) is not a priority group.
  return null;
}

/** Groups whose 城市/农村 matters (only rural 低保 and 特困 are among the 四类). */
export const AREA_GROUPS: readonly PriorityGroup[] = ['dibao', 'nearDibao', 'extremePoverty'];

/**
 * 城市 or 农村 as a category says it (农村低保, 城市特困供养人员, 城镇低保…), or the list's own area when the
 * clerk said the whole list is rural or urban; null when nothing tells.
 */
export function areaOfCategory(
  category: string,
  group: PriorityGroup | null,
  listArea: 'rural' | 'urban' | null,
): 'rural' | 'urban' | null {
  if (!group || !AREA_GROUPS.includes(group)) return null;
  const c = normalizeText(category).replace(/\s+/g, '');
  if (/农村|乡村/.test(c)) return 'rural';
  if (/城市|城镇|城区/.test(c)) return 'urban';
  return listArea;
}

/**
 * A sheet that reads like the school's roster (学籍号, 学段, 年级, 班级, 就读方式 and no category column):
 * imported as a county list, every student on it would be marked as listed. Two of those school-only columns
 * tell (a 民政 list of orphans may well have 出生日期 and 监护人, never 学籍号 and 班级); a list with a
 * category column is never taken for a roster.
 */
export function looksLikeRoster(headers: string[], categoryColumn: number | null): boolean {
  if (categoryColumn !== null) return false;
  const mapping = matchColumns(headers);
  const schoolOnly = ['studentNumber', 'stage', 'grade', 'class', 'boarding'] as const;
  return schoolOnly.filter((f) => mapping[f] !== undefined).length >= 2;
}

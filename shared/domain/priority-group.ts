/** 特殊群体: flags on a student, each with where it came from. */
export const PRIORITY_GROUPS = {
  povertyAlleviated: '脱贫家庭学生',
  monitored: '防止返贫监测对象',
  dibao: '最低生活保障',
  nearDibao: '低保边缘',
  extremePoverty: '特困供养',
  orphan: '孤儿',
  unsupportedChild: '事实无人抚养儿童',
  disabledStudent: '残疾学生',
  childOfDisabledParent: '残疾人子女',
  martyrChild: '烈士子女',
  entitledGroupChild: '优抚对象子女',
  singleParent: '单亲家庭',
  leftBehind: '留守儿童',
} as const;
export type PriorityGroup = keyof typeof PRIORITY_GROUPS;

export const FLAG_SOURCES = {
  roster: '学籍名册',
  selfDeclared: '本人申报',
  countyList: '县级名单',
  certificate: '已查验证件',
} as const;
export type FlagSource = keyof typeof FLAG_SOURCES;

export interface PriorityFlag {
  group: PriorityGroup;
  source: FlagSource;
  /** When the source said so: the list's date, the day the certificate was seen. */
  sourceDate: string | null;
  /** 城市 or 农村 for 低保 and 特困 (only rural ones are among the 四类); absent or null when not known. */
  area?: 'rural' | 'urban' | null;
}

export const AREA_TEXT: Record<'rural' | 'urban', string> = { rural: '农村', urban: '城市' };

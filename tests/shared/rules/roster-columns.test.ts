import { describe, expect, it } from 'vitest';
import { findHeaderRow, matchColumns } from '../../../shared/rules/roster-columns';
import { checkStudent } from '../../../shared/rules/student';

describe('column matching', () => {
  it('matches the registry export by meaning, whatever the order', () => {
    const m = matchColumns(['联系电话', '姓名', '学籍号', '身份证件号', '班级', '年级', '就读方式']);
    expect(m).toMatchObject({ guardianPhone: 0, name: 1, studentNumber: 2, idNumber: 3, class: 4, grade: 5, boarding: 6 });
  });

  it('does not take 监护人姓名 for the student name', () => {
    const m = matchColumns(['监护人姓名', '学生姓名', '证件号码']);
    expect(m.name).toBe(1);
    expect(m.guardianName).toBe(0);
    expect(m.idNumber).toBe(2);
  });

  it('understands other names real exports use, with stars and notes', () => {
    const m = matchColumns([
      '*全国学籍号',
      '姓名（必填）',
      '身份证号',
      '出生年月',
      '所在年级',
      '所在班级',
      '是否住校',
      '户籍性质',
      '家庭住址',
      '家长姓名',
      '社会保障卡号',
    ]);
    expect(Object.keys(m).sort()).toEqual(
      [
        'address',
        'bankCard',
        'birthDate',
        'boarding',
        'class',
        'grade',
        'guardianName',
        'hukou',
        'idNumber',
        'name',
        'studentNumber',
      ].sort(),
    );
  });

  it('finds the header under a merged title row', () => {
    const title = Array(5).fill('青山县第一中学2026年秋季学期学生名册');
    expect(findHeaderRow([title, ['学籍号', '姓名', '性别', '身份证件号', '班级'], ['G1', '张三', '男', '1', '1班']])).toBe(1);
  });

  it('finds no header in an unrelated sheet', () => {
    expect(
      findHeaderRow([
        ['区县', '乡镇', '金额'],
        ['青山县', '青山镇', '100'],
      ]),
    ).toBeNull();
    expect(findHeaderRow([])).toBeNull();
  });
});

describe('student rules', () => {
  const today = '2026-11-22';
  it('reports sex and birth date that contradict the ID number', () => {
    const r = checkStudent({ idNumber: '433125201810218949', sex: '男', birthDate: '2018-10-23' }, today);
    expect(r.problems.map((p) => p.code).sort()).toEqual(['birth-date-mismatch', 'sex-mismatch']);
  });
  it('takes sex and birth date from the ID number when the columns are blank', () => {
    expect(checkStudent({ idNumber: '34052419800101001X', sex: '', birthDate: '' }, today).value).toMatchObject({
      sex: 'male',
      birthDate: '1980-01-01',
    });
  });
  it('warns, not rejects, on a card failing Luhn and a strange phone', () => {
    const r = checkStudent({ bankCard: '6231625761724962100', guardianPhone: '12345' }, today);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(r.problems.map((p) => p.code).sort()).toEqual(['bank-card-luhn', 'phone-format']);
  });
  it('rejects a birth date in the future and a missing name', () => {
    expect(checkStudent({ birthDate: '2030-01-01' }, today).problems[0]?.code).toBe('birth-date-future');
    expect(checkStudent({ name: '  ' }, today).problems[0]?.code).toBe('name-missing');
  });
});

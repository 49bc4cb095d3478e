/**
 * The fields a publicity starts with — level (学校 / 班级), class, start day, working days, complaint phone —
 * shared by the identification and the recipient publicity dialogs. The period's end comes from the core
 * (its holiday calendar); a start before today asks why (补登), since the core refuses one without a reason.
 */
import { DatePicker, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { PublicityLevel } from '../../../shared/domain/publicity';
import type { SchoolClass } from '../../../shared/domain/school';
import type { PublicityRules } from '../../../shared/rules/publicity';
import { client } from '../api/client';
import { today } from '../api/today';

export interface PeriodValue {
  level: PublicityLevel;
  classId: number | null;
  startsOn: string;
  backdateReason: string;
  workingDays: number | null;
  complaintPhone: string;
}

export const todayText = today;

export function initialPeriod(): PeriodValue {
  return { level: 'school', classId: null, startsOn: todayText(), backdateReason: '', workingDays: null, complaintPhone: '' };
}

/** The arguments the contract takes for a period (the start is left out when it is today: the core's today decides). */
export function periodArgs(v: PeriodValue, rules: PublicityRules | null) {
  return {
    level: v.level,
    classId: v.classId,
    startsOn: v.startsOn === todayText() ? undefined : v.startsOn,
    backdateReason: v.backdateReason,
    workingDays: v.workingDays ?? rules?.minDays[v.level] ?? 5,
    complaintPhone: v.complaintPhone,
  };
}

export function PublicityPeriodFields({
  value,
  onChange,
  classes,
  rules,
  prefix,
}: {
  value: PeriodValue;
  onChange(v: PeriodValue): void;
  classes: SchoolClass[];
  rules: PublicityRules | null;
  /** Distinguishes the fields' labels when two dialogs could be open (受助 / 认定). */
  prefix: string;
}) {
  const days = value.workingDays ?? rules?.minDays[value.level] ?? 5;
  const [endsOn, setEndsOn] = useState('');
  useEffect(() => {
    client.invoke('calendar.periodEnd', { startsOn: value.startsOn, workingDays: days }).then(
      (r) => setEndsOn(r.endsOn),
      () => setEndsOn(''),
    );
  }, [value.startsOn, days]);
  const set = (patch: Partial<PeriodValue>) => onChange({ ...value, ...patch });
  const backdated = value.startsOn < todayText();
  return (
    <>
      <div className="form-grid" style={{ gridTemplateColumns: '1fr 1fr 1fr' }}>
        <label>
          公示级别
          <Select
            aria-label={`${prefix}公示级别`}
            value={value.level}
            onChange={(level) => set({ level, classId: level === 'school' ? value.classId : value.classId, workingDays: null })}
            options={[
              { value: 'school', label: rules?.twoLevel ? '学校公示（含已在班级公示的）' : '学校公示' },
              { value: 'class', label: '班级公示' },
            ]}
          />
        </label>
        <label>
          {value.level === 'class' ? '班级' : '范围'}
          <Select
            aria-label={`${prefix}公示范围`}
            value={value.classId}
            onChange={(classId) => set({ classId })}
            options={[
              ...(value.level === 'school' ? [{ value: null as unknown as number, label: '全校' }] : []),
              ...classes.map((c) => ({ value: c.id, label: c.label })),
            ]}
            placeholder="选择班级"
          />
        </label>
        <label>
          开始日期
          <DatePicker
            aria-label={`${prefix}公示开始日期`}
            value={dayjs(value.startsOn)}
            allowClear={false}
            onChange={(d) => d && set({ startsOn: d.format('YYYY-MM-DD') })}
          />
        </label>
        <label>
          公示工作日
          <InputNumber aria-label={`${prefix}公示工作日`} min={1} max={30} value={days} onChange={(v) => set({ workingDays: v })} />
        </label>
        <label className="wide" style={{ gridColumn: 'span 2' }}>
          监督电话
          <Input
            aria-label={`${prefix}公示监督电话`}
            value={value.complaintPhone}
            onChange={(e) => set({ complaintPhone: e.target.value })}
            placeholder="如 0745-1234567"
          />
        </label>
        {backdated && (
          <label className="wide" style={{ gridColumn: 'span 3' }}>
            补登原因（开始日期早于今天）
            <Input
              aria-label={`${prefix}补登原因`}
              value={value.backdateReason}
              onChange={(e) => set({ backdateReason: e.target.value })}
              placeholder="如：名单已于该日张贴，今天补录"
            />
          </label>
        )}
      </div>
      <p className="muted">
        公示至 {endsOn || '…'}（按工作日计，已扣除节假日、计入调休上班日；可在“设置 → 公示与节假日”中核对）。
        {rules && `本校规定${value.level === 'class' ? '班级' : '学校'}公示至少 ${rules.minDays[value.level]} 个工作日。`}
      </p>
    </>
  );
}

/**
 * 公示与节假日: the school's publicity rules (minimum working days per level, two-level publicity) and the
 * holiday calendar the periods count on — the State Council's published dates, corrected by the clerk.
 */
import { App as AntApp, Button, Card, DatePicker, Input, InputNumber, Select, Space, Switch, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { CalendarDay, CalendarView } from '../../../../shared/domain/calendar';
import type { PublicityRules } from '../../../../shared/rules/publicity';
import { client } from '../../api/client';

const KIND_TEXT = { holiday: '放假', workday: '调休上班' } as const;

export function PublicityCard() {
  const { message } = AntApp.useApp();
  const [rules, setRules] = useState<PublicityRules | null>(null);
  const [year, setYear] = useState(dayjs().year());
  const [calendar, setCalendar] = useState<CalendarView | null>(null);
  const [day, setDay] = useState<{ date: string; kind: 'holiday' | 'workday' | 'normal'; name: string }>({
    date: '',
    kind: 'holiday',
    name: '',
  });
  const fail = useCallback((e: Error) => message.error(e.message), [message]);
  useEffect(() => void client.invoke('publicity.rules', {}).then(setRules, fail), [fail]);
  useEffect(() => void client.invoke('calendar.get', { year }).then(setCalendar, fail), [year, fail]);
  const saveRules = (r: PublicityRules) =>
    client.invoke('publicity.saveRules', r).then((saved) => {
      setRules(saved);
      message.success('公示规则已保存');
    }, fail);
  const setDays = (days: { date: string; kind: 'holiday' | 'workday' | 'normal'; name: string }[]) =>
    client.invoke('calendar.set', { year, days }).then((c) => {
      setCalendar(c);
      message.success('节假日已保存');
    }, fail);
  return (
    <Card title="公示与节假日" size="small" style={{ maxWidth: 900, marginTop: 12 }}>
      {rules && (
        <Space wrap style={{ marginBottom: 12 }}>
          <span>学校公示至少</span>
          <InputNumber
            aria-label="学校公示最少工作日"
            min={1}
            max={30}
            value={rules.minDays.school}
            onChange={(v) => v && void saveRules({ ...rules, minDays: { ...rules.minDays, school: v } })}
          />
          <span>个工作日；班级公示至少</span>
          <InputNumber
            aria-label="班级公示最少工作日"
            min={1}
            max={30}
            value={rules.minDays.class}
            onChange={(v) => v && void saveRules({ ...rules, minDays: { ...rules.minDays, class: v } })}
          />
          <span>个工作日。</span>
          <Switch
            aria-label="两级公示"
            checked={rules.twoLevel}
            onChange={(twoLevel) => void saveRules({ ...rules, twoLevel })}
            checkedChildren="两级公示"
            unCheckedChildren="只在学校公示"
          />
          <span className="muted">两级公示时，受助学生须先班级公示、再学校公示，两级都结束后才能审核通过。</span>
        </Space>
      )}
      <Space wrap style={{ marginBottom: 8 }}>
        <Select
          aria-label="节假日年份"
          value={year}
          onChange={setYear}
          options={[-1, 0, 1].map((d) => ({ value: dayjs().year() + d, label: `${dayjs().year() + d} 年` }))}
        />
        {calendar && !calendar.shipped && <Tag color="orange">国务院尚未公布（或本程序未收录）{year} 年的放假安排：请按通知逐日录入</Tag>}
        {calendar?.shipped && <Tag color="green">已收录国务院公布的 {year} 年放假安排</Tag>}
      </Space>
      <Space wrap style={{ marginBottom: 8 }}>
        <DatePicker
          aria-label="节假日日期"
          value={day.date ? dayjs(day.date) : null}
          onChange={(d) => setDay({ ...day, date: d ? d.format('YYYY-MM-DD') : '' })}
        />
        <Select
          aria-label="节假日类型"
          style={{ width: 140 }}
          value={day.kind}
          onChange={(kind) => setDay({ ...day, kind })}
          options={[
            { value: 'holiday', label: '放假' },
            { value: 'workday', label: '调休上班' },
            { value: 'normal', label: '按平常（取消）' },
          ]}
        />
        <Input
          aria-label="节假日名称"
          style={{ width: 160 }}
          placeholder="如：春节"
          value={day.name}
          onChange={(e) => setDay({ ...day, name: e.target.value })}
        />
        <Button disabled={!day.date} onClick={() => void setDays([day])}>
          保存这一天
        </Button>
      </Space>
      <Table<CalendarDay>
        size="small"
        rowKey="date"
        pagination={{ pageSize: 12, hideOnSinglePage: true }}
        dataSource={calendar?.days ?? []}
        locale={{ emptyText: '这一年没有节假日记录' }}
        columns={[
          { title: '日期', dataIndex: 'date', width: 110 },
          { title: '星期', width: 60, render: (_, d) => '日一二三四五六'[dayjs(d.date).day()] },
          { title: '安排', width: 90, render: (_, d) => <Tag color={d.kind === 'holiday' ? 'red' : 'blue'}>{KIND_TEXT[d.kind]}</Tag> },
          { title: '名称', dataIndex: 'name' },
          { title: '来源', width: 110, render: (_, d) => (d.source === 'stateCouncil' ? '国务院通知' : '本校录入') },
          {
            title: '',
            width: 80,
            render: (_, d) => (
              <Button size="small" onClick={() => void setDays([{ date: d.date, kind: 'normal', name: '' }])}>
                取消
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

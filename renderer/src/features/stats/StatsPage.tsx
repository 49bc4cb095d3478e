import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Segmented, Select, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { STAGE_TEXT, type SchoolYear, type School, type Term } from '../../../../shared/domain/school';
import {
  SECTION_TEXT,
  STATS_GROUP_TEXT,
  STATS_GROUPS,
  type ProgrammeFigures,
  type SchoolFigures,
  type StageFigures,
  type Stats,
} from '../../../../shared/domain/stats';
import { formatYuan } from '../../../../shared/rules/money';
import { previousSchoolYear, schoolYearOfTerm } from '../../../../shared/rules/term';
import { wanYuan } from '../../../../shared/rules/work-summary';
import { FUND_SOURCE_TEXT } from '../../../../shared/domain/funds';
import { client } from '../../api/client';
import { saveFile } from '../../components/files';
import { TermSelect } from '../../components/TermProgramme';

/** Two horizontal bars, this period against the last, on one scale: easier to see than to read. */
function Bars({ rows, unit }: { rows: { label: string; now: number; before: number }[]; unit(n: number): string }) {
  const max = Math.max(1, ...rows.flatMap((r) => [r.now, r.before]));
  return (
    <div className="bars">
      {rows.map((r) => (
        <div key={r.label} className="bar-row">
          <span className="bar-label" title={r.label}>
            {r.label}
          </span>
          <div className="bar-track">
            <div className="bar now" style={{ width: `${(r.now / max) * 100}%` }} />
            <div className="bar before" style={{ width: `${(r.before / max) * 100}%` }} />
          </div>
          <span className="bar-value">
            {unit(r.now)}
            <br />
            <span className="muted">{unit(r.before)}</span>
          </span>
        </div>
      ))}
    </div>
  );
}

const delta = (now: number, before: number, text: (n: number) => string = String) =>
  now === before ? (
    <span className="muted">持平</span>
  ) : (
    <span style={{ color: now > before ? '#389e0d' : '#cf1322' }}>
      {now > before ? '+' : '−'}
      {text(Math.abs(now - before))}
    </span>
  );

/** 统计: who was aided, how often and with how much, by stage and programme, against the period before; the summary paragraph. */
export function StatsPage({ school }: { school: School }) {
  const { message } = AntApp.useApp();
  const [mode, setMode] = useState<'term' | 'year'>('term');
  const [term, setTerm] = useState<Term>(school.term);
  const [year, setYear] = useState<SchoolYear>(schoolYearOfTerm(school.term));
  const [stats, setStats] = useState<Stats | null>(null);
  const [summary, setSummary] = useState('');
  const period = mode === 'term' ? { term } : { schoolYear: year };
  const key = JSON.stringify(period);
  useEffect(() => {
    client.invoke('stats.get', period).then(setStats, (e: Error) => message.error(e.message));
    client.invoke('stats.summary', period).then(
      (r) => setSummary(r.text),
      () => setSummary(''),
    );
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps -- the period is the key
  const years = [year, previousSchoolYear(year), previousSchoolYear(previousSchoolYear(year))];
  const before = (p: ProgrammeFigures) => stats?.previous.programmes.find((x) => x.programmeCode === p.programmeCode);
  const cur = stats?.current.total;
  const prev = stats?.previous.total;
  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">统计</h1>
        <Segmented
          aria-label="统计期间"
          value={mode}
          onChange={(v) => setMode(v as 'term' | 'year')}
          options={[
            { value: 'term', label: '按学期' },
            { value: 'year', label: '按学年' },
          ]}
        />
        {mode === 'term' ? (
          <TermSelect term={term} onChange={setTerm} />
        ) : (
          <Select
            aria-label="学年"
            style={{ width: 150 }}
            value={year}
            onChange={setYear}
            options={years.map((y) => ({ value: y, label: `${y} 学年` }))}
          />
        )}
        <span className="muted">{stats ? `与${stats.previous.label}比较 · 按已登记的发放（含减免）统计` : ''}</span>
        <span style={{ flex: 1 }} />
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void client.invoke('stats.export', period).then(saveFile, (e: Error) => message.error(e.message))}
        >
          导出统计表
        </Button>
      </div>
      <div className="page-scroll">
        <div className="panel" aria-label="工作总结数据">
          <b>工作总结数据</b> <span className="muted">（可直接复制到学校的工作总结中）</span>
          <Typography.Paragraph
            copyable={{ text: summary, tooltips: ['复制', '已复制'] }}
            style={{ marginTop: 8, marginBottom: 0, lineHeight: 1.9 }}
          >
            {summary}
          </Typography.Paragraph>
        </div>
        {stats && (
          <div className="panel" style={{ marginTop: 12 }} data-testid="coverage">
            <b>资助面</b>{' '}
            {stats.current.enrolled
              ? `${((stats.current.total.students / stats.current.enrolled) * 100).toFixed(1)}%（受助 ${stats.current.total.students} 人 ÷ 在校 ${stats.current.enrolled} 人）`
              : '—'}
            <span style={{ marginLeft: 24 }}>
              <b>到账资金</b>{' '}
              {stats.current.funds.length
                ? stats.current.funds.map((f) => `${FUND_SOURCE_TEXT[f.source]} ${wanYuan(f.amount)}`).join('，')
                : '尚未在“资金台账”登记到账'}
            </span>
          </div>
        )}
        {stats && cur && prev && (
          <>
            <Table<ProgrammeFigures>
              style={{ marginTop: 12 }}
              size="small"
              rowKey="programmeCode"
              pagination={false}
              dataSource={stats.current.programmes}
              locale={{ emptyText: '本期还没有登记发放' }}
              columns={[
                { title: '学段', width: 100, render: (_, p) => SECTION_TEXT[p.section] },
                { title: '项目', dataIndex: 'programmeName' },
                { title: '人数', dataIndex: 'students', width: 70, align: 'right' },
                { title: '人次', dataIndex: 'instances', width: 70, align: 'right' },
                {
                  title: '金额',
                  width: 130,
                  align: 'right',
                  render: (_, p) => formatYuan(p.amount + p.waived) + (p.kind === 'paid' ? '' : '（减免）'),
                },
                { title: '上期人次', width: 90, align: 'right', render: (_, p) => before(p)?.instances ?? 0 },
                { title: '人次变化', width: 90, align: 'right', render: (_, p) => delta(p.instances, before(p)?.instances ?? 0) },
                {
                  title: '金额变化',
                  width: 120,
                  align: 'right',
                  render: (_, p) => delta(p.amount + p.waived, (before(p)?.amount ?? 0) + (before(p)?.waived ?? 0), formatYuan),
                },
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2}>
                    <b>合计</b>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    <b>{cur.students}</b>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    <b>{cur.instances}</b>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    <b>{formatYuan(cur.amount + cur.waived)}</b>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {prev.instances}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">
                    {delta(cur.instances, prev.instances)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={7} align="right">
                    {delta(cur.amount + cur.waived, prev.amount + prev.waived, formatYuan)}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
            <Table<StageFigures>
              style={{ marginTop: 12 }}
              size="small"
              rowKey="stage"
              pagination={false}
              dataSource={stats.current.stages}
              title={() => <b>按学段</b>}
              columns={[
                { title: '学段', width: 100, render: (_, x) => STAGE_TEXT[x.stage] },
                { title: '人数', dataIndex: 'students', width: 70, align: 'right' },
                { title: '人次', dataIndex: 'instances', width: 70, align: 'right' },
                { title: '发放金额', width: 130, align: 'right', render: (_, x) => formatYuan(x.amount) },
                { title: '减免/实物', width: 120, align: 'right', render: (_, x) => formatYuan(x.waived) },
                { title: '寄宿 / 走读', width: 110, align: 'right', render: (_, x) => `${x.boarders} / ${x.day}` },
                {
                  title: '上期人数',
                  width: 90,
                  align: 'right',
                  render: (_, x) => stats.previous.stages.find((y) => y.stage === x.stage)?.students ?? 0,
                },
                {
                  title: '人数变化',
                  render: (_, x) => delta(x.students, stats.previous.stages.find((y) => y.stage === x.stage)?.students ?? 0),
                },
              ]}
            />
            {stats.current.schools.length > 0 && (
              <Table<SchoolFigures>
                style={{ marginTop: 12 }}
                size="small"
                rowKey="schoolId"
                pagination={false}
                data-testid="stats-by-school"
                dataSource={stats.current.schools}
                title={() => <b>按学校（中心校与校点）</b>}
                columns={[
                  { title: '学校', dataIndex: 'schoolName', width: 180 },
                  { title: '在校', dataIndex: 'enrolled', width: 70, align: 'right' },
                  { title: '人数', dataIndex: 'students', width: 70, align: 'right' },
                  {
                    title: '资助面',
                    width: 80,
                    align: 'right',
                    render: (_, x) => (x.enrolled ? `${((x.students / x.enrolled) * 100).toFixed(1)}%` : '—'),
                  },
                  { title: '人次', dataIndex: 'instances', width: 70, align: 'right' },
                  { title: '发放金额', width: 130, align: 'right', render: (_, x) => formatYuan(x.amount) },
                  { title: '减免/实物', width: 120, align: 'right', render: (_, x) => formatYuan(x.waived) },
                  { title: '寄宿 / 走读', render: (_, x) => `${x.boarders} / ${x.day}` },
                ]}
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {stats.current.enrolled}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      {stats.current.total.students}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} colSpan={5} />
                  </Table.Summary.Row>
                )}
              />
            )}
            <div className="stats-charts">
              <div className="panel">
                <b>各项目资金</b> <span className="legend now">{stats.current.label}</span>{' '}
                <span className="legend before">{stats.previous.label}</span>
                <Bars
                  unit={wanYuan}
                  rows={[...new Set([...stats.current.programmes, ...stats.previous.programmes].map((p) => p.programmeCode))].map(
                    (code) => {
                      const n = stats.current.programmes.find((p) => p.programmeCode === code);
                      const b = stats.previous.programmes.find((p) => p.programmeCode === code);
                      return {
                        label: (n ?? b)!.programmeName,
                        now: (n?.amount ?? 0) + (n?.waived ?? 0),
                        before: (b?.amount ?? 0) + (b?.waived ?? 0),
                      };
                    },
                  )}
                />
              </div>
              <div className="panel">
                <b>受助学生中的特殊群体与寄宿情况（人）</b>
                <Bars
                  unit={(n) => `${n} 人`}
                  rows={[
                    ...STATS_GROUPS.map((g) => ({ label: STATS_GROUP_TEXT[g], now: cur.groups[g], before: prev.groups[g] })),
                    { label: '寄宿生', now: cur.boarders, before: prev.boarders },
                    { label: '走读生', now: cur.day, before: prev.day },
                  ]}
                />
                <span className="muted">“人”按学生计：一名学生同时属于几个群体时，在各群体中各计一次。</span>
              </div>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

import { App as AntApp, Button, Input, InputNumber, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { VISIT_WAY_TEXT, type HomeVisit, type VisitSample } from '../../../../shared/domain/survey';
import { client } from '../../api/client';
import { ExportTableButton } from '../../components/ExportTableButton';

/** Verification visits: a reproducible random share of the recognised families, and every visit of the year. */
export function VisitsTab() {
  const { message } = AntApp.useApp();
  const [samples, setSamples] = useState<VisitSample[]>([]);
  const [visits, setVisits] = useState<HomeVisit[]>([]);
  const [percent, setPercent] = useState<number | null>(10);
  const [seed, setSeed] = useState('');
  const load = useCallback(() => {
    client.invoke('visits.samples', {}).then(setSamples, (e: Error) => message.error(e.message));
    client.invoke('visits.list', {}).then(setVisits, (e: Error) => message.error(e.message));
  }, [message]);
  useEffect(load, [load]);
  const draw = async () => {
    try {
      const s = await client.invoke('visits.drawSample', { percent: percent ?? 10, seed: seed.trim() || undefined });
      message.success(`已从 ${s.population} 名已认定学生中抽取 ${s.students.length} 名（种子“${s.seed}”，可凭种子复核）`);
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <div className="page-scroll">
      <Space wrap>
        抽取比例
        <InputNumber aria-label="抽取比例" min={1} max={100} value={percent} onChange={setPercent} addonAfter="%" />
        <Input
          aria-label="随机种子"
          style={{ width: 220 }}
          placeholder="随机种子（留空自动生成并记录）"
          value={seed}
          onChange={(e) => setSeed(e.target.value)}
        />
        <Button type="primary" onClick={() => void draw()}>
          抽取核查家访对象
        </Button>
      </Space>
      {samples.map((s) => (
        <div key={s.id} className="panel" style={{ marginTop: 12 }}>
          <strong>
            {s.createdAt.slice(0, 10)} 抽取 {s.percent}%
          </strong>
          （从 {s.population} 人中抽 {s.students.length} 人，种子 <span className="mono">{s.seed}</span>；已访{' '}
          {s.students.filter((x) => x.visited).length} 人）
          <div style={{ marginTop: 6 }}>
            {s.students.map((x) => (
              <Tag key={x.id} color={x.visited ? 'green' : 'default'}>
                {x.className} {x.name}
                {x.visited ? ' ✓' : ''}
              </Tag>
            ))}
          </div>
        </div>
      ))}
      <h3>
        本学年家访记录（{visits.length}）{' '}
        <ExportTableButton
          title="家访记录"
          headers={['日期', '班级', '学生', '方式', '走访人', '情况', '后续跟进', '抽查']}
          rows={() =>
            visits.map((v) => [
              v.visitedOn,
              v.className,
              v.studentName,
              VISIT_WAY_TEXT[v.way],
              v.visitors,
              v.findings,
              v.followUp,
              v.sampleId ? '是' : '',
            ])
          }
        />
      </h3>
      <Table
        size="small"
        rowKey="id"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={visits}
        columns={[
          { title: '日期', dataIndex: 'visitedOn', width: 100 },
          { title: '班级', dataIndex: 'className', width: 130 },
          { title: '学生', dataIndex: 'studentName', width: 90 },
          { title: '方式', dataIndex: 'way', width: 60, render: (w: HomeVisit['way']) => VISIT_WAY_TEXT[w] },
          { title: '走访人', dataIndex: 'visitors', width: 140 },
          { title: '情况', dataIndex: 'findings' },
          { title: '抽查', width: 60, render: (_, v) => (v.sampleId ? <Tag>抽查</Tag> : '') },
        ]}
      />
    </div>
  );
}

import {
  App as AntApp,
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { IdentificationCase } from '../../../../shared/api/identification';
import {
  IDENTIFICATION_STATUS_TEXT,
  LEVEL_TEXT,
  type DifficultyLevel,
  type Identification,
} from '../../../../shared/domain/identification';
import { VISIT_WAY_TEXT, type HomeVisit, type VisitWay } from '../../../../shared/domain/survey';
import { client } from '../../api/client';
import { LEVEL_OPTIONS, LevelTag } from '../../components/tags';
import { SurveyForm } from './SurveyForm';
import { today } from '../../api/today';
import { useConfirmLeave } from '../../components/unsaved';

function ScoreBlock({ c }: { c: Identification }) {
  if (c.direct) return <p>按县级名单直接认定（{c.reason}）</p>;
  if (c.score === null) return <p className="muted">尚未评分：请先填写调查表，再点“评分”。</p>;
  return (
    <div>
      <p>
        量化评分 <strong>{c.score}</strong> 分，建议 <LevelTag level={c.suggestedLevel} />
      </p>
      <ul className="score-lines">
        {c.scoreLines.map((l) => (
          <li key={l.label}>
            {l.label}：{l.points} 分
          </li>
        ))}
      </ul>
    </div>
  );
}

function DecisionPanel({ studentId, onChanged }: { studentId: number; onChanged(): void }) {
  const { message, modal } = AntApp.useApp();
  const [data, setData] = useState<IdentificationCase | null>(null);
  const [level, setLevel] = useState<DifficultyLevel | null>(null);
  const [reason, setReason] = useState('');
  const [decidedOn, setDecidedOn] = useState(today());
  const load = useCallback(() => {
    client.invoke('identification.case', { studentId }).then(
      (d) => {
        setData(d);
        setLevel(d.current?.panelLevel ?? d.current?.suggestedLevel ?? null);
      },
      (e: Error) => message.error(e.message),
    );
  }, [studentId, message]);
  useEffect(load, [load]);
  if (!data) return null;
  const c = data.current;
  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      message.success(done);
      load();
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const reopen = () => {
    let text = '';
    modal.confirm({
      title: '重新认定',
      content: (
        <Input.TextArea
          aria-label="重新认定原因"
          rows={3}
          placeholder="例如：家庭突遭变故 / 家庭经济好转"
          onChange={(e) => (text = e.target.value)}
        />
      ),
      okText: '重新认定',
      onOk: () =>
        act(() => client.invoke('identification.reopen', { identificationId: c!.id, reason: text }), '已重新打开，原认定保留在历史中'),
    });
  };
  const differs = c && !c.direct && c.suggestedLevel !== null && level !== null && level !== c.suggestedLevel;
  return (
    <div>
      {!c && <Empty description="本学年还没有认定：保存调查表后点“评分”开始" />}
      {c && (
        <>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              {
                key: 's',
                label: '状态',
                children: <Tag color={c.status === 'decided' ? 'green' : 'processing'}>{IDENTIFICATION_STATUS_TEXT[c.status]}</Tag>,
              },
              { key: 'l', label: '认定等级', children: c.status === 'decided' ? <LevelTag level={c.level} /> : '—' },
              {
                key: 'p',
                label: '班级评议',
                span: 2,
                children: c.votes
                  ? `${c.panelHeldOn}：同意 ${c.votes.agree}，不同意 ${c.votes.disagree}，弃权 ${c.votes.abstain}；建议 ${c.panelLevel ? LEVEL_TEXT[c.panelLevel] : '—'}`
                  : '未评议',
              },
              ...(c.status === 'decided'
                ? [{ key: 'd', label: '认定', span: 2, children: `${c.decidedOn} ${c.decidedBy}${c.reason ? `；理由：${c.reason}` : ''}` }]
                : []),
              ...(c.reopenReason ? [{ key: 'r', label: '重新认定原因', span: 2, children: c.reopenReason }] : []),
            ]}
          />
          <div style={{ marginTop: 10 }}>
            <ScoreBlock c={c} />
          </div>
          {c.status === 'open' && (
            <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
              <Space wrap>
                <Button onClick={() => void act(() => client.invoke('identification.score', { studentIds: [studentId] }), '已重新评分')}>
                  重新评分
                </Button>
                <Select
                  aria-label="认定等级"
                  style={{ width: 140 }}
                  value={level}
                  onChange={setLevel}
                  options={LEVEL_OPTIONS}
                  placeholder="认定等级"
                />
                <DatePicker aria-label="认定日期" value={dayjs(decidedOn)} onChange={(d) => d && setDecidedOn(d.format('YYYY-MM-DD'))} />
              </Space>
              <Input.TextArea
                aria-label="认定理由"
                rows={2}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder={differs ? '与评分建议不同，必须写明理由' : '理由（与评分建议一致时可不填）'}
                status={differs && reason.trim().length < 2 ? 'warning' : undefined}
              />
              <Button
                type="primary"
                disabled={!level}
                onClick={() =>
                  void act(
                    () =>
                      client.invoke('identification.decide', { decisions: [{ identificationId: c.id, level: level!, reason }], decidedOn }),
                    '已认定',
                  )
                }
              >
                确认认定
              </Button>
            </Space>
          )}
          {c.status === 'decided' && (
            <Button style={{ marginTop: 10 }} onClick={reopen}>
              重新认定…
            </Button>
          )}
        </>
      )}
      {data.history.length > 0 && (
        <>
          <h4>历史认定</h4>
          <Timeline
            items={data.history.map((h) => ({
              key: h.id,
              children: (
                <span>
                  {h.schoolYear} {h.decidedOn ?? ''} <LevelTag level={h.level} /> {IDENTIFICATION_STATUS_TEXT[h.status]}
                  {h.reason ? `（${h.reason}）` : ''}
                </span>
              ),
            }))}
          />
        </>
      )}
    </div>
  );
}

function Visits({ studentId }: { studentId: number }) {
  const { message } = AntApp.useApp();
  const [visits, setVisits] = useState<HomeVisit[]>([]);
  const [draft, setDraft] = useState({ visitedOn: today(), visitors: '', way: 'field' as VisitWay, findings: '', followUp: '' });
  const load = useCallback(() => {
    client.invoke('visits.list', { studentId }).then(setVisits, (e: Error) => message.error(e.message));
  }, [studentId, message]);
  useEffect(load, [load]);
  const add = async () => {
    try {
      await client.invoke('visits.add', { studentId, ...draft });
      message.success('已记录家访');
      setDraft({ ...draft, findings: '', followUp: '' });
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <div>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={visits}
        locale={{ emptyText: '还没有家访记录' }}
        columns={[
          { title: '日期', dataIndex: 'visitedOn', width: 100 },
          { title: '方式', dataIndex: 'way', width: 60, render: (w: VisitWay) => VISIT_WAY_TEXT[w] },
          { title: '走访人', dataIndex: 'visitors', width: 120 },
          { title: '了解到的情况', dataIndex: 'findings' },
          { title: '后续跟进', dataIndex: 'followUp' },
        ]}
      />
      <h4>记录一次家访</h4>
      <div className="form-grid">
        <label>
          日期
          <DatePicker
            aria-label="家访日期"
            value={dayjs(draft.visitedOn)}
            onChange={(d) => d && setDraft({ ...draft, visitedOn: d.format('YYYY-MM-DD') })}
          />
        </label>
        <label>
          方式
          <Select
            aria-label="家访方式"
            value={draft.way}
            onChange={(way) => setDraft({ ...draft, way })}
            options={Object.entries(VISIT_WAY_TEXT).map(([value, label]) => ({ value, label }))}
          />
        </label>
        <label className="wide">
          走访人
          <Input
            aria-label="走访人"
            value={draft.visitors}
            onChange={(e) => setDraft({ ...draft, visitors: e.target.value })}
            placeholder="如：班主任王老师、资助专干李老师"
          />
        </label>
        <label className="wide">
          了解到的情况
          <Input.TextArea
            aria-label="家访情况"
            rows={2}
            value={draft.findings}
            onChange={(e) => setDraft({ ...draft, findings: e.target.value })}
          />
        </label>
        <label className="wide">
          后续跟进
          <Input.TextArea
            aria-label="后续跟进"
            rows={2}
            value={draft.followUp}
            onChange={(e) => setDraft({ ...draft, followUp: e.target.value })}
          />
        </label>
      </div>
      <Button type="primary" style={{ marginTop: 8 }} disabled={!draft.visitors.trim()} onClick={() => void add()}>
        保存家访记录
      </Button>
    </div>
  );
}

export function CaseDrawer({
  studentId,
  name,
  onClose,
  onChanged,
  onPrint,
}: {
  studentId: number;
  name: string;
  onClose(): void;
  onChanged(): void;
  onPrint(doc: PrintDocument): void;
}) {
  const [tab, setTab] = useState('survey');
  const [version, setVersion] = useState(0);
  const confirmLeave = useConfirmLeave();
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  return (
    <Drawer open width={920} title={`${name}：家庭调查与认定`} onClose={() => confirmLeave(onClose)} destroyOnHidden>
      <Alert type="info" showIcon style={{ marginBottom: 10 }} message="表内家庭情况仅用于认定，严禁在班级中公开或要求学生当众陈述困难。" />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'survey', label: '调查表', children: <SurveyForm studentId={studentId} onSaved={changed} onPrint={onPrint} /> },
          { key: 'identification', label: '认定', children: <DecisionPanel key={version} studentId={studentId} onChanged={changed} /> },
          { key: 'visits', label: '家访', children: <Visits studentId={studentId} /> },
        ]}
      />
    </Drawer>
  );
}

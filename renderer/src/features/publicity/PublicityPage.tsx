import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useClasses, useSchoolScope } from '../../components/SchoolScope';
import { Alert, App as AntApp, Button, DatePicker, Descriptions, Empty, Input, Modal, Radio, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { DifficultyLevel } from '../../../../shared/domain/identification';
import {
  OBJECTION_OUTCOME_TEXT,
  PUBLICITY_STATUS_TEXT,
  type Objection,
  type Publicity,
  type PublicityDetail,
} from '../../../../shared/domain/publicity';
import type { School } from '../../../../shared/domain/school';
import type { PublicityRules } from '../../../../shared/rules/publicity';
import { client } from '../../api/client';
import { ExportTableButton } from '../../components/ExportTableButton';
import { PrintPreview } from '../../components/PrintPreview';
import { initialPeriod, periodArgs, PublicityPeriodFields, todayText, type PeriodValue } from '../../components/PublicityPeriod';
import { LEVEL_OPTIONS } from '../../components/tags';

const today = todayText;

function CreateDialog({ school, onClose, onDone }: { school: School; onClose(): void; onDone(id: number): void }) {
  const { message } = AntApp.useApp();
  const classes = useClasses();
  const [rules, setRules] = useState<PublicityRules | null>(null);
  const [period, setPeriod] = useState<PeriodValue>(initialPeriod);
  useEffect(() => {
    client.invoke('publicity.rules', {}).then(setRules, () => setRules(null));
  }, []);
  const create = async () => {
    try {
      const p = await client.invoke('publicity.createIdentification', periodArgs(period, rules));
      message.success(`已生成公示名单（${p.entryCount} 人）`);
      onDone(p.id);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal open width={640} title={`${school.schoolYear}学年认定结果公示`} onCancel={onClose} okText="生成公示" onOk={() => void create()}>
      <p className="muted">
        把已认定、尚未在这一级公示的困难学生（不含“不困难”）列入公示。公示只显示姓名、年级、班级和认定等级。
        {rules?.twoLevel && '本校实行两级公示：先班级公示，再学校公示。'}
      </p>
      <PublicityPeriodFields value={period} onChange={setPeriod} classes={classes} rules={rules} prefix="" />
    </Modal>
  );
}

function ObjectionDialog({ publicity, onClose, onDone }: { publicity: PublicityDetail; onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [studentId, setStudentId] = useState<number | null>(null);
  const [receivedOn, setReceivedOn] = useState(today());
  const [raisedBy, setRaisedBy] = useState('');
  const [content, setContent] = useState('');
  const add = async () => {
    try {
      await client.invoke('publicity.addObjection', { publicityId: publicity.id, studentId, receivedOn, raisedBy, content });
      message.success('已登记异议');
      onDone();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal open title="登记异议" onCancel={onClose} okText="登记" onOk={() => void add()}>
      <div className="form-grid" style={{ gridTemplateColumns: '1fr 1fr' }}>
        <label>
          涉及学生
          <Select
            aria-label="涉及学生"
            showSearch
            optionFilterProp="label"
            allowClear
            value={studentId}
            onChange={(v) => setStudentId(v ?? null)}
            options={publicity.entries.map((e) => ({ value: e.studentId, label: `${e.className} ${e.name}` }))}
            placeholder="（不针对具体学生可不选）"
          />
        </label>
        <label>
          收到日期
          <DatePicker aria-label="收到日期" value={dayjs(receivedOn)} onChange={(d) => d && setReceivedOn(d.format('YYYY-MM-DD'))} />
        </label>
        <label className="wide">
          异议人
          <Input aria-label="异议人" value={raisedBy} onChange={(e) => setRaisedBy(e.target.value)} placeholder="姓名或“匿名电话”" />
        </label>
        <label className="wide">
          异议内容
          <Input.TextArea aria-label="异议内容" rows={3} value={content} onChange={(e) => setContent(e.target.value)} />
        </label>
      </div>
    </Modal>
  );
}

const TIER_CHOICES = [
  { value: 1, label: '改为一档' },
  { value: 2, label: '改为二档' },
  { value: 3, label: '改为三档' },
  { value: 0, label: '取消资助' },
];

function ResolveDialog({
  objection,
  kind,
  onClose,
  onDone,
}: {
  objection: Objection;
  kind: Publicity['kind'];
  onClose(): void;
  onDone(): void;
}) {
  const { message } = AntApp.useApp();
  const [outcome, setOutcome] = useState<'kept' | 'changed'>('kept');
  const [newLevel, setNewLevel] = useState<DifficultyLevel | undefined>();
  const [newTier, setNewTier] = useState<number | undefined>();
  const [reviewNote, setReviewNote] = useState('');
  const [answer, setAnswer] = useState('');
  const [resolvedOn, setResolvedOn] = useState(today());
  const resolve = async () => {
    try {
      const changed = outcome === 'changed';
      await client.invoke('publicity.resolveObjection', {
        objectionId: objection.id,
        outcome,
        reviewNote,
        answer,
        resolvedOn,
        newLevel: changed && kind === 'identification' ? newLevel : undefined,
        newTier: changed && kind === 'programme' && newTier !== undefined ? (newTier === 0 ? null : (newTier as 1 | 2 | 3)) : undefined,
      });
      message.success('已处理并答复');
      onDone();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open
      title={`处理异议：${objection.studentName ?? ''} ${objection.content}`}
      onCancel={onClose}
      okText="保存处理结果"
      onOk={() => void resolve()}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={outcome}
          onChange={(e) => setOutcome(e.target.value as 'kept' | 'changed')}
          options={[
            { value: 'kept', label: '复核后维持' },
            {
              value: 'changed',
              label: kind === 'identification' ? '复核后更改认定等级' : '复核后更改档次',
              disabled: objection.studentId === null,
            },
          ]}
        />
        {outcome === 'changed' && kind === 'identification' && (
          <Select
            aria-label="新的认定等级"
            style={{ width: 160 }}
            value={newLevel}
            onChange={setNewLevel}
            options={LEVEL_OPTIONS}
            placeholder="新的认定等级"
          />
        )}
        {outcome === 'changed' && kind === 'programme' && (
          <Select
            aria-label="新的档次"
            style={{ width: 160 }}
            value={newTier}
            onChange={setNewTier}
            options={TIER_CHOICES}
            placeholder="新的档次"
          />
        )}
        <Input.TextArea
          aria-label="复核情况"
          rows={2}
          placeholder="复核情况（如：家访核实……）"
          value={reviewNote}
          onChange={(e) => setReviewNote(e.target.value)}
        />
        <Input.TextArea
          aria-label="答复内容"
          rows={2}
          placeholder="给异议人的答复"
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
        />
        <DatePicker aria-label="处理日期" value={dayjs(resolvedOn)} onChange={(d) => d && setResolvedOn(d.format('YYYY-MM-DD'))} />
      </Space>
    </Modal>
  );
}

export function PublicityPage({ school }: { school: School }) {
  const { message, modal } = AntApp.useApp();
  const scope = useSchoolScope();
  const [list, setList] = useState<Publicity[]>([]);
  const [current, setCurrent] = useState<PublicityDetail | null>(null);
  const [dialog, setDialog] = useState<'create' | 'objection' | null>(null);
  const [resolving, setResolving] = useState<Objection | null>(null);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const load = useCallback(
    (select?: number) => {
      client.invoke('publicity.list', {}).then(
        (l) => {
          setList(l);
          const id = select ?? current?.id ?? l[0]?.id;
          if (id) client.invoke('publicity.get', { id }).then(setCurrent, (e: Error) => message.error(e.message));
        },
        (e: Error) => message.error(e.message),
      );
    },
    [current?.id, message],
  );
  useEffect(() => load(), []); // eslint-disable-line react-hooks/exhaustive-deps -- first load only

  const close = () => {
    if (!current) return;
    modal.confirm({
      title: '结束公示',
      content: `公示期至 ${current.endsOn}。结束日期为今天（${todayText()}）；公示期未满或还有未处理的异议时不能结束。`,
      okText: '结束公示',
      onOk: async () => {
        try {
          await client.invoke('publicity.close', { id: current.id });
          message.success('公示已结束');
          load(current.id);
        } catch (e) {
          // The message says why; the dialog closes (a rejected onOk would only be logged as an error).
          message.error((e as Error).message);
        }
      },
    });
  };

  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">公示</h1>
        <span style={{ flex: 1 }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('create')}>
          新建认定结果公示
        </Button>
      </div>
      <div className="publicity-layout">
        <Table<Publicity>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={list}
          className="panel"
          onRow={(p) => ({
            onClick: () => load(p.id),
            style: { cursor: 'pointer', background: p.id === current?.id ? '#dcebf9' : undefined },
          })}
          locale={{ emptyText: '还没有公示' }}
          columns={[
            { title: '公示', dataIndex: 'title', ellipsis: true },
            { title: '人数', dataIndex: 'entryCount', width: 56 },
            {
              title: '状态',
              width: 110,
              render: (_, p) => (
                <>
                  <Tag color={p.status === 'open' ? 'processing' : 'default'}>{PUBLICITY_STATUS_TEXT[p.status]}</Tag>
                  {p.openObjections > 0 && <Tag color="red">异议{p.openObjections}</Tag>}
                </>
              ),
            },
          ]}
        />
        <div className="panel page-scroll">
          {!current && <Empty description="选择或新建一个公示" />}
          {current && (
            <>
              <h2 style={{ marginTop: 0 }}>{current.title}</h2>
              <Descriptions
                size="small"
                column={3}
                items={[
                  {
                    key: 'p',
                    label: '公示期',
                    children: `${current.level === 'class' ? `班级公示（${current.className ?? ''}）` : '学校公示'}：${current.startsOn} 至 ${current.endsOn}（${current.workingDays} 个工作日）`,
                  },
                  { key: 't', label: '监督电话', children: current.complaintPhone },
                  {
                    key: 's',
                    label: '状态',
                    children: `${PUBLICITY_STATUS_TEXT[current.status]}${current.closedOn ? `（${current.closedOn} 结束）` : ''}`,
                  },
                  ...(current.backdateReason ? [{ key: 'b', label: '补登原因', span: 3, children: current.backdateReason }] : []),
                ]}
              />
              <Space style={{ margin: '8px 0' }}>
                <Button
                  icon={<PrinterOutlined />}
                  onClick={() =>
                    void client
                      .invoke('print.publicity', { id: current.id, schoolId: scope.schoolId })
                      .then(setDoc, (e: Error) => message.error(e.message))
                  }
                >
                  {scope.schoolId === null ? '打印公示' : `打印公示（${scope.schools.find((x) => x.id === scope.schoolId)?.name ?? ''}）`}
                </Button>
                {current.status === 'open' && <Button onClick={() => setDialog('objection')}>登记异议</Button>}
                {current.status === 'open' && <Button onClick={close}>结束公示</Button>}
                <ExportTableButton
                  title={current.title}
                  headers={['序号', '姓名', '年级', '班级', current.kind === 'identification' ? '认定等级' : '档次/金额']}
                  rows={() => current.entries.map((e, i) => [i + 1, e.name, e.grade, e.className, e.value])}
                />
              </Space>
              {current.openObjections > 0 && (
                <Alert type="warning" showIcon message={`还有 ${current.openObjections} 条异议未处理：处理并答复后才能结束公示。`} />
              )}
              <h3>异议（{current.objections.length}）</h3>
              <Table<Objection>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={current.objections}
                locale={{ emptyText: '没有异议' }}
                columns={[
                  { title: '收到', dataIndex: 'receivedOn', width: 96 },
                  { title: '异议人', dataIndex: 'raisedBy', width: 90 },
                  { title: '学生', dataIndex: 'studentName', width: 70 },
                  { title: '内容', dataIndex: 'content' },
                  {
                    title: '处理',
                    width: 260,
                    render: (_, o) =>
                      o.status === 'open' ? (
                        <Button size="small" type="primary" onClick={() => setResolving(o)}>
                          处理
                        </Button>
                      ) : (
                        <span>
                          {o.resolvedOn} {OBJECTION_OUTCOME_TEXT[o.outcome!]}：{o.answer}
                        </span>
                      ),
                  },
                ]}
              />
              <h3>公示名单（{current.entries.length} 人）</h3>
              <Table
                size="small"
                rowKey="studentId"
                pagination={{ pageSize: 100, hideOnSinglePage: true }}
                dataSource={current.entries}
                columns={[
                  { title: '序号', width: 60, render: (_, __, i) => i + 1 },
                  { title: '姓名', dataIndex: 'name' },
                  { title: '年级', dataIndex: 'grade' },
                  { title: '班级', dataIndex: 'className' },
                  { title: current.kind === 'identification' ? '认定等级' : '档次/金额', dataIndex: 'value' },
                ]}
              />
            </>
          )}
        </div>
      </div>
      {dialog === 'create' && (
        <CreateDialog
          school={school}
          onClose={() => setDialog(null)}
          onDone={(id) => {
            setDialog(null);
            load(id);
          }}
        />
      )}
      {dialog === 'objection' && current && (
        <ObjectionDialog
          publicity={current}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            load(current.id);
          }}
        />
      )}
      {resolving && current && (
        <ResolveDialog
          objection={resolving}
          kind={current.kind}
          onClose={() => setResolving(null)}
          onDone={() => {
            setResolving(null);
            load(current?.id);
          }}
        />
      )}
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
    </div>
  );
}

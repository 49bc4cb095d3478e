import { DownloadOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Dropdown, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { CaseRow } from '../../../../shared/api/surveys';
import { IDENTIFICATION_STATUS_TEXT, LEVEL_TEXT, type DifficultyLevel } from '../../../../shared/domain/identification';
import { PRIORITY_GROUPS } from '../../../../shared/domain/priority-group';
import type { SchoolClass } from '../../../../shared/domain/school';
import { SURVEY_STATUS_TEXT } from '../../../../shared/domain/survey';
import { fenToYuan, formatYuan } from '../../../../shared/rules/money';
import { client } from '../../api/client';
import { useRemembered } from '../../components/remembered';
import { saveFile } from '../../components/files';
import { ExportTableButton } from '../../components/ExportTableButton';
import { GroupTags, LEVEL_OPTIONS, LevelTag } from '../../components/tags';
import { CaseDrawer } from './CaseDrawer';
import { SurveyImportDialog } from './SurveyImportDialog';
import { today } from '../../api/today';

interface Vote {
  agree: number;
  disagree: number;
  abstain: number;
  proposal: DifficultyLevel;
}

function PanelDialog({
  classId,
  className,
  cases,
  onClose,
  onDone,
}: {
  classId: number;
  className: string;
  cases: CaseRow[];
  onClose(): void;
  onDone(): void;
}) {
  const { message } = AntApp.useApp();
  const open = cases.filter((c) => c.identification === 'open');
  const [members, setMembers] = useState<string[]>([]);
  const [heldOn, setHeldOn] = useState(today());
  const [votes, setVotes] = useState<Record<number, Vote>>(() =>
    Object.fromEntries(
      open.map((c) => [
        c.identificationId!,
        { agree: 0, disagree: 0, abstain: 0, proposal: c.panelLevel ?? c.suggestedLevel ?? 'general' },
      ]),
    ),
  );
  const setVote = (id: number, patch: Partial<Vote>) => setVotes((v) => ({ ...v, [id]: { ...v[id]!, ...patch } }));
  const submit = async () => {
    try {
      await client.invoke('identification.panel', {
        classId,
        heldOn,
        members,
        votes: open.map((c) => ({ identificationId: c.identificationId!, ...votes[c.identificationId!]! })),
      });
      message.success(`已记录${className}的民主评议`);
      onDone();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open
      width={820}
      title={`班级民主评议：${className}`}
      onCancel={onClose}
      okText="保存评议结果"
      onOk={() => void submit()}
      okButtonProps={{ disabled: open.length === 0 }}
    >
      {open.length === 0 ? (
        <p>本班没有待评议的学生（先保存调查表并评分）。</p>
      ) : (
        <>
          <Space style={{ marginBottom: 10 }} wrap>
            <Select
              aria-label="评议小组成员"
              mode="tags"
              style={{ minWidth: 420 }}
              value={members}
              onChange={setMembers}
              placeholder="评议小组成员：输入姓名后回车（班主任、教师、家长和学生代表，至少 3 人）"
            />
            <DatePicker aria-label="评议日期" value={dayjs(heldOn)} onChange={(d) => d && setHeldOn(d.format('YYYY-MM-DD'))} />
          </Space>
          <Table
            size="small"
            rowKey="studentId"
            pagination={false}
            dataSource={open}
            columns={[
              { title: '姓名', dataIndex: 'name', width: 90 },
              { title: '评分', dataIndex: 'score', width: 60 },
              { title: '建议', width: 90, render: (_, c) => <LevelTag level={c.suggestedLevel} /> },
              ...(['agree', 'disagree', 'abstain'] as const).map((k) => ({
                title: { agree: '同意', disagree: '不同意', abstain: '弃权' }[k],
                width: 80,
                render: (_: unknown, c: CaseRow) => (
                  <InputNumber
                    aria-label={`${c.name}${{ agree: '同意', disagree: '不同意', abstain: '弃权' }[k]}票`}
                    min={0}
                    max={99}
                    value={votes[c.identificationId!]![k]}
                    onChange={(v) => setVote(c.identificationId!, { [k]: v ?? 0 })}
                  />
                ),
              })),
              {
                title: '评议意见',
                width: 130,
                render: (_, c) => (
                  <Select
                    aria-label={`${c.name}评议意见`}
                    style={{ width: 120 }}
                    value={votes[c.identificationId!]!.proposal}
                    onChange={(proposal) => setVote(c.identificationId!, { proposal })}
                    options={LEVEL_OPTIONS}
                  />
                ),
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}

function DecideDialog({ cases, onClose, onDone }: { cases: CaseRow[]; onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const open = cases.filter((c) => c.identification === 'open' && (c.suggestedLevel || c.panelLevel));
  const [rows, setRows] = useState<Record<number, { level: DifficultyLevel; reason: string }>>(() =>
    Object.fromEntries(open.map((c) => [c.identificationId!, { level: c.panelLevel ?? c.suggestedLevel!, reason: '' }])),
  );
  const [decidedOn, setDecidedOn] = useState(today());
  const [decidedBy, setDecidedBy] = useState('学校认定工作组');
  const submit = async () => {
    try {
      const r = await client.invoke('identification.decide', {
        decisions: open.map((c) => ({ identificationId: c.identificationId!, ...rows[c.identificationId!]! })),
        decidedOn,
        decidedBy,
      });
      message.success(`已认定 ${r.decided} 人`);
      onDone();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open
      width={860}
      title="学校认定"
      onCancel={onClose}
      okText="确认认定"
      onOk={() => void submit()}
      okButtonProps={{ disabled: open.length === 0 }}
    >
      <Space style={{ marginBottom: 10 }}>
        <DatePicker aria-label="认定日期" value={dayjs(decidedOn)} onChange={(d) => d && setDecidedOn(d.format('YYYY-MM-DD'))} />
        <Input aria-label="认定人" value={decidedBy} onChange={(e) => setDecidedBy(e.target.value)} style={{ width: 200 }} />
      </Space>
      <Table
        size="small"
        rowKey="studentId"
        pagination={false}
        dataSource={open}
        scroll={{ y: 420 }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '评分', dataIndex: 'score', width: 60 },
          { title: '建议', width: 90, render: (_, c) => <LevelTag level={c.suggestedLevel} /> },
          { title: '评议', width: 90, render: (_, c) => <LevelTag level={c.panelLevel} /> },
          {
            title: '认定等级',
            width: 130,
            render: (_, c) => (
              <Select
                aria-label={`${c.name}认定等级`}
                style={{ width: 120 }}
                value={rows[c.identificationId!]!.level}
                onChange={(level) => setRows((r) => ({ ...r, [c.identificationId!]: { ...r[c.identificationId!]!, level } }))}
                options={LEVEL_OPTIONS}
              />
            ),
          },
          {
            title: '理由（与建议不同时必填）',
            render: (_, c) => {
              const row = rows[c.identificationId!]!;
              const need = c.suggestedLevel !== null && row.level !== c.suggestedLevel;
              return (
                <Input
                  aria-label={`${c.name}认定理由`}
                  status={need && row.reason.trim().length < 2 ? 'error' : undefined}
                  value={row.reason}
                  onChange={(e) => setRows((r) => ({ ...r, [c.identificationId!]: { ...row, reason: e.target.value } }))}
                />
              );
            },
          },
        ]}
      />
    </Modal>
  );
}

export function CasesTab({ classes, onPrint }: { classes: SchoolClass[]; onPrint(doc: PrintDocument): void }) {
  const { message, modal } = AntApp.useApp();
  const [classId, setClassId] = useRemembered<number | null>('surveys.class', null);
  const [search, setSearch] = useState('');
  const [cases, setCases] = useState<CaseRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<CaseRow | null>(null);
  const [dialog, setDialog] = useState<'panel' | 'decide' | 'import' | null>(null);
  useEffect(() => {
    // The remembered class, while it still exists; else the first.
    if (classes.length && !classes.some((c) => c.id === classId)) setClassId(classes[0]!.id);
  }, [classes, classId, setClassId]);
  const load = useCallback(() => {
    if (classId === null) return;
    setLoading(true);
    client
      .invoke('surveys.cases', { classId, search })
      .then(setCases, (e: Error) => message.error(e.message))
      .finally(() => setLoading(false));
  }, [classId, search, message]);
  useEffect(load, [load]);
  const cls = classes.find((c) => c.id === classId);
  const counts = useMemo(
    () => ({
      surveys: cases.filter((c) => c.survey).length,
      open: cases.filter((c) => c.identification === 'open').length,
      decided: cases.filter((c) => c.identification === 'decided').length,
    }),
    [cases],
  );

  const run = async (what: () => Promise<string>) => {
    try {
      message.success(await what());
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const direct = () =>
    modal.confirm({
      title: '按县级名单直接认定',
      content:
        '把已按县级名单标记为脱贫家庭、监测对象、低保、特困供养、孤儿或事实无人抚养的在校学生，直接认定为“特别困难”（已认定的不变）。',
      okText: '直接认定',
      onOk: () =>
        run(async () => {
          const r = await client.invoke('identification.direct', { decidedOn: today(), decidedBy: '学校认定工作组' });
          return `已直接认定 ${r.identified} 人${r.skipped ? `，${r.skipped} 人已有认定未改动` : ''}`;
        }),
    });

  return (
    <div className="page-tab">
      <div className="toolbar">
        <Select
          aria-label="班级"
          showSearch
          optionFilterProp="label"
          style={{ width: 160 }}
          value={classId}
          onChange={setClassId}
          options={classes.map((c) => ({ value: c.id, label: `${c.label}（${c.studentCount}人）` }))}
        />
        <Input.Search aria-label="搜索姓名" allowClear placeholder="姓名" style={{ width: 120 }} onSearch={setSearch} />
        <Button onClick={() => void run(async () => `已评分 ${(await client.invoke('identification.score', { classId })).scored} 人`)}>
          量化评分
        </Button>
        <Button onClick={() => setDialog('panel')}>班级评议</Button>
        <Button type="primary" onClick={() => setDialog('decide')}>
          学校认定
        </Button>
        <Dropdown
          menu={{
            items: [
              {
                key: 'carry',
                label: '结转上一学年调查表（本班）',
                onClick: () =>
                  void run(async () => {
                    const r = await client.invoke('surveys.carryForward', { classId });
                    return `已结转 ${r.created} 份草稿`;
                  }),
              },
              { key: 'direct', label: '按县级名单直接认定（全校）', onClick: direct },
            ],
          }}
        >
          <Button>更多</Button>
        </Dropdown>
        <span style={{ flex: 1 }} />
        <Button
          icon={<DownloadOutlined />}
          disabled={!classId}
          onClick={() =>
            void client.invoke('surveys.exportClass', { classId: classId! }).then(saveFile, (e: Error) => message.error(e.message))
          }
        >
          导出调查表
        </Button>
        <Button icon={<UploadOutlined />} onClick={() => setDialog('import')}>
          导入调查表
        </Button>
        <Button
          icon={<PrinterOutlined />}
          disabled={!classId}
          onClick={() => void client.invoke('print.surveyForms', { classId }).then(onPrint, (e: Error) => message.error(e.message))}
        >
          打印申请表
        </Button>
      </div>
      <div className="muted" style={{ margin: '6px 0', display: 'flex', alignItems: 'center', gap: 12 }}>
        <span style={{ flex: 1 }}>
          {cls?.name}：在校 {cases.length} 人，已填调查表 {counts.surveys} 人，评议中 {counts.open} 人，已认定 {counts.decided} 人
        </span>
        <ExportTableButton
          size="small"
          title={`${cls?.name ?? ''}家庭调查与认定`}
          headers={['姓名', '特殊群体', '调查表', '人均年收入（元）', '评分', '建议等级', '评议意见', '认定等级', '家访次数']}
          rows={() =>
            cases.map((c) => [
              c.name,
              c.flags.map((g) => PRIORITY_GROUPS[g]).join('、'),
              c.survey ? SURVEY_STATUS_TEXT[c.survey] : '未填',
              c.perCapitaIncome === null ? null : fenToYuan(c.perCapitaIncome),
              c.score,
              c.suggestedLevel ? LEVEL_TEXT[c.suggestedLevel] : '',
              c.panelLevel ? LEVEL_TEXT[c.panelLevel] : '',
              c.identification === 'decided' && c.level ? LEVEL_TEXT[c.level] : '',
              c.visits,
            ])
          }
        />
      </div>
      <Table<CaseRow>
        className="cases-table"
        size="small"
        rowKey="studentId"
        loading={loading}
        dataSource={cases}
        pagination={false}
        scroll={{ y: 'calc(100vh - 300px)' }}
        onRow={(c) => ({ onClick: () => setOpen(c), style: { cursor: 'pointer' } })}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '特殊群体', width: 200, render: (_, c) => <GroupTags groups={c.flags} /> },
          {
            title: '调查表',
            width: 80,
            render: (_, c) =>
              c.survey ? (
                <Tag color={c.survey === 'complete' ? 'green' : 'default'}>{SURVEY_STATUS_TEXT[c.survey]}</Tag>
              ) : (
                <span className="muted">未填</span>
              ),
          },
          { title: '人均年收入', width: 110, render: (_, c) => (c.perCapitaIncome === null ? '' : formatYuan(c.perCapitaIncome)) },
          { title: '评分', dataIndex: 'score', width: 60 },
          { title: '建议等级', width: 90, render: (_, c) => <LevelTag level={c.suggestedLevel} /> },
          { title: '评议意见', width: 90, render: (_, c) => <LevelTag level={c.panelLevel} /> },
          {
            title: '认定',
            width: 140,
            render: (_, c) =>
              c.identification === 'decided' ? (
                <>
                  <LevelTag level={c.level} />
                  {c.direct && <Tag>名单</Tag>}
                </>
              ) : c.identification ? (
                IDENTIFICATION_STATUS_TEXT[c.identification]
              ) : (
                ''
              ),
          },
          { title: '家访', dataIndex: 'visits', width: 60 },
        ]}
      />
      {open && <CaseDrawer studentId={open.studentId} name={open.name} onClose={() => setOpen(null)} onChanged={load} onPrint={onPrint} />}
      {dialog === 'panel' && cls && (
        <PanelDialog
          classId={cls.id}
          className={cls.name}
          cases={cases}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            load();
          }}
        />
      )}
      {dialog === 'decide' && (
        <DecideDialog
          cases={cases}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            load();
          }}
        />
      )}
      {dialog === 'import' && (
        <SurveyImportDialog
          onClose={() => {
            setDialog(null);
            load();
          }}
        />
      )}
    </div>
  );
}

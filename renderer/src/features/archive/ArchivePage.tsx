import { PaperClipOutlined, PlusOutlined, PrinterOutlined, SettingOutlined } from '@ant-design/icons';
import { useSchoolScope } from '../../components/SchoolScope';
import { App as AntApp, Button, Checkbox, Drawer, Input, Progress, Select, Space, Table, Tabs, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import {
  ARCHIVE_SCOPE_TEXT,
  ARCHIVE_STATUS_TEXT,
  type ArchiveDefinition,
  type ArchiveItem,
  type ArchiveOverview,
  type ArchiveScope,
  type ArchiveStatus,
  type Completeness,
} from '../../../../shared/domain/archive';
import type { School } from '../../../../shared/domain/school';
import { termText } from '../../../../shared/rules/term';
import { client } from '../../api/client';
import { remembered, useRemembered } from '../../components/remembered';
import { useRememberedTerm } from '../../components/TermProgramme';
import { PrintPreview } from '../../components/PrintPreview';
import { TermSelect } from '../../components/TermProgramme';
import { ArchiveItemDialog, AttachmentThumb, useAttachmentOpener } from './ArchiveItemDialog';

const STATUS_COLOR: Record<ArchiveStatus, string> = { missing: 'red', partial: 'gold', complete: 'green' };
const keyOf = (i: ArchiveItem) => ({
  definitionId: i.definitionId,
  period: i.period,
  programmeId: i.programmeId,
  studentId: i.studentId,
  schoolId: i.schoolId,
});
const rowKey = (i: ArchiveItem) => `${i.definitionId}|${i.period}|${i.programmeId}|${i.studentId}|${i.schoolId}`;
/** A programme's documents of one school of the desk. */
const programmeKey = (p: { programmeId: number; schoolId: number }) => `${p.programmeId}|${p.schoolId}`;

function CompletenessCard({ c, onClick }: { c: Completeness; onClick?(): void }) {
  const pct = (n: number) => (c.total ? Math.round((n / c.total) * 100) : 0);
  return (
    <div
      className="archive-card"
      role="group"
      aria-label={`完整度 ${c.label}`}
      onClick={onClick}
      style={{ cursor: onClick ? 'pointer' : undefined }}
    >
      <b title={c.label}>{c.label}</b>
      <Progress
        percent={pct(c.complete + c.partial)}
        success={{ percent: pct(c.complete) }}
        size="small"
        format={() => `${pct(c.complete)}%`}
      />
      <span className="muted">
        齐全 {c.complete} · 部分 {c.partial} · 缺 {c.missing}
      </span>
      <div style={{ fontSize: 12, color: c.requiredOpen ? '#d46b08' : '#389e0d' }}>
        {c.requiredOpen ? `必备未齐 ${c.requiredOpen} 项` : '必备齐全'}
      </div>
    </div>
  );
}

function ItemTable({
  items,
  onOpen,
  onOpenFile,
}: {
  items: ArchiveItem[];
  onOpen(i: ArchiveItem): void;
  onOpenFile: ReturnType<typeof useAttachmentOpener>['open'];
}) {
  const { several, schoolId } = useSchoolScope();
  const showSchool = several && schoolId === null;
  return (
    <Table<ArchiveItem>
      size="small"
      rowKey={rowKey}
      pagination={false}
      dataSource={items}
      columns={[
        ...(showSchool ? [{ title: '学校', width: 150, render: (_: unknown, i: ArchiveItem) => i.schoolName }] : []),
        {
          title: '档案',
          width: 170,
          render: (_, i) => (
            <Space size={4}>
              <a onClick={() => onOpen(i)}>{i.name}</a>
              {i.required && <Tag color="orange">必备</Tag>}
            </Space>
          ),
        },
        {
          title: '状态',
          width: 96,
          render: (_, i) => (
            <Space size={2} direction="vertical">
              <Tag color={STATUS_COLOR[i.status]}>{ARCHIVE_STATUS_TEXT[i.status]}</Tag>
              {i.status !== 'complete' && i.attachments.some((a) => a.source === 'generated') && (
                <span className="muted" title="程序打印或导入的文件只作留底，签字件（扫描件）或核对后标为齐全才算齐全">
                  有程序留底
                </span>
              )}
            </Space>
          ),
        },
        {
          title: '附件',
          render: (_, i) => (
            <div className="attachment-list">
              {i.attachments.map((a) => (
                <AttachmentThumb key={a.id} a={a} onOpen={(x) => void onOpenFile(x)} />
              ))}
            </div>
          ),
        },
        { title: '备注', dataIndex: 'note', width: 220, ellipsis: true },
        {
          title: '',
          width: 110,
          render: (_, i) => (
            <Button size="small" icon={<PaperClipOutlined />} onClick={() => onOpen(i)}>
              登记/附件
            </Button>
          ),
        },
      ]}
    />
  );
}

/** The student items of one class: a row per student, a column per item; a column can be ticked for the whole class. */
function StudentGrid({
  items,
  onOpen,
  onSet,
}: {
  items: ArchiveItem[];
  onOpen(i: ArchiveItem): void;
  onSet(items: ArchiveItem[], s: ArchiveStatus): void;
}) {
  const names = [...new Set(items.map((i) => i.name))];
  const students = [...new Map(items.map((i) => [i.studentId, i])).values()];
  const cell = (studentId: number, name: string) => items.find((i) => i.studentId === studentId && i.name === name)!;
  return (
    <Table<ArchiveItem>
      size="small"
      rowKey="studentId"
      pagination={false}
      dataSource={students}
      scroll={{ y: 'calc(100vh - 420px)' }}
      columns={[
        { title: '学生', width: 110, render: (_, s) => s.studentName },
        ...names.map((n) => ({
          title: (
            <Space size={4}>
              {n}
              <Tooltip title={`本班“${n}”全部标为齐全`}>
                <Button
                  size="small"
                  type="link"
                  onClick={() =>
                    onSet(
                      items.filter((i) => i.name === n),
                      'complete',
                    )
                  }
                >
                  全齐
                </Button>
              </Tooltip>
            </Space>
          ),
          render: (_: unknown, s: ArchiveItem) => {
            const i = cell(s.studentId, n);
            return (
              <Space size={2}>
                <Select
                  size="small"
                  aria-label={`${s.studentName}${n}`}
                  value={i.status}
                  style={{ width: 76 }}
                  onChange={(v) => onSet([i], v)}
                  options={(['missing', 'partial', 'complete'] as ArchiveStatus[]).map((x) => ({
                    value: x,
                    label: ARCHIVE_STATUS_TEXT[x],
                  }))}
                />
                <Button
                  size="small"
                  type="text"
                  icon={<PaperClipOutlined />}
                  aria-label={`${s.studentName}${n}附件`}
                  onClick={() => onOpen(i)}
                >
                  {i.attachments.length || ''}
                </Button>
              </Space>
            );
          },
        })),
      ]}
    />
  );
}

function CatalogueDrawer({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const { message } = AntApp.useApp();
  const [defs, setDefs] = useState<ArchiveDefinition[]>([]);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ArchiveScope>('term');
  const load = useCallback(() => void client.invoke('archive.definitions', { includeInactive: true }).then(setDefs), []);
  useEffect(load, [load]);
  const save = async (d: Omit<ArchiveDefinition, 'id' | 'sort' | 'producedBy'> & { id?: number }) => {
    try {
      await client.invoke('archive.saveDefinition', d);
      load();
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Drawer open width={620} title="档案目录设置" onClose={onClose}>
      <p className="muted">
        全校通用，适用于每个学期。“必备”的项目档案和学生个人档案齐全后，申请才能归档。停用的项目不再列出，已登记的内容保留。
      </p>
      <Table<ArchiveDefinition>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={defs}
        columns={[
          { title: '范围', width: 110, render: (_, d) => ARCHIVE_SCOPE_TEXT[d.scope] },
          { title: '名称', dataIndex: 'name' },
          {
            title: '必备',
            width: 60,
            render: (_, d) => (
              <Checkbox
                aria-label={`${d.name}必备`}
                checked={d.required}
                onChange={(e) => void save({ ...d, required: e.target.checked })}
              />
            ),
          },
          {
            title: '保管期限',
            width: 100,
            render: (_, d) => (
              <Input
                size="small"
                defaultValue={d.retention}
                onBlur={(e) => e.target.value !== d.retention && void save({ ...d, retention: e.target.value })}
              />
            ),
          },
          {
            title: '启用',
            width: 60,
            render: (_, d) => (
              <Checkbox aria-label={`${d.name}启用`} checked={d.active} onChange={(e) => void save({ ...d, active: e.target.checked })} />
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Select
          aria-label="新档案范围"
          value={scope}
          onChange={setScope}
          style={{ width: 140 }}
          options={(Object.keys(ARCHIVE_SCOPE_TEXT) as ArchiveScope[]).map((s) => ({ value: s, label: ARCHIVE_SCOPE_TEXT[s] }))}
        />
        <Input aria-label="新档案名称" value={name} onChange={(e) => setName(e.target.value)} placeholder="如 家长委托书" />
        <Button
          icon={<PlusOutlined />}
          onClick={() => void save({ scope, name, required: false, retention: '', active: true }).then(() => setName(''))}
        >
          添加
        </Button>
      </Space>
    </Drawer>
  );
}

/** 档案: the term's archive checklist, its completeness at a glance, attachments, the catalogue print and labels. */
export function ArchivePage({ school }: { school: School }) {
  const { message } = AntApp.useApp();
  const [term, setTerm] = useRememberedTerm(school, 'archive');
  const [overview, setOverview] = useState<ArchiveOverview | null>(null);
  const [items, setItems] = useState<ArchiveItem[]>([]);
  const [tab, setTab] = useRemembered<ArchiveScope>('archive.tab', 'term');
  const [programme, setProgramme] = useState<string | null>(null);
  const { schoolId } = useSchoolScope();
  const [classId, setClassId] = useRemembered<number | null>('archive.class', null);
  const [open, setOpen] = useState<ArchiveItem | null>(null);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const [settings, setSettings] = useState(false);
  const opener = useAttachmentOpener(setDoc);
  const load = useCallback(() => {
    client.invoke('archive.overview', { term, schoolId }).then(
      (o) => {
        setOverview(o);
        const wanted = remembered<number | null>('archive.programmeId', null);
        setProgramme((p) => {
          if (o.programmes.some((x) => programmeKey(x) === p)) return p;
          const first = o.programmes.find((x) => x.programmeId === wanted) ?? o.programmes[0];
          return first ? programmeKey(first) : null;
        });
        setClassId((c) => (o.classes.some((x) => x.classId === c) ? c : (o.classes[0]?.classId ?? null)));
      },
      (e: Error) => message.error(e.message),
    );
    client.invoke('archive.items', { term, schoolId }).then(setItems, (e: Error) => message.error(e.message));
  }, [term, schoolId, message, setClassId]);
  useEffect(load, [load]);
  const setStatus = async (list: ArchiveItem[], status: ArchiveStatus) => {
    try {
      await client.invoke('archive.set', { keys: list.map(keyOf), status });
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const print = (name: 'print.archiveCatalogue' | 'print.archiveLabels') =>
    client.invoke(name, { term, schoolId }).then(setDoc, (e: Error) => message.error(e.message));
  const programmeItems = items.filter((i) => i.scope === 'programme' && programmeKey(i) === programme);
  const classItems = items.filter((i) => i.scope === 'student' && (i.classId ?? 0) === classId);
  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">档案</h1>
        <TermSelect term={term} onChange={setTerm} />
        <span className="muted">学生个人档案按学年（{overview?.schoolYear}）保存</span>
        <span style={{ flex: 1 }} />
        <Button icon={<PrinterOutlined />} onClick={() => void print('print.archiveCatalogue')}>
          打印档案目录
        </Button>
        <Button icon={<PrinterOutlined />} onClick={() => void print('print.archiveLabels')}>
          打印档案盒标签
        </Button>
        <Button icon={<SettingOutlined />} onClick={() => setSettings(true)}>
          目录设置
        </Button>
      </div>
      {overview && (
        <div className="archive-cards" aria-label="档案完整度">
          <CompletenessCard c={overview.year} />
          <CompletenessCard c={{ ...overview.termItems, label: `${termText(term)}综合档案` }} onClick={() => setTab('term')} />
          {overview.programmes.map((p) => (
            <CompletenessCard
              key={programmeKey(p)}
              c={p}
              onClick={() => {
                setTab('programme');
                setProgramme(programmeKey(p));
              }}
            />
          ))}
          {overview.classes.length > 0 && (
            <CompletenessCard
              c={overview.classes.reduce<Completeness>(
                (a, c) => ({
                  ...a,
                  total: a.total + c.total,
                  complete: a.complete + c.complete,
                  partial: a.partial + c.partial,
                  missing: a.missing + c.missing,
                  requiredOpen: a.requiredOpen + c.requiredOpen,
                }),
                {
                  label: `学生个人档案（${overview.classes.length} 个班）`,
                  total: 0,
                  complete: 0,
                  partial: 0,
                  missing: 0,
                  requiredOpen: 0,
                },
              )}
              onClick={() => setTab('student')}
            />
          )}
        </div>
      )}
      <Tabs
        className="fill-tabs"
        activeKey={tab}
        onChange={(k) => setTab(k as ArchiveScope)}
        items={[
          {
            key: 'term',
            label: '学期综合档案',
            children: <ItemTable items={items.filter((i) => i.scope === 'term')} onOpen={setOpen} onOpenFile={opener.open} />,
          },
          {
            key: 'programme',
            label: '项目档案',
            children: (
              <div className="page-tab">
                <Space style={{ marginBottom: 8 }}>
                  <Select
                    aria-label="档案项目"
                    style={{ width: 280 }}
                    value={programme}
                    onChange={setProgramme}
                    placeholder="本学期没有受助学生的项目不列出"
                    options={overview?.programmes.map((p) => ({ value: programmeKey(p), label: p.label })) ?? []}
                  />
                </Space>
                <ItemTable items={programmeItems} onOpen={setOpen} onOpenFile={opener.open} />
              </div>
            ),
          },
          {
            key: 'student',
            label: '学生个人档案',
            children: (
              <div className="page-tab">
                <Space style={{ marginBottom: 8 }}>
                  <Select
                    aria-label="档案班级"
                    style={{ width: 260 }}
                    value={classId}
                    onChange={setClassId}
                    options={
                      overview?.classes.map((c) => ({ value: c.classId, label: `${c.label}（齐全 ${c.complete}/${c.total}）` })) ?? []
                    }
                  />
                  <span className="muted">本学期有受助申请的学生</span>
                </Space>
                <StudentGrid items={classItems} onOpen={setOpen} onSet={(l, s) => void setStatus(l, s)} />
              </div>
            ),
          },
        ]}
      />
      {open && <ArchiveItemDialog key={rowKey(open)} item={open} onClose={() => setOpen(null)} onChanged={load} onDocument={setDoc} />}
      {settings && <CatalogueDrawer onClose={() => setSettings(false)} onSaved={load} />}
      {opener.viewer}
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
    </div>
  );
}

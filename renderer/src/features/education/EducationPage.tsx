import {
  App as AntApp,
  Button,
  DatePicker,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Table,
  Tabs,
  Tag,
  Upload,
} from 'antd';
import { useClasses } from '../../components/SchoolScope';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import {
  ACTIVITY_THEME_TEXT,
  ACTIVITY_THEMES,
  COMPLAINT_CHANNEL_TEXT,
  type Activity,
  type ActivityTheme,
  type Complaint,
  type ComplaintChannel,
  type TwoLessons,
  FOLLOW_UP_KIND_TEXT,
  FOLLOW_UP_KINDS,
  type FollowUp,
  type FollowUpKind,
  type GraduateFollowUp,
} from '../../../../shared/domain/education';
import type { School, SchoolClass } from '../../../../shared/domain/school';
import { termText } from '../../../../shared/rules/term';
import { client, fileToBase64 } from '../../api/client';
import { today } from '../../api/today';
import { TermSelect, useRememberedTerm } from '../../components/TermProgramme';

/** A date field with nothing after the core's today: what is recorded has happened. */
function PastDate({ label, value, onChange }: { label: string; value: string | null; onChange(v: string | null): void }) {
  return (
    <label>
      {label}
      <DatePicker
        aria-label={label}
        value={value ? dayjs(value) : null}
        disabledDate={(d) => d.format('YYYY-MM-DD') > today()}
        onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : null)}
      />
    </label>
  );
}

function ActivityDialog({ classes, onClose, onDone }: { classes: SchoolClass[]; onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [heldOn, setHeldOn] = useState<string | null>(today());
  const [theme, setTheme] = useState<ActivityTheme>('policyLesson');
  const [title, setTitle] = useState('');
  const [classIds, setClassIds] = useState<number[]>([]);
  const [attendance, setAttendance] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const save = async () => {
    if (!heldOn) return message.error('请选择活动日期');
    try {
      await client.invoke('education.record', {
        heldOn,
        theme,
        title,
        classIds,
        attendance: attendance ?? 0,
        note,
        photos: await Promise.all(photos.map(async (f) => ({ fileName: f.name, dataBase64: await fileToBase64(f) }))),
      });
      message.success('活动已登记');
      onDone();
    } catch (e) {
      message.error((e as Error).message, 8);
    }
  };
  return (
    <Modal open width={720} title="登记资助育人活动" onCancel={onClose} onOk={() => void save()} okText="登记">
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <PastDate label="活动日期" value={heldOn} onChange={setHeldOn} />
        <label>
          主题
          <Select
            aria-label="主题"
            value={theme}
            onChange={setTheme}
            options={ACTIVITY_THEMES.map((t) => ({ value: t, label: ACTIVITY_THEME_TEXT[t] }))}
          />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          活动名称
          <Input aria-label="活动名称" value={title} placeholder="如：“诚信伴我成长”主题班会" onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          参加班级（不选为全校）
          <Select
            aria-label="参加班级"
            mode="multiple"
            value={classIds}
            onChange={setClassIds}
            options={classes.map((c) => ({ value: c.id, label: c.label }))}
            optionFilterProp="label"
          />
        </label>
        <label>
          参加人数
          <InputNumber<number> aria-label="参加人数" min={0} value={attendance} onChange={setAttendance} style={{ width: '100%' }} />
        </label>
        <label>
          照片（最多 10 张）
          <Upload
            multiple
            accept="image/*"
            fileList={photos.map((f, i) => ({ uid: String(i), name: f.name, status: 'done' as const }))}
            onRemove={(f) => setPhotos(photos.filter((_, i) => String(i) !== f.uid))}
            beforeUpload={(f) => {
              setPhotos((p) => [...p, f].slice(0, 10));
              return false;
            }}
          >
            <Button>选择照片</Button>
          </Upload>
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          说明
          <Input aria-label="说明" value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
      </div>
    </Modal>
  );
}

function ActivitiesTab({ school }: { school: School }) {
  const { message } = AntApp.useApp();
  const [term, setTerm] = useRememberedTerm(school, 'education');
  const [activities, setActivities] = useState<Activity[]>([]);
  const [lessons, setLessons] = useState<TwoLessons | null>(null);
  const classes = useClasses();
  const [adding, setAdding] = useState(false);
  const load = useCallback(() => {
    client.invoke('education.list', { term }).then(setActivities, (e: Error) => message.error(e.message));
    client.invoke('education.twoLessons', { term }).then(setLessons, (e: Error) => message.error(e.message));
  }, [term, message]);
  useEffect(load, [load]);
  return (
    <div>
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <TermSelect term={term} onChange={setTerm} />
        <span className="muted">
          {lessons ? `两节课（资助政策宣传课 + 诚信/感恩/自强教育）：已上 ${lessons.done}/${lessons.classes.length} 个班` : ''}
        </span>
        <span style={{ flex: 1 }} />
        <Button type="primary" onClick={() => setAdding(true)}>
          登记活动
        </Button>
      </div>
      <Table<Activity>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={activities}
        locale={{ emptyText: `${termText(term)}还没有登记资助育人活动` }}
        columns={[
          { title: '日期', dataIndex: 'heldOn', width: 110 },
          { title: '主题', dataIndex: 'theme', width: 130, render: (t: ActivityTheme) => <Tag>{ACTIVITY_THEME_TEXT[t]}</Tag> },
          { title: '活动名称', dataIndex: 'title' },
          { title: '班级', dataIndex: 'classNames', render: (n: string[]) => n.join('、') },
          { title: '人数', dataIndex: 'attendance', width: 70 },
          { title: '照片', dataIndex: 'photos', width: 70, render: (p: Activity['photos']) => (p.length ? `${p.length} 张` : '') },
          {
            title: '',
            width: 80,
            render: (_, a) => (
              <Popconfirm
                title="删除这条活动记录？"
                onConfirm={() => client.invoke('education.remove', { id: a.id }).then(load, (e: Error) => message.error(e.message))}
              >
                <Button size="small" danger>
                  删除
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {lessons && (
        <>
          <h3 style={{ marginTop: 16 }}>两节课（{termText(term)}）</h3>
          <Table
            size="small"
            rowKey="classId"
            pagination={false}
            dataSource={lessons.classes}
            columns={[
              { title: '班级', dataIndex: 'className' },
              {
                title: '资助政策宣传课',
                dataIndex: 'policyLesson',
                render: (v: boolean) => (v ? <Tag color="green">已上</Tag> : <Tag color="red">未上</Tag>),
              },
              {
                title: '诚信/感恩/自强教育',
                dataIndex: 'education',
                render: (v: boolean) => (v ? <Tag color="green">已上</Tag> : <Tag color="red">未上</Tag>),
              },
            ]}
          />
        </>
      )}
      {adding && (
        <ActivityDialog
          classes={classes}
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            load();
          }}
        />
      )}
    </div>
  );
}

function ComplaintDialog({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [receivedOn, setReceivedOn] = useState<string | null>(today());
  const [channel, setChannel] = useState<ComplaintChannel>('phone');
  const [raisedBy, setRaisedBy] = useState('');
  const [content, setContent] = useState('');
  const [reason, setReason] = useState('');
  const save = () =>
    receivedOn &&
    client
      .invoke('complaints.record', { receivedOn, channel, raisedBy, content, backdateReason: receivedOn < today() ? reason : null })
      .then(
        () => {
          message.success('已登记');
          onDone();
        },
        (e: Error) => message.error(e.message, 8),
      );
  return (
    <Modal open width={640} title="登记投诉或异议" onCancel={onClose} onOk={() => void save()} okText="登记">
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <PastDate label="收到日期" value={receivedOn} onChange={setReceivedOn} />
        <label>
          渠道
          <Select
            aria-label="渠道"
            value={channel}
            onChange={setChannel}
            options={(Object.keys(COMPLAINT_CHANNEL_TEXT) as ComplaintChannel[]).map((c) => ({
              value: c,
              label: COMPLAINT_CHANNEL_TEXT[c],
            }))}
          />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          反映人（可匿名）
          <Input aria-label="反映人" value={raisedBy} onChange={(e) => setRaisedBy(e.target.value)} />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          反映内容
          <Input.TextArea aria-label="反映内容" rows={3} value={content} onChange={(e) => setContent(e.target.value)} />
        </label>
        {receivedOn && receivedOn < today() && (
          <label style={{ gridColumn: '1 / -1' }}>
            补登原因
            <Input aria-label="补登原因" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        )}
      </div>
    </Modal>
  );
}

function AnswerDialog({ c, onClose, onDone }: { c: Complaint; onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [handling, setHandling] = useState(c.handling);
  const [answeredOn, setAnsweredOn] = useState<string | null>(c.answeredOn);
  const save = (close: boolean) =>
    client.invoke('complaints.answer', { id: c.id, handling, answeredOn, close }).then(
      () => {
        message.success(close ? '已办结' : '已保存');
        onDone();
      },
      (e: Error) => message.error(e.message, 8),
    );
  return (
    <Modal
      open
      width={640}
      title={`处理：${COMPLAINT_CHANNEL_TEXT[c.channel]} ${c.receivedOn}`}
      onCancel={onClose}
      footer={[
        <Button key="c" onClick={onClose}>
          取消
        </Button>,
        <Button key="s" onClick={() => void save(false)}>
          保存
        </Button>,
        <Button key="d" type="primary" onClick={() => void save(true)}>
          办结
        </Button>,
      ]}
    >
      <p>{c.content}</p>
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <label style={{ gridColumn: '1 / -1' }}>
          处理情况
          <Input.TextArea aria-label="处理情况" rows={3} value={handling} onChange={(e) => setHandling(e.target.value)} />
        </label>
        <PastDate label="答复日期" value={answeredOn} onChange={setAnsweredOn} />
      </div>
    </Modal>
  );
}

function ComplaintsTab() {
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [list, setList] = useState<Complaint[]>([]);
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<Complaint | null>(null);
  const load = useCallback(() => {
    client.invoke('complaints.list', { status: status === 'all' ? null : status }).then(setList, (e: Error) => message.error(e.message));
  }, [status, message]);
  useEffect(load, [load]);
  return (
    <div>
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <Segmented
          aria-label="办理状态"
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: 'open', label: '处理中' },
            { value: 'closed', label: '已办结' },
            { value: 'all', label: '全部' },
          ]}
        />
        <span className="muted">公示期间的异议在“公示”中登记和复核；这里登记其他时间通过监督电话、信箱或来访反映的问题。</span>
        <span style={{ flex: 1 }} />
        <Button type="primary" onClick={() => setAdding(true)}>
          登记投诉或异议
        </Button>
      </div>
      <Table<Complaint>
        size="small"
        rowKey="id"
        pagination={{ pageSize: 50, showSizeChanger: false }}
        dataSource={list}
        locale={{ emptyText: status === 'open' ? '没有处理中的投诉' : '没有记录' }}
        columns={[
          { title: '收到日期', dataIndex: 'receivedOn', width: 110 },
          { title: '渠道', dataIndex: 'channel', width: 100, render: (c: ComplaintChannel) => COMPLAINT_CHANNEL_TEXT[c] },
          { title: '反映内容', dataIndex: 'content' },
          { title: '处理情况', dataIndex: 'handling', width: 240 },
          {
            title: '状态',
            dataIndex: 'status',
            width: 130,
            render: (s: string, c) => (s === 'closed' ? <Tag color="green">已办结 {c.answeredOn}</Tag> : <Tag color="orange">处理中</Tag>),
          },
          {
            title: '',
            width: 80,
            render: (_, c) => (
              <Button size="small" onClick={() => setOpen(c)}>
                处理
              </Button>
            ),
          },
        ]}
      />
      {adding && (
        <ComplaintDialog
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            load();
          }}
        />
      )}
      {open && (
        <AnswerDialog
          c={open}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            load();
          }}
        />
      )}
    </div>
  );
}

function FollowUpDialog({
  preset,
  onClose,
  onDone,
}: {
  preset: { ids: number[]; label: string; kind: FollowUpKind } | null;
  onClose(): void;
  onDone(): void;
}) {
  const { message } = AntApp.useApp();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const [studentIds, setStudentIds] = useState<number[]>(preset?.ids ?? []);
  const [kind, setKind] = useState<FollowUpKind>(preset?.kind ?? 'visit');
  const [onDate, setOnDate] = useState<string | null>(today());
  const [byWhom, setByWhom] = useState('');
  const [content, setContent] = useState('');
  useEffect(() => {
    if (!search.trim()) return;
    client.invoke('students.list', { search, limit: 20 }).then(
      (p) => setOptions(p.rows.map((s) => ({ value: s.id, label: `${s.name}（${s.className ?? '未分班'}）` }))),
      () => setOptions([]),
    );
  }, [search]);
  const save = () =>
    onDate &&
    client.invoke('followUps.record', { studentIds, kind, onDate, byWhom, content }).then(
      (r) => {
        message.success(`已登记 ${r.recorded} 名学生`);
        onDone();
      },
      (e: Error) => message.error(e.message, 8),
    );
  return (
    <Modal open width={680} title="登记受助学生跟踪" onCancel={onClose} onOk={() => void save()} okText="登记">
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <label style={{ gridColumn: '1 / -1' }}>
          学生
          {preset ? (
            <span>{preset.label}</span>
          ) : (
            <Select
              aria-label="学生"
              mode="multiple"
              showSearch
              filterOption={false}
              onSearch={setSearch}
              placeholder="输入姓名查找"
              value={studentIds}
              onChange={setStudentIds}
              options={options}
            />
          )}
        </label>
        <label>
          类型
          <Select
            aria-label="类型"
            value={kind}
            onChange={setKind}
            options={FOLLOW_UP_KINDS.map((k) => ({ value: k, label: FOLLOW_UP_KIND_TEXT[k] }))}
          />
        </label>
        <PastDate label="日期" value={onDate} onChange={setOnDate} />
        <label>
          教师（回访人、结对教师）
          <Input aria-label="教师" value={byWhom} onChange={(e) => setByWhom(e.target.value)} />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          内容（回访情况、问卷结果、成绩与身心情况）
          <Input.TextArea aria-label="内容" rows={3} value={content} onChange={(e) => setContent(e.target.value)} />
        </label>
      </div>
    </Modal>
  );
}

function FollowUpsTab() {
  const { message } = AntApp.useApp();
  const [list, setList] = useState<FollowUp[]>([]);
  const [graduates, setGraduates] = useState<GraduateFollowUp[]>([]);
  const [dialog, setDialog] = useState<{ preset: { ids: number[]; label: string; kind: FollowUpKind } | null } | null>(null);
  const load = useCallback(() => {
    client.invoke('followUps.list', {}).then(setList, (e: Error) => message.error(e.message));
    client.invoke('followUps.graduates', {}).then(setGraduates, (e: Error) => message.error(e.message));
  }, [message]);
  useEffect(load, [load]);
  return (
    <div>
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <span className="muted">发放后的回访、问卷，结对帮扶教师，学生成绩与身心情况。</span>
        <span style={{ flex: 1 }} />
        <Button type="primary" onClick={() => setDialog({ preset: null })}>
          登记跟踪
        </Button>
      </div>
      <Table<FollowUp>
        size="small"
        rowKey="id"
        pagination={{ pageSize: 50, showSizeChanger: false }}
        dataSource={list}
        locale={{ emptyText: '还没有跟踪记录' }}
        columns={[
          { title: '日期', dataIndex: 'onDate', width: 110 },
          { title: '学生', render: (_, f) => `${f.name}（${f.className}）`, width: 200 },
          { title: '类型', dataIndex: 'kind', width: 140, render: (k: FollowUpKind) => <Tag>{FOLLOW_UP_KIND_TEXT[k]}</Tag> },
          { title: '教师', dataIndex: 'byWhom', width: 100 },
          { title: '内容', dataIndex: 'content' },
        ]}
      />
      <h3 style={{ marginTop: 16 }}>高三脱贫、低保家庭学生（生源地信用助学贷款预申请）</h3>
      <Table<GraduateFollowUp>
        size="small"
        rowKey="studentId"
        pagination={false}
        dataSource={graduates}
        locale={{ emptyText: '没有高三脱贫（监测）或低保家庭的学生' }}
        columns={[
          { title: '学生', render: (_, g) => `${g.name}（${g.className}）` },
          { title: '家庭', dataIndex: 'groups', render: (g: string[]) => g.join('、') },
          {
            title: '预申请',
            render: (_, g) => (g.preApplied ? <Tag color="green">已预申请 {g.preAppliedOn}</Tag> : <Tag color="orange">未预申请</Tag>),
          },
          {
            title: '',
            width: 120,
            render: (_, g) =>
              g.preApplied ? null : (
                <Button size="small" onClick={() => setDialog({ preset: { ids: [g.studentId], label: g.name, kind: 'preApplication' } })}>
                  登记预申请
                </Button>
              ),
          },
        ]}
      />
      {dialog && (
        <FollowUpDialog
          preset={dialog.preset}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            load();
          }}
        />
      )}
    </div>
  );
}

/** 资助育人 and 投诉: the activities of each term with the 两节课 per class, and complaints tracked to closure. */
export function EducationPage({ school }: { school: School }) {
  return (
    <div className="page">
      <h1 className="page-title">资助育人与投诉</h1>
      <Tabs
        items={[
          { key: 'activities', label: '资助育人活动', children: <ActivitiesTab school={school} /> },
          { key: 'followUps', label: '受助学生跟踪', children: <FollowUpsTab /> },
          { key: 'complaints', label: '投诉与异议', children: <ComplaintsTab /> },
        ]}
      />
    </div>
  );
}

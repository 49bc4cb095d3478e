import { DownloadOutlined, EditOutlined, PaperClipOutlined, SettingOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { MealDayLine, MealMonth, MealTerm } from '../../../../shared/domain/meals';
import type { School, Term } from '../../../../shared/domain/school';
import { formatYuan, yuanToFen } from '../../../../shared/rules/money';
import { schoolYearOfTerm, termText } from '../../../../shared/rules/term';
import { formatCount } from '../../../../shared/rules/text';
import { client } from '../../api/client';
import { today } from '../../api/today';
import { saveFile } from '../../components/files';
import { remember, remembered } from '../../components/remembered';
import { TermSelect, useRememberedTerm } from '../../components/TermProgramme';
import { PrintPreview } from '../../components/PrintPreview';
import { ArchiveItemDialog } from '../archive/ArchiveItemDialog';
import type { ArchiveItem } from '../../../../shared/domain/archive';
import type { PrintDocument } from '../../../../shared/api/common';
import { MEAL_RECEIPTS } from '../../../../shared/rules/archive-catalogue';
import { useSchoolScope } from '../../components/SchoolScope';

const monthText = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;

interface DayForm {
  /** The school that served or closed. */
  schoolId: number;
  date: string;
  closed: boolean;
  extra: boolean;
  served: number | null;
  teachers: number;
  teacherNames: string;
  note: string;
}

function DayDialog({
  day,
  covered,
  schoolName,
  onClose,
  onSaved,
}: {
  day: DayForm;
  covered: number | null;
  /** Named in the title when the desk keeps several schools. */
  schoolName: string;
  onClose(): void;
  onSaved(m: MealMonth): void;
}) {
  const { message } = AntApp.useApp();
  const [f, setF] = useState<DayForm>(day);
  const set = (patch: Partial<DayForm>) => setF((x) => ({ ...x, ...patch }));
  const future = f.date > today();
  const save = () =>
    client.invoke('meals.setDay', f).then(
      (m) => {
        message.success(`${f.date} 已保存`);
        onSaved(m);
      },
      (e: Error) => message.error(e.message, 8),
    );
  return (
    <Modal
      open
      title={`${schoolName}供餐登记：${f.date}`}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      width={620}
      destroyOnHidden
    >
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <label>
          日期
          <DatePicker
            aria-label="日期"
            value={dayjs(f.date)}
            allowClear={false}
            onChange={(d) => d && set({ date: d.format('YYYY-MM-DD') })}
          />
        </label>
        <label>
          当天
          <Space>
            <Checkbox checked={f.closed} onChange={(e) => set({ closed: e.target.checked, extra: false, served: null, teachers: 0 })}>
              停餐
            </Checkbox>
            <Checkbox checked={f.extra} onChange={(e) => set({ extra: e.target.checked, closed: false })}>
              加餐日（非工作日供餐）
            </Checkbox>
          </Space>
        </label>
        <label>
          就餐人数{covered !== null ? `（应供餐 ${covered} 人，不填即全部就餐）` : ''}
          <InputNumber<number>
            aria-label="就餐人数"
            min={0}
            disabled={f.closed || future}
            value={f.served}
            onChange={(v) => set({ served: v })}
            style={{ width: '100%' }}
          />
        </label>
        <label>
          陪餐教师人数
          <InputNumber<number>
            aria-label="陪餐教师人数"
            min={0}
            disabled={f.closed || future}
            value={f.teachers}
            onChange={(v) => set({ teachers: v ?? 0 })}
            style={{ width: '100%' }}
          />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          陪餐教师
          <Input
            aria-label="陪餐教师"
            disabled={f.closed || future}
            value={f.teacherNames}
            onChange={(e) => set({ teacherNames: e.target.value })}
          />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          备注（停餐、加餐的原因，缺餐说明）
          <Input aria-label="备注" value={f.note} onChange={(e) => set({ note: e.target.value })} />
        </label>
        {future && <span className="muted">这一天还没有到：只能预先设置停餐或加餐，就餐和陪餐人数当天或之后登记。</span>}
      </div>
    </Modal>
  );
}

function SettingsDialog({ term, data, onClose, onSaved }: { term: Term; data: MealTerm; onClose(): void; onSaved(t: MealTerm): void }) {
  const { message } = AntApp.useApp();
  const [startsOn, setStartsOn] = useState(data.period.startsOn);
  const [endsOn, setEndsOn] = useState(data.period.endsOn);
  const [standard, setStandard] = useState<number | null>(data.standard / 100);
  const save = () =>
    client.invoke('meals.saveSettings', { term, startsOn, endsOn, standard: yuanToFen(standard ?? 0) }).then(
      (t) => {
        message.success('供餐设置已保存');
        onSaved(t);
      },
      (e: Error) => message.error(e.message, 8),
    );
  return (
    <Modal open title={`营养餐设置：${termText(term)}`} onCancel={onClose} onOk={() => void save()} okText="保存" destroyOnHidden>
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <label>
          本学期供餐开始
          <DatePicker
            aria-label="供餐开始"
            value={dayjs(startsOn)}
            allowClear={false}
            onChange={(d) => d && setStartsOn(d.format('YYYY-MM-DD'))}
          />
        </label>
        <label>
          本学期供餐结束
          <DatePicker
            aria-label="供餐结束"
            value={dayjs(endsOn)}
            allowClear={false}
            onChange={(d) => d && setEndsOn(d.format('YYYY-MM-DD'))}
          />
        </label>
        <label>
          补助标准（{schoolYearOfTerm(term)} 学年，每生每天）
          <InputNumber<number> aria-label="补助标准" min={0.01} precision={2} value={standard} addonAfter="元" onChange={setStandard} />
        </label>
      </div>
      <p className="muted">
        供餐日按国务院放假和调休安排（“设置 → 公示”中的日历）计算；停课、运动会等停餐日和补课加餐日在月台账中逐日登记。
      </p>
    </Modal>
  );
}

function Exclusions({ term, data, schoolId, onChanged }: { term: Term; data: MealTerm; schoolId: number | null; onChanged(): void }) {
  const { message } = AntApp.useApp();
  const schoolYear = schoolYearOfTerm(term);
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const [picked, setPicked] = useState<number[]>([]);
  const [reason, setReason] = useState('走读，中午回家就餐');
  useEffect(() => {
    if (!search.trim()) return setOptions([]);
    client.invoke('students.list', { search, limit: 20, schoolId }).then(
      (p) => setOptions(p.rows.map((s) => ({ value: s.id, label: `${s.name}（${s.className ?? '未分班'}）` }))),
      () => setOptions([]),
    );
  }, [search, schoolId]);
  const exclude = () =>
    client.invoke('meals.exclude', { studentIds: picked, schoolYear, reason }).then(
      () => {
        setPicked([]);
        onChanged();
      },
      (e: Error) => message.error(e.message, 8),
    );
  return (
    <div>
      <h3>不就餐的学生（{schoolYear} 学年）</h3>
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <Select
          aria-label="选择学生"
          mode="multiple"
          showSearch
          filterOption={false}
          onSearch={setSearch}
          style={{ minWidth: 280 }}
          placeholder="输入姓名查找学生"
          value={picked}
          onChange={setPicked}
          options={options}
        />
        <Input aria-label="不就餐原因" style={{ width: 240 }} value={reason} onChange={(e) => setReason(e.target.value)} />
        <Button disabled={picked.length === 0} onClick={() => void exclude()}>
          设为不就餐
        </Button>
      </div>
      <Table
        size="small"
        rowKey="studentId"
        pagination={false}
        dataSource={data.excluded}
        locale={{ emptyText: '在校的小学、初中学生都就餐' }}
        columns={[
          { title: '班级', dataIndex: 'className', width: 140 },
          { title: '姓名', dataIndex: 'name', width: 100 },
          { title: '原因', dataIndex: 'reason' },
          {
            title: '',
            width: 100,
            render: (_, x) => (
              <Popconfirm
                title={`${x.name}恢复就餐？`}
                onConfirm={() =>
                  client
                    .invoke('meals.include', { studentId: x.studentId, schoolYear })
                    .then(onChanged, (e: Error) => message.error(e.message))
                }
              >
                <Button size="small">恢复就餐</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </div>
  );
}

/** 营养餐: the meal ledger of a month, the term's summary, the serving period and standard, students not served. */
export function MealsPage({ school }: { school: School }) {
  const { message } = AntApp.useApp();
  const { schoolId, several, schools } = useSchoolScope();
  // The schools together: the days add up, and a day is registered at one school (picked in the header).
  const together = several && schoolId === null;
  const schoolName = several ? (schools.find((x) => x.id === schoolId)?.name ?? '') : '';
  const [term, setTerm] = useRememberedTerm(school, 'meals');
  const [summary, setSummary] = useState<MealTerm | null>(null);
  const [month, setMonthState] = useState<string>(() => remembered('meals.month', today().slice(0, 7)));
  const [data, setData] = useState<MealMonth | null>(null);
  const [editing, setEditing] = useState<{ day: DayForm; covered: number | null } | null>(null);
  const [settings, setSettings] = useState(false);
  const [receipts, setReceipts] = useState<ArchiveItem | null>(null);
  const [receiptsOpen, setReceiptsOpen] = useState(false);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const loadReceipts = useCallback(() => {
    client.invoke('archive.items', { term, scope: 'term' }).then(
      (items) => setReceipts(items.find((i) => i.name === MEAL_RECEIPTS) ?? null),
      () => setReceipts(null),
    );
  }, [term]);
  useEffect(loadReceipts, [loadReceipts]);
  const setMonth = (m: string) => {
    setMonthState(m);
    remember('meals.month', m);
  };
  const loadTerm = useCallback(() => {
    client.invoke('meals.term', { term, schoolId }).then(
      (t) => {
        setSummary(t);
        const months = t.months.map((m) => m.month);
        setMonthState((current) =>
          months.includes(current) ? current : (months.find((m) => m === today().slice(0, 7)) ?? months[0] ?? current),
        );
      },
      (e: Error) => message.error(e.message, 8),
    );
  }, [term, schoolId, message]);
  useEffect(loadTerm, [loadTerm]);
  const loadMonth = useCallback(() => {
    client.invoke('meals.month', { month, schoolId }).then(setData, (e: Error) => message.error(e.message));
  }, [month, schoolId, message]);
  useEffect(loadMonth, [loadMonth]);
  const edit = (d: MealDayLine | null) => {
    const blank = { schoolId: schoolId ?? 1, closed: false, extra: false, served: null, teachers: 0, teacherNames: '', note: '' };
    if (!d) return setEditing({ day: { ...blank, date: today().startsWith(month) ? today() : `${month}-01` }, covered: null });
    // A count equal to everyone covered is the default: the field stays empty.
    const served = d.served !== null && d.served !== d.covered ? d.served : null;
    setEditing({
      day: { ...blank, date: d.date, extra: d.extra, served, teachers: d.teachers, teacherNames: d.teacherNames, note: d.note },
      covered: d.covered,
    });
  };
  const fail = (e: Error) => message.error(e.message);
  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">营养餐</h1>
        <TermSelect term={term} onChange={setTerm} />
        <Select
          aria-label="月份"
          style={{ width: 130 }}
          value={month}
          onChange={setMonth}
          options={(summary?.months ?? []).map((m) => ({ value: m.month, label: monthText(m.month) }))}
        />
        <span style={{ flex: 1 }} />
        <Button
          icon={<EditOutlined />}
          disabled={together}
          title={together ? '各校分别供餐：请先在页面顶部选择一所学校再登记' : undefined}
          onClick={() => edit(null)}
        >
          登记停餐或加餐日
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => client.invoke('meals.exportMonth', { month, schoolId }).then(saveFile, fail)}>
          导出月台账
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => client.invoke('meals.exportTerm', { term, schoolId }).then(saveFile, fail)}>
          导出学期汇总
        </Button>
        <Button
          icon={<PaperClipOutlined />}
          disabled={!receipts}
          title={receipts ? undefined : '档案目录中没有“营养餐供货与验收单据”一项'}
          onClick={() => setReceiptsOpen(true)}
        >
          供货与验收单据{receipts ? `（${receipts.attachments.length} 份）` : ''}
        </Button>
        <Button icon={<SettingOutlined />} disabled={!summary} onClick={() => setSettings(true)}>
          设置
        </Button>
      </div>
      {summary && (
        <div className="muted">
          {termText(term)}供餐 {summary.period.startsOn} 至 {summary.period.endsOn}，标准 {formatYuan(summary.standard)}
          /生/天。在校的小学、初中学生默认全部就餐，不申请、不公示。
          {together && '下表是各校合计；各校分别供餐，停餐、加餐和就餐人数请选择一所学校后登记。'}
        </div>
      )}
      {data && (
        <Space size={40} wrap data-testid="meal-month">
          <Statistic
            title={`${monthText(month)}供餐天数`}
            value={data.servingDays}
            suffix={data.daysToCome ? <span className="muted">（另有 {data.daysToCome} 天未到）</span> : undefined}
          />
          <Statistic title="受益学生" value={data.students} />
          <Statistic title="就餐人天数" value={data.personDays} />
          <Statistic title="陪餐人次" value={data.teacherMeals} />
          <Statistic title="金额" value={formatYuan(data.amount)} />
          {summary && (
            <Statistic
              title="本学期累计"
              value={formatYuan(summary.amount)}
              suffix={<span className="muted">{formatCount(summary.personDays)} 人天</span>}
            />
          )}
        </Space>
      )}
      <Table<MealDayLine>
        className="page-scroll"
        size="small"
        rowKey="date"
        pagination={false}
        dataSource={data?.days ?? []}
        locale={{ emptyText: '本月没有供餐日（不在供餐期内或全是假期）' }}
        columns={[
          { title: '日期', dataIndex: 'date', width: 120 },
          {
            title: '星期',
            dataIndex: 'weekday',
            width: 70,
            render: (w: string, d) => (
              <>
                {w}
                {d.extra && (
                  <Tag color="blue" style={{ marginLeft: 6 }}>
                    加餐日
                  </Tag>
                )}
              </>
            ),
          },
          { title: '应供餐', dataIndex: 'covered', width: 90, align: 'right' },
          {
            title: '就餐人数',
            dataIndex: 'served',
            width: 110,
            align: 'right',
            render: (v: number | null, d) =>
              v === null ? <span className="muted">未到</span> : <span style={{ color: v < d.covered ? '#d46b08' : undefined }}>{v}</span>,
          },
          { title: '陪餐', dataIndex: 'teachers', width: 70, align: 'right', render: (v: number) => v || '' },
          { title: '陪餐教师', dataIndex: 'teacherNames', width: 200 },
          { title: '备注', dataIndex: 'note' },
          {
            title: '',
            width: 80,
            render: (_, d) =>
              together ? null : (
                <Button size="small" onClick={() => edit(d)}>
                  登记
                </Button>
              ),
          },
        ]}
      />
      {data?.bySchool && (
        <Table
          size="small"
          rowKey="schoolId"
          pagination={false}
          data-testid="meal-schools"
          dataSource={data.bySchool}
          columns={[
            { title: `${monthText(month)}各校`, dataIndex: 'name' },
            { title: '供餐天数', dataIndex: 'servingDays', align: 'right' },
            { title: '受益学生', dataIndex: 'students', align: 'right' },
            { title: '就餐人天数', dataIndex: 'personDays', align: 'right' },
            { title: '陪餐人次', dataIndex: 'teacherMeals', align: 'right' },
            { title: '金额', dataIndex: 'amount', align: 'right', render: (v: number) => formatYuan(v) },
          ]}
        />
      )}
      {data && data.closedDays.length > 0 && (
        <div className="muted" data-testid="closed-days">
          停餐日：
          {data.closedDays.map((d) => (
            <Tag
              key={d.date}
              closable={false}
              style={{ cursor: together ? undefined : 'pointer' }}
              onClick={() =>
                !together &&
                setEditing({
                  day: {
                    schoolId: schoolId ?? 1,
                    date: d.date,
                    closed: true,
                    extra: false,
                    served: null,
                    teachers: 0,
                    teacherNames: '',
                    note: d.note,
                  },
                  covered: null,
                })
              }
            >
              {d.date} {d.note}
            </Tag>
          ))}
        </div>
      )}
      {summary && (
        <Exclusions
          term={term}
          data={summary}
          schoolId={schoolId}
          onChanged={() => {
            loadTerm();
            loadMonth();
          }}
        />
      )}
      {editing && (
        <DayDialog
          day={editing.day}
          covered={editing.covered}
          schoolName={schoolName}
          onClose={() => setEditing(null)}
          onSaved={(m) => {
            setEditing(null);
            if (m.month === month) setData(m);
            loadTerm();
          }}
        />
      )}
      {receiptsOpen && receipts && (
        <ArchiveItemDialog item={receipts} onClose={() => setReceiptsOpen(false)} onChanged={loadReceipts} onDocument={setDoc} />
      )}
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
      {settings && summary && (
        <SettingsDialog
          term={term}
          data={summary}
          onClose={() => setSettings(false)}
          onSaved={(t) => {
            setSettings(false);
            setSummary(t);
            loadMonth();
          }}
        />
      )}
    </div>
  );
}

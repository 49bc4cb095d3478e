import { DeleteOutlined, EyeOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CallArgs } from '../../../../shared/api';
import type { PrintDocument } from '../../../../shared/api/common';
import type { HeldSurvey, SurveyView } from '../../../../shared/api/surveys';
import type { SchoolYear } from '../../../../shared/domain/school';
import { AREA_TEXT, FLAG_SOURCES, PRIORITY_GROUPS, type PriorityGroup } from '../../../../shared/domain/priority-group';
import {
  HARDSHIP_FACTOR_TEXT,
  HEALTH_TEXT,
  INCOME_SOURCE_TEXT,
  EMPTY_SURVEY_FIELDS,
  SURVEY_STATUS_TEXT,
  type FamilySurveyFields,
  type HardshipFactor,
  type Health,
  type HouseholdMember,
  type IncomeSource,
  type SurveyFlag,
} from '../../../../shared/domain/survey';
import { AREA_GROUPS } from '../../../../shared/rules/official-list';
import { fenToYuan, formatYuan, yuanToFen } from '../../../../shared/rules/money';
import { perCapitaIncome } from '../../../../shared/rules/scoring';
import { checkSurvey } from '../../../../shared/rules/survey';
import { client } from '../../api/client';
import { today } from '../../api/today';
import { useConfirmLeave, useUnsaved } from '../../components/unsaved';

const GROUP_OPTIONS = (Object.keys(PRIORITY_GROUPS) as PriorityGroup[]).map((g) => ({ value: g, label: PRIORITY_GROUPS[g] }));

function fieldsOf(view: SurveyView): FamilySurveyFields {
  const s = view.survey;
  if (!s)
    return { ...EMPTY_SURVEY_FIELDS, hukou: view.student.hukou, address: view.student.address, guardianPhone: view.student.guardianPhone };
  const {
    householdSize,
    hukou,
    address,
    guardianPhone,
    members,
    factors,
    otherHardship,
    incomeSource,
    childrenInSchool,
    commitmentSigned,
    commitmentDate,
    enteredBy,
    note,
  } = s;
  return {
    householdSize,
    hukou,
    address,
    guardianPhone,
    members,
    factors,
    otherHardship,
    incomeSource,
    childrenInSchool,
    commitmentSigned,
    commitmentDate,
    enteredBy,
    note,
  };
}

type Area = 'rural' | 'urban' | null;

/** What the form holds, as one comparable text: the form has edits when it differs from the loaded one. */
function snapshot(fields: FamilySurveyFields, declared: PriorityGroup[], certified: PriorityGroup[], area: Area): string {
  return JSON.stringify([fields, [...declared].sort(), [...certified].sort(), declared.length + certified.length ? area : null]);
}

function flagsOfView(v: SurveyView | HeldSurvey) {
  const flags = v.flags as { group: PriorityGroup; source: string; area?: Area }[];
  return {
    declared: flags.filter((f) => f.source === 'selfDeclared').map((f) => f.group),
    certified: flags.filter((f) => f.source === 'certificate').map((f) => f.group),
    area: flags.find((f) => (f.source === 'selfDeclared' || f.source === 'certificate') && f.area)?.area ?? null,
  };
}

export function SurveyForm({ studentId, onSaved, onPrint }: { studentId: number; onSaved(): void; onPrint(doc: PrintDocument): void }) {
  const { message } = AntApp.useApp();
  const [view, setView] = useState<SurveyView | null>(null);
  const [reveal, setReveal] = useState(false);
  const [fields, setFields] = useState<FamilySurveyFields>(EMPTY_SURVEY_FIELDS);
  const [declared, setDeclared] = useState<PriorityGroup[]>([]);
  const [certified, setCertified] = useState<PriorityGroup[]>([]);
  // 城市 or 农村 for a declared 低保/特困: only the rural ones are among the 四类.
  const [area, setArea] = useState<Area>(null);
  // The loaded state: the form is dirty while what it holds differs from this.
  const [base, setBase] = useState('');
  const keepEdits = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // Earlier years are shown read-only: a past year's survey is the record its decision was made on.
  const [year, setYear] = useState<SchoolYear | undefined>(undefined);
  const [currentYear, setCurrentYear] = useState<SchoolYear | null>(null);
  const readOnly = year !== undefined && year !== currentYear;

  const load = useCallback(() => {
    client.invoke('surveys.get', { studentId, reveal, schoolYear: year }).then(
      (v) => {
        setView(v);
        setCurrentYear((c) => c ?? v.schoolYear);
        const loaded = fieldsOf(v);
        const f = flagsOfView(v);
        setBase(snapshot(loaded, f.declared, f.certified, f.area));
        if (keepEdits.current) {
          // Revealing address and phone keeps what was typed: only the two unmasked values come in.
          keepEdits.current = false;
          setFields((now) => ({ ...now, address: loaded.address, guardianPhone: loaded.guardianPhone }));
        } else {
          setFields(loaded);
          setDeclared(f.declared);
          setCertified(f.certified);
          setArea(f.area);
        }
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [studentId, reveal, year]);
  useEffect(load, [load]);

  const set = <K extends keyof FamilySurveyFields>(key: K, value: FamilySurveyFields[K]) => setFields((f) => ({ ...f, [key]: value }));
  const setMember = (i: number, patch: Partial<HouseholdMember>) =>
    setFields((f) => ({ ...f, members: f.members.map((m, k) => (k === i ? { ...m, ...patch } : m)) }));
  const income = useMemo(() => perCapitaIncome(fields), [fields]);
  // Masked address and phone are not edited here (nor sent), so they are not checked either.
  const masked = view?.masked ?? true;
  const problems = useMemo(() => checkSurvey(masked ? { ...fields, guardianPhone: '' } : fields, false, today()), [fields, masked]);

  const now = snapshot(fields, declared, certified, area);
  const dirty = view !== null && !readOnly && base !== '' && now !== base;
  useUnsaved(dirty);
  const confirmLeave = useConfirmLeave();

  // While the form has edits, the core keeps a copy (a second after the last keystroke): a closed window or a
  // crash loses nothing. Leaving the form on purpose (discarding, after the question) forgets it.
  const year0 = view?.schoolYear;
  const flagsNow = (): SurveyFlag[] => {
    if (!view) return [];
    return [
      ...declared.map((g) => ({
        group: g,
        source: 'selfDeclared' as const,
        sourceDate: view.flags.find((f) => f.group === g && f.source === 'selfDeclared')?.sourceDate ?? today(),
        area: AREA_GROUPS.includes(g) ? area : null,
      })),
      ...certified.map((g) => ({
        group: g,
        source: 'certificate' as const,
        sourceDate: view.flags.find((f) => f.group === g && f.source === 'certificate')?.sourceDate ?? today(),
        area: AREA_GROUPS.includes(g) ? area : null,
      })),
    ];
  };
  // Masked address and phone are not sent back: the stored ones stay.
  const fieldsToSend = () => {
    const { address, guardianPhone, ...rest } = fields;
    return view?.masked ? rest : { ...rest, address, guardianPhone };
  };
  const held =
    dirty && view && year0
      ? JSON.stringify({ studentId, schoolYear: year0, version: view.survey?.version ?? null, fields: fieldsToSend(), flags: flagsNow() })
      : null;
  useEffect(() => {
    if (held === null) return;
    const timer = setTimeout(() => {
      client.invoke('surveys.hold', JSON.parse(held) as CallArgs<'surveys.hold'>).then(
        () => undefined,
        (e: Error) => setError(`未能留存未保存的内容：${e.message}`),
      );
    }, 1000);
    return () => clearTimeout(timer);
  }, [held]);
  const dirtyRef = useRef(false);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);
  useEffect(
    () => () => {
      if (dirtyRef.current && year0) void client.invoke('surveys.release', { studentId, schoolYear: year0 }).catch(() => undefined);
    },
    [studentId, year0],
  );

  if (!view) return error ? <Alert type="error" message={error} /> : <Spin />;
  const otherFlags = view.flags.filter((f) => f.source === 'countyList' || f.source === 'roster');

  const restore = (held: HeldSurvey) => {
    setFields((f) => ({ ...f, ...held.fields }));
    const f = flagsOfView(held);
    setDeclared(f.declared);
    setCertified(f.certified);
    setArea(f.area);
    setView({ ...view, held: null });
  };
  const discardHeld = () => {
    void client.invoke('surveys.release', { studentId, schoolYear: view.schoolYear });
    setView({ ...view, held: null });
  };

  const save = async (status: 'draft' | 'complete') => {
    setSaving(true);
    try {
      const flags = flagsNow();
      const r = await client.invoke('surveys.save', {
        studentId,
        status,
        flags,
        version: view.survey?.version,
        fields: fieldsToSend(),
      });
      // What was saved is the new baseline at once (the reload that follows only confirms it).
      setBase(now);
      const warnings = r.warnings.filter((w) => w.severity === 'warning');
      message.success(
        `已保存${status === 'complete' ? '（已填齐）' : '（草稿）'}${warnings.length ? `；提醒：${warnings.map((w) => w.message).join('；')}` : ''}`,
      );
      load();
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const carry = async () => {
    try {
      const r = await client.invoke('surveys.carryForward', { studentIds: [studentId] });
      if (r.created) message.success('已从上一学年结转为草稿，请与家长核对并重新签承诺书');
      else message.info('上一学年没有调查表可结转');
      load();
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const s = view.student;
  return (
    <div className="survey-form">
      <Descriptions
        size="small"
        column={3}
        bordered
        items={[
          { key: 'n', label: '姓名', children: s.name },
          { key: 's', label: '性别', children: s.sex },
          { key: 'e', label: '民族', children: s.ethnicity },
          { key: 'b', label: '出生日期', children: s.birthDate },
          { key: 'i', label: '身份证号', children: <span className="mono">{s.idNumber}</span>, span: 2 },
          { key: 'c', label: '班级', children: s.className },
          { key: 'y', label: '学年', children: view.schoolYear },
          {
            key: 't',
            label: '调查表',
            children: view.survey ? (
              <Tag color={view.survey.status === 'complete' ? 'green' : 'default'}>
                {SURVEY_STATUS_TEXT[view.survey.status]}
                {view.survey.carriedFrom ? `（由${view.survey.carriedFrom}结转）` : ''}
              </Tag>
            ) : (
              <Tag>未填</Tag>
            ),
          },
        ]}
      />
      <Space style={{ margin: '10px 0' }} wrap>
        {!view.survey && view.years.length > 0 && <Button onClick={() => void carry()}>从上一学年结转</Button>}
        {view.masked && (
          <Button
            icon={<EyeOutlined />}
            onClick={() => {
              keepEdits.current = dirty;
              setReveal(true);
            }}
          >
            显示完整信息（修改地址、电话）
          </Button>
        )}
        <Button
          icon={<PrinterOutlined />}
          onClick={() =>
            client.invoke('print.surveyForms', { studentIds: [studentId] }).then(onPrint, (e: Error) => message.error(e.message))
          }
        >
          打印申请表
        </Button>
        {view.years.some((y) => y !== currentYear) && (
          <Select
            aria-label="查看学年"
            style={{ width: 190 }}
            value={year ?? currentYear}
            onChange={(y) => confirmLeave(() => setYear(y ?? undefined))}
            options={[...new Set([currentYear!, ...view.years])].map((y) => ({
              value: y,
              label: y === currentYear ? `${y}学年（本学年）` : `${y}学年（只读）`,
            }))}
          />
        )}
      </Space>

      {view.held && !readOnly && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 10 }}
          data-testid="survey-held"
          message={`上次填写的内容没有保存（${dayjs(view.held.at).format('M月D日 HH:mm')}），已为你留存。`}
          description={
            <>
              {view.held.version !== (view.survey?.version ?? null) && (
                <div>注意：调查表在那之后又被修改过（例如导入了班级调查表），恢复后请逐项核对再保存。</div>
              )}
              {view.held.hasPrivate && view.masked && <div>其中有地址或电话的修改：请先点“显示完整信息”，再恢复。</div>}
            </>
          }
          action={
            <Space direction="vertical">
              <Button size="small" type="primary" disabled={view.held.hasPrivate && view.masked} onClick={() => restore(view.held!)}>
                恢复上次的内容
              </Button>
              <Button size="small" danger onClick={discardHeld}>
                放弃
              </Button>
            </Space>
          }
        />
      )}
      <div className="form-grid">
        <label>
          户口性质
          <Select
            aria-label="户口性质"
            value={fields.hukou ?? ''}
            onChange={(v) => set('hukou', (v || null) as FamilySurveyFields['hukou'])}
            options={[
              { value: '', label: '（未填）' },
              { value: 'rural', label: '农村' },
              { value: 'urban', label: '城镇' },
            ]}
          />
        </label>
        <label>
          家庭人口数
          <InputNumber aria-label="家庭人口数" min={1} max={30} value={fields.householdSize} onChange={(v) => set('householdSize', v)} />
        </label>
        <label>
          在读子女数
          <InputNumber
            aria-label="在读子女数"
            min={0}
            max={20}
            value={fields.childrenInSchool}
            onChange={(v) => set('childrenInSchool', v)}
          />
        </label>
        <label>
          主要收入来源
          <Select
            aria-label="主要收入来源"
            value={fields.incomeSource ?? ''}
            onChange={(v) => set('incomeSource', (v || null) as IncomeSource | null)}
            options={[{ value: '', label: '（未填）' }, ...Object.entries(INCOME_SOURCE_TEXT).map(([value, label]) => ({ value, label }))]}
          />
        </label>
        <label className="wide">
          详细地址
          <Input aria-label="详细地址" value={fields.address} disabled={view.masked} onChange={(e) => set('address', e.target.value)} />
        </label>
        <label>
          家长手机号
          <Input
            aria-label="家长手机号"
            value={fields.guardianPhone}
            disabled={view.masked}
            onChange={(e) => set('guardianPhone', e.target.value)}
          />
        </label>
      </div>

      <h4>
        家庭成员 <span className="muted">家庭人均年收入：{income === null ? '—' : formatYuan(income)}</span>
      </h4>
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={fields.members}
        locale={{ emptyText: '还没有家庭成员' }}
        columns={[
          {
            title: '姓名',
            width: 90,
            render: (_, m, i) => (
              <Input aria-label={`成员${i + 1}姓名`} value={m.name} onChange={(e) => setMember(i, { name: e.target.value })} />
            ),
          },
          {
            title: '年龄',
            width: 70,
            render: (_, m, i) => (
              <InputNumber aria-label={`成员${i + 1}年龄`} min={0} max={120} value={m.age} onChange={(v) => setMember(i, { age: v })} />
            ),
          },
          {
            title: '与学生关系',
            width: 90,
            render: (_, m, i) => (
              <Input aria-label={`成员${i + 1}关系`} value={m.relation} onChange={(e) => setMember(i, { relation: e.target.value })} />
            ),
          },
          {
            title: '工作（学习）单位',
            render: (_, m, i) => (
              <Input aria-label={`成员${i + 1}单位`} value={m.workplace} onChange={(e) => setMember(i, { workplace: e.target.value })} />
            ),
          },
          {
            title: '职业',
            width: 80,
            render: (_, m, i) => (
              <Input aria-label={`成员${i + 1}职业`} value={m.occupation} onChange={(e) => setMember(i, { occupation: e.target.value })} />
            ),
          },
          {
            title: '年收入（元）',
            width: 110,
            render: (_, m, i) => (
              <InputNumber
                aria-label={`成员${i + 1}年收入`}
                min={0}
                precision={2}
                value={m.annualIncome === null ? null : fenToYuan(m.annualIncome)}
                onChange={(v) => setMember(i, { annualIncome: v === null ? null : yuanToFen(v) })}
              />
            ),
          },
          {
            title: '健康状况',
            width: 120,
            render: (_, m, i) => (
              <Select
                aria-label={`成员${i + 1}健康`}
                style={{ width: '100%' }}
                value={m.health ?? ''}
                onChange={(v) => setMember(i, { health: (v || null) as Health | null })}
                options={[{ value: '', label: '（未填）' }, ...Object.entries(HEALTH_TEXT).map(([value, label]) => ({ value, label }))]}
              />
            ),
          },
          {
            title: '',
            width: 40,
            render: (_, __, i) => (
              <Button
                type="text"
                aria-label={`删除成员${i + 1}`}
                icon={<DeleteOutlined />}
                onClick={() =>
                  set(
                    'members',
                    fields.members.filter((_m, k) => k !== i),
                  )
                }
              />
            ),
          },
        ]}
      />
      <Button
        icon={<PlusOutlined />}
        style={{ marginTop: 6 }}
        onClick={() =>
          set('members', [
            ...fields.members,
            { name: '', age: null, relation: '', workplace: '', occupation: '', annualIncome: null, health: null },
          ])
        }
      >
        添加家庭成员
      </Button>

      <h4>特殊群体</h4>
      <div className="form-grid">
        <label className="wide">
          本人申报
          <Select
            aria-label="本人申报的特殊群体"
            mode="multiple"
            value={declared}
            onChange={setDeclared}
            options={GROUP_OPTIONS}
            placeholder="家长在申请表上勾选的"
          />
        </label>
        <label className="wide">
          已查验证件
          <Select
            aria-label="已查验证件的特殊群体"
            mode="multiple"
            value={certified}
            onChange={setCertified}
            options={GROUP_OPTIONS}
            placeholder="看过低保证、残疾证等原件的"
          />
        </label>
        {[...declared, ...certified].some((g) => AREA_GROUPS.includes(g)) && (
          <label>
            低保/特困属于
            <Select
              aria-label="低保特困城乡"
              value={area}
              onChange={setArea}
              options={[
                { value: 'rural', label: '农村（属于“四类”）' },
                { value: 'urban', label: '城市（不属于“四类”）' },
                { value: null as unknown as 'rural', label: '不清楚' },
              ]}
            />
          </label>
        )}
      </div>
      {otherFlags.length > 0 && (
        <div className="muted" style={{ marginTop: 4 }}>
          其他来源：
          {otherFlags.map((f) => (
            <Tag key={`${f.group}${f.source}`} color="blue">
              {PRIORITY_GROUPS[f.group]}
              {f.area ? `·${AREA_TEXT[f.area]}` : ''}（{FLAG_SOURCES[f.source]}
              {f.sourceDate ? ` ${f.sourceDate}` : ''}）
            </Tag>
          ))}
        </div>
      )}

      <h4>影响家庭经济的因素</h4>
      <Checkbox.Group
        value={fields.factors}
        onChange={(v) => set('factors', v as HardshipFactor[])}
        options={Object.entries(HARDSHIP_FACTOR_TEXT).map(([value, label]) => ({ value, label }))}
      />
      <Input.TextArea
        aria-label="其他困难情况"
        style={{ marginTop: 8 }}
        rows={2}
        maxLength={300}
        placeholder="其他困难情况（不要写入公示）"
        value={fields.otherHardship}
        onChange={(e) => set('otherHardship', e.target.value)}
      />

      <h4>承诺书与填表</h4>
      <div className="form-grid">
        <label>
          <Checkbox checked={fields.commitmentSigned} onChange={(e) => set('commitmentSigned', e.target.checked)}>
            家长已手写承诺并签字
          </Checkbox>
        </label>
        <label>
          签字日期
          <DatePicker
            aria-label="签字日期"
            value={fields.commitmentDate ? dayjs(fields.commitmentDate) : null}
            onChange={(d) => set('commitmentDate', d ? d.format('YYYY-MM-DD') : null)}
          />
        </label>
        <label>
          填表人
          <Input aria-label="填表人" value={fields.enteredBy} maxLength={20} onChange={(e) => set('enteredBy', e.target.value)} />
        </label>
        <label className="wide">
          备注
          <Input aria-label="备注" value={fields.note} maxLength={300} onChange={(e) => set('note', e.target.value)} />
        </label>
      </div>

      {problems.length > 0 && (
        <Alert
          style={{ marginTop: 10 }}
          type={problems.some((p) => p.severity === 'error') ? 'error' : 'warning'}
          showIcon
          message={problems.map((p) => p.message).join('；')}
        />
      )}
      {readOnly && <Alert style={{ marginTop: 10 }} type="info" showIcon message={`这是 ${year} 学年的调查表，只能查看。`} />}
      <Space style={{ marginTop: 12 }} hidden={readOnly}>
        <Button loading={saving} onClick={() => void save('draft')}>
          保存草稿
        </Button>
        <Button type="primary" loading={saving} onClick={() => void save('complete')}>
          保存（已填齐）
        </Button>
      </Space>
    </div>
  );
}

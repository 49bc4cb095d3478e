import { EditOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AREA_TEXT, FLAG_SOURCES, PRIORITY_GROUPS } from '../../../../shared/domain/priority-group';
import type { SchoolClass } from '../../../../shared/domain/school';
import {
  ACCOUNT_HOLDER_TEXT,
  HUKOU_TEXT,
  LEFT_REASON_TEXT,
  SEX_TEXT,
  type LeftReason,
  type Student,
  type StudentChange,
} from '../../../../shared/domain/student';
import { checkStudent, type StudentField } from '../../../../shared/rules/student';
import { StudentPayments } from '../payments/StudentPayments';
import { AccountDialog } from './AccountDialog';
import { client } from '../../api/client';
import { today } from '../../api/today';
import { useUnsavedGuard } from '../../components/unsaved';

/** The edit form holds every field as text, exactly what the shared rules check. */
type FormValues = Record<StudentField, string> & { classId: number | null };

const EDIT_FIELDS: { field: StudentField; label: string; kind?: 'sex' | 'hukou' | 'boarding' }[] = [
  { field: 'name', label: '姓名' },
  { field: 'idNumber', label: '身份证件号' },
  { field: 'studentNumber', label: '学籍号' },
  { field: 'sex', label: '性别', kind: 'sex' },
  { field: 'birthDate', label: '出生日期' },
  { field: 'ethnicity', label: '民族' },
  { field: 'hukou', label: '户口性质', kind: 'hukou' },
  { field: 'boarding', label: '就读方式', kind: 'boarding' },
  { field: 'guardianName', label: '监护人' },
  { field: 'guardianPhone', label: '联系电话' },
  { field: 'address', label: '现住址' },
  { field: 'bankCard', label: '银行卡号' },
];

const CHOICES = {
  sex: [{ value: '男' }, { value: '女' }],
  hukou: [{ value: '', label: '（不详）' }, { value: '农村' }, { value: '城镇' }],
  boarding: [{ value: '', label: '（不详）' }, { value: '住校' }, { value: '走读' }],
};

function toForm(s: Student): FormValues {
  return {
    name: s.name,
    idNumber: s.idNumber ?? '',
    studentNumber: s.studentNumber ?? '',
    sex: s.sex ? SEX_TEXT[s.sex] : '',
    birthDate: s.birthDate ?? '',
    ethnicity: s.ethnicity,
    hukou: s.hukou ? HUKOU_TEXT[s.hukou] : '',
    boarding: s.boarding === null ? '' : s.boarding ? '住校' : '走读',
    guardianName: s.guardianName,
    guardianPhone: s.guardianPhone,
    address: s.address,
    bankCard: s.bankCard ?? '',
    classId: s.classId,
  };
}

export function StudentDrawer({
  id,
  classes,
  onClose,
  onChanged,
}: {
  id: number;
  classes: SchoolClass[];
  onClose(): void;
  onChanged(): void;
}) {
  const { message } = AntApp.useApp();
  const [student, setStudent] = useState<Student | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState<StudentChange[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [leftReason, setLeftReason] = useState<LeftReason>('transferred');
  const [leftDate, setLeftDate] = useState<Dayjs>(dayjs(today()));
  const [accountOpen, setAccountOpen] = useState(false);
  const [form] = Form.useForm<FormValues>();
  // What the form holds, kept from every change (the red fields and the unsaved question read it).
  const [values, setValues] = useState<FormValues | undefined>(undefined);

  const load = useCallback(
    async (reveal: boolean) => {
      try {
        setStudent(await client.invoke('students.get', { id, reveal }));
        setHistory(await client.invoke('students.history', { id }));
        setRevealed(reveal);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [id],
  );
  useEffect(() => {
    setEditing(false);
    setError(null);
    void load(false);
  }, [load]);

  const startEdit = async () => {
    // Editing shows the real numbers: fetched on purpose, masked again when the edit ends.
    await load(true);
    setEditing(true);
  };
  useEffect(() => {
    if (editing && student && revealed) {
      form.setFieldsValue(toForm(student));
      setValues(toForm(student));
    }
  }, [editing, student, revealed, form]);

  // Edits not yet saved: closing the drawer or leaving the page asks first.
  const dirty =
    editing &&
    student !== null &&
    revealed &&
    values !== undefined &&
    Object.keys(values).length > 0 &&
    JSON.stringify({ ...toForm(student), ...values }) !== JSON.stringify(toForm(student));
  const guard = useUnsavedGuard(dirty);

  // The same rules as the roster import: red fields here, refused save in the core.
  const check = useMemo(() => (values ? checkStudent(values, today()) : null), [values]);
  const warnings = check?.problems.filter((p) => p.severity === 'warning') ?? [];

  const save = async (v: FormValues) => {
    setSaving(true);
    setError(null);
    try {
      const { classId, ...fields } = v;
      const s = await client.invoke('students.update', { id, fields, classId });
      setStudent(s);
      setRevealed(false);
      setEditing(false);
      setHistory(await client.invoke('students.history', { id }));
      void message.success('已保存');
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const setStatus = async (status: 'enrolled' | 'left') => {
    try {
      await client.invoke(
        'students.setStatus',
        status === 'left' ? { ids: [id], status, reason: leftReason, date: leftDate.format('YYYY-MM-DD') } : { ids: [id], status },
      );
      await load(false);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const s = student;
  return (
    <Drawer
      open
      width={560}
      onClose={() => guard(onClose)}
      title={s ? `${s.name}${s.className ? ` · ${s.className}` : ''}` : '学生信息'}
      extra={
        s &&
        !editing && (
          <Space>
            <Button icon={revealed ? <EyeInvisibleOutlined /> : <EyeOutlined />} onClick={() => void load(!revealed)}>
              {revealed ? '隐藏敏感信息' : '显示完整信息'}
            </Button>
            <Button type="primary" icon={<EditOutlined />} onClick={() => void startEdit()}>
              编辑
            </Button>
          </Space>
        )
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="student-error" />}
      {!s ? (
        <Spin />
      ) : editing ? (
        <Form<FormValues>
          form={form}
          onValuesChange={(_, all) => setValues(all)}
          layout="horizontal"
          labelCol={{ span: 6 }}
          onFinish={save}
          disabled={saving}
        >
          <Form.Item label="班级" name="classId">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={classes.map((c) => ({ value: c.id, label: c.label }))}
              aria-label="班级"
            />
          </Form.Item>
          {EDIT_FIELDS.map(({ field, label, kind }) => {
            const problem = check?.problems.find((p) => p.field === field && p.severity === 'error');
            return (
              <Form.Item
                key={field}
                label={label}
                name={field}
                validateStatus={problem ? 'error' : undefined}
                help={problem?.message}
                rules={[{ validator: () => (problem ? Promise.reject(new Error(problem.message)) : Promise.resolve()) }]}
              >
                {kind ? <Select options={CHOICES[kind]} aria-label={label} /> : <Input aria-label={label} />}
              </Form.Item>
            );
          })}
          {warnings.length > 0 && (
            <Alert type="warning" showIcon message={warnings.map((w) => w.message).join('；')} style={{ marginBottom: 12 }} />
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={saving}>
              保存（Enter）
            </Button>
            <Button
              onClick={() =>
                guard(() => {
                  setEditing(false);
                  void load(false);
                })
              }
            >
              取消
            </Button>
          </Space>
        </Form>
      ) : (
        <>
          <Descriptions column={1} size="small" bordered labelStyle={{ width: 120 }}>
            <Descriptions.Item label="在校状态">
              {s.status === 'enrolled' ? (
                <Tag color="green">在校</Tag>
              ) : (
                <Tag>
                  已离校（{s.leftReason ? LEFT_REASON_TEXT[s.leftReason] : ''}，{s.leftOn}）
                </Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="班级">{s.className ?? '未分班'}</Descriptions.Item>
            <Descriptions.Item label="身份证件号">
              <span className="mono">{s.idNumber ?? '（无）'}</span>
            </Descriptions.Item>
            <Descriptions.Item label="学籍号">
              <span className="mono">{s.studentNumber ?? '（无）'}</span>
            </Descriptions.Item>
            <Descriptions.Item label="性别">{s.sex ? SEX_TEXT[s.sex] : ''}</Descriptions.Item>
            <Descriptions.Item label="出生日期">{s.birthDate}</Descriptions.Item>
            <Descriptions.Item label="民族">{s.ethnicity}</Descriptions.Item>
            <Descriptions.Item label="户口性质">{s.hukou ? HUKOU_TEXT[s.hukou] : ''}</Descriptions.Item>
            <Descriptions.Item label="就读方式">{s.boarding === null ? '' : s.boarding ? '住校' : '走读'}</Descriptions.Item>
            <Descriptions.Item label="监护人">{s.guardianName}</Descriptions.Item>
            <Descriptions.Item label="联系电话">
              <span className="mono">{s.guardianPhone}</span>
            </Descriptions.Item>
            <Descriptions.Item label="现住址">{s.address}</Descriptions.Item>
            <Descriptions.Item label="银行卡号">
              <span className="mono">{s.bankCard ?? ''}</span>
            </Descriptions.Item>
            <Descriptions.Item label="收款账户">
              {ACCOUNT_HOLDER_TEXT[s.account.holder]}
              {s.account.holder === 'guardian' && `（${s.account.holderName}，${s.account.proxyLetter ? '已收委托书' : '未收委托书'}）`}
              {s.account.bankName && `，${s.account.bankName}`}{' '}
              <Button size="small" type="link" onClick={() => setAccountOpen(true)}>
                修改
              </Button>
            </Descriptions.Item>
            <Descriptions.Item label="特殊群体">
              {s.flags.length === 0
                ? '（无）'
                : s.flags.map((f) => (
                    <Tag key={`${f.group}-${f.source}`}>
                      {PRIORITY_GROUPS[f.group]}
                      {f.area ? `·${AREA_TEXT[f.area]}` : ''}（{FLAG_SOURCES[f.source]}）
                    </Tag>
                  ))}
            </Descriptions.Item>
          </Descriptions>
          <Space style={{ margin: '16px 0' }} wrap>
            {s.status === 'enrolled' ? (
              <>
                <Select<LeftReason>
                  value={leftReason}
                  onChange={setLeftReason}
                  style={{ width: 90 }}
                  options={(Object.keys(LEFT_REASON_TEXT) as LeftReason[]).map((k) => ({ value: k, label: LEFT_REASON_TEXT[k] }))}
                />
                <DatePicker value={leftDate} onChange={(d) => d && setLeftDate(d)} allowClear={false} />
                <Popconfirm
                  title={`确认将${s.name}标记为${LEFT_REASON_TEXT[leftReason]}？`}
                  description="学生和历史记录都会保留，可随时恢复在校。"
                  onConfirm={() => setStatus('left')}
                >
                  <Button>标记离校</Button>
                </Popconfirm>
              </>
            ) : (
              <Button onClick={() => void setStatus('enrolled')}>恢复在校</Button>
            )}
          </Space>
          {accountOpen && (
            <AccountDialog
              student={s}
              onClose={() => setAccountOpen(false)}
              onSaved={() => {
                setAccountOpen(false);
                void load(revealed);
              }}
            />
          )}
          <StudentPayments studentId={s.id} reveal={revealed} />
          <h4>修改记录</h4>
          {history.length === 0 ? (
            <p className="muted">暂无修改记录</p>
          ) : (
            <Timeline
              items={history.map((h) => ({
                children: (
                  <span>
                    <span className="muted">
                      {dayjs(h.at).format('YYYY-MM-DD HH:mm')}{' '}
                      {h.source === 'import' ? '名册导入' : h.source === 'edit' ? '手工修改' : '状态'}
                    </span>
                    <br />
                    {h.field}：{h.oldValue ?? '空'} → {h.newValue ?? '空'}
                  </span>
                ),
              }))}
            />
          )}
        </>
      )}
    </Drawer>
  );
}

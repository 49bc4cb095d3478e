import { CheckOutlined, CloudUploadOutlined, DownloadOutlined, EditOutlined } from '@ant-design/icons';
import { useSchoolScope } from '../../components/SchoolScope';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Input,
  Modal,
  Progress,
  Radio,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import {
  CHANNEL_TEXT,
  PAYMENT_STATE_TEXT,
  type BankReturnResult,
  type PaymentChannel,
  type PaymentLine,
  type PaymentState,
  type PaymentSummary,
} from '../../../../shared/domain/payment';
import type { School } from '../../../../shared/domain/school';
import { fenToYuan, formatYuan } from '../../../../shared/rules/money';
import { checkStudent } from '../../../../shared/rules/student';
import { termText } from '../../../../shared/rules/term';
import { client, uploadOf } from '../../api/client';
import { ExportTableButton } from '../../components/ExportTableButton';
import { saveFile } from '../../components/files';
import { TermSelect, useTermProgrammes } from '../../components/TermProgramme';
import { StudentPayments } from './StudentPayments';
import { InKindPanel } from './InKindPanel';
import { today } from '../../api/today';

const STATE_COLOR: Record<PaymentState, string> = { due: 'default', paid: 'green', failed: 'red' };

function BankImportDialog({
  programmeId,
  term,
  onClose,
  onDone,
}: {
  programmeId: number;
  term: School['term'];
  onClose(): void;
  onDone(): void;
}) {
  const { message } = AntApp.useApp();
  const [paidOn, setPaidOn] = useState(today());
  const [preview, setPreview] = useState<(BankReturnResult & { uploadId: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const read = async (file: File) => {
    setError(null);
    setPreview(null);
    try {
      setPreview(
        await client.invoke('payments.importBank', {
          upload: await uploadOf(file),
          programmeId,
          term,
          paidOn,
          dryRun: true,
        }),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const apply = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const r = await client.invoke('payments.importBank', {
        upload: { uploadId: preview.uploadId },
        programmeId,
        term,
        paidOn,
        dryRun: false,
      });
      message.success(`已登记：发放成功 ${r.paid} 人，失败 ${r.failed.length} 人`);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={820}
      title="导入银行代发结果（回单）"
      onCancel={onClose}
      okText="确认登记"
      okButtonProps={{ disabled: !preview, loading: busy }}
      onOk={() => void apply()}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          发放日期
          <DatePicker
            aria-label="发放日期"
            value={dayjs(paidOn)}
            onChange={(d) => d && setPaidOn(d.format('YYYY-MM-DD'))}
            allowClear={false}
          />
        </Space>
        <Upload.Dragger
          accept=".xlsx,.xls,.csv"
          showUploadList={false}
          beforeUpload={(f) => {
            void read(f);
            return false;
          }}
        >
          <p>
            <CloudUploadOutlined style={{ fontSize: 28, color: '#1677ff' }} />
          </p>
          <p>选择银行返回的代发结果文件（.xlsx / .csv）</p>
          <p className="muted">按“账号 + 户名”与本项目本学期的受助学生对应；对应不上的行只列出，不登记。</p>
        </Upload.Dragger>
        {error && <Alert type="error" showIcon message={error} />}
        {preview && (
          <>
            <Alert
              type={preview.unmatched.length ? 'warning' : 'success'}
              showIcon
              message={`“${preview.fileName}”（${preview.sheetName}）共 ${preview.rows} 行：成功 ${preview.paid} 人，失败 ${preview.failed.length} 人${preview.alreadyPaid ? `，此前已登记 ${preview.alreadyPaid} 人` : ''}${preview.alreadyRecorded ? `，此前导入时已登记 ${preview.alreadyRecorded} 行（不重复登记）` : ''}，无法对应 ${preview.unmatched.length} 行`}
            />
            {preview.failed.length > 0 && (
              <Table
                size="small"
                rowKey="applicationId"
                pagination={false}
                scroll={{ y: 150 }}
                dataSource={preview.failed}
                title={() => <b>发放失败（银行原因）</b>}
                columns={[
                  { title: '学生', dataIndex: 'student', width: 120 },
                  { title: '账号', dataIndex: 'account', className: 'mono', width: 200 },
                  { title: '原因', dataIndex: 'reason' },
                ]}
              />
            )}
            {preview.unmatched.length > 0 && (
              <Table
                size="small"
                rowKey="row"
                pagination={false}
                scroll={{ y: 150 }}
                dataSource={preview.unmatched}
                title={() => <b>无法对应（不登记）</b>}
                columns={[
                  { title: '行', dataIndex: 'row', width: 50 },
                  { title: '户名', dataIndex: 'name', width: 90 },
                  { title: '账号', dataIndex: 'account', className: 'mono', width: 190 },
                  { title: '原因', dataIndex: 'reason' },
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}

function CardDialog({ line, onClose, onDone }: { line: PaymentLine; onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [card, setCard] = useState('');
  const check = card ? checkStudent({ bankCard: card }, today()) : null;
  const problem = check?.problems.find((p) => p.field === 'bankCard');
  const save = async () => {
    try {
      await client.invoke('students.update', { id: line.studentId, fields: { bankCard: card } });
      message.success(`已更正${line.name}的卡号（修改记录已保存），请重新发放`);
      onDone();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open
      title={`更正银行卡号：${line.className ?? ''} ${line.name}`}
      onCancel={onClose}
      okText="保存新卡号"
      okButtonProps={{ disabled: !card || problem?.severity === 'error' }}
      onOk={() => void save()}
    >
      {line.lastAttempt?.outcome === 'failed' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${line.lastAttempt.paidOn} 发放失败：${line.lastAttempt.failureReason}（账号 ${line.lastAttempt.account}）`}
        />
      )}
      <p>
        现登记卡号：<span className="mono">{line.card ?? '（无）'}</span>
      </p>
      <Input
        aria-label="新的银行卡号"
        className="mono"
        value={card}
        onChange={(e) => setCard(e.target.value)}
        placeholder="核对存折或银行卡后填写，19 位或 16 位数字"
        status={problem?.severity === 'error' ? 'error' : undefined}
      />
      {problem && <p style={{ color: problem.severity === 'error' ? '#cf1322' : '#d48806' }}>{problem.message}</p>}
      <p className="muted">
        户名不符时请核对开户人是否为学生本人；发放到监护人账户须有委托书。更正后用“导出待发放代发文件”交银行重新代发，回单导入后即登记为已发放。
      </p>
      <StudentPayments studentId={line.studentId} reveal={false} />
    </Modal>
  );
}

function RecordDialog({ lines, waiver, onClose, onDone }: { lines: PaymentLine[]; waiver: boolean; onClose(): void; onDone(): void }) {
  const { message, modal } = AntApp.useApp();
  const [paidOn, setPaidOn] = useState(today());
  const [channel, setChannel] = useState<PaymentChannel>(waiver ? 'waiver' : 'bankCard');
  // By default each student's registered account (本人, or 监护人 with a 委托书 on file).
  const [holder, setHolder] = useState<'registered' | 'student' | 'guardian'>('registered');
  const [proxyLetter, setProxy] = useState(false);
  const [reference, setReference] = useState('');
  const save = async () => {
    try {
      const r = await client.invoke('payments.record', {
        applicationIds: lines.map((l) => l.applicationId),
        paidOn,
        channel,
        holder: holder === 'registered' ? undefined : holder,
        proxyLetter,
        reference,
      });
      message.success(`已登记发放 ${r.recorded} 人`);
      if (r.refused.length)
        modal.warning({
          title: `${r.refused.length} 人未登记`,
          content: (
            <ul className="problem-list">
              {r.refused.map((x) => (
                <li key={x.applicationId}>
                  {x.name}：{x.reason}
                </li>
              ))}
            </ul>
          ),
        });
      onDone();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const amount = lines.reduce((n, l) => n + l.amount, 0);
  return (
    <Modal open title={`登记发放：${lines.length} 人，共 ${formatYuan(amount)}`} onCancel={onClose} okText="登记" onOk={() => void save()}>
      <div className="form-grid" style={{ gridTemplateColumns: '1fr 1fr' }}>
        <label>
          发放日期
          <DatePicker
            aria-label="登记发放日期"
            value={dayjs(paidOn)}
            onChange={(d) => d && setPaidOn(d.format('YYYY-MM-DD'))}
            allowClear={false}
          />
        </label>
        <label>
          发放方式
          <Select
            aria-label="发放方式"
            value={channel}
            onChange={setChannel}
            options={(Object.keys(CHANNEL_TEXT) as PaymentChannel[])
              .filter((c) => (waiver ? c === 'waiver' : c !== 'waiver'))
              .map((c) => ({ value: c, label: CHANNEL_TEXT[c] }))}
          />
        </label>
        {!waiver && channel !== 'mealCard' && (
          <label className="wide">
            收款账户
            <Radio.Group
              value={holder}
              onChange={(e) => setHolder(e.target.value as 'registered' | 'student' | 'guardian')}
              options={[
                { value: 'registered', label: '按学生信息中登记的账户' },
                { value: 'student', label: '学生本人账户' },
                { value: 'guardian', label: '监护人账户' },
              ]}
            />
          </label>
        )}
        {holder === 'guardian' && (
          <label className="wide">
            <Checkbox checked={proxyLetter} onChange={(e) => setProxy(e.target.checked)}>
              已收监护人委托书
            </Checkbox>
          </label>
        )}
        <label className="wide">
          凭证号/备注
          <Input
            aria-label="凭证号"
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            placeholder="如 银行回单号、记账凭证号"
          />
        </label>
      </div>
    </Modal>
  );
}

function SummaryBar({ s }: { s: PaymentSummary }) {
  const fig = (x: { count: number; amount: number }) => `${x.count} 人 · ${formatYuan(x.amount)}`;
  return (
    <div className="panel stats-bar">
      <Statistic title="应发" value={fig(s.due)} />
      <Statistic title="已发放" value={fig(s.paid)} valueStyle={{ color: '#389e0d' }} />
      <Statistic title="发放失败" value={fig(s.failed)} valueStyle={{ color: s.failed.count ? '#cf1322' : undefined }} />
      <Statistic title="待发放（含失败）" value={fig(s.outstanding)} />
      <div style={{ minWidth: 220 }}>
        <div className="muted">预算{s.budget === null ? '（未填写）' : ` ${formatYuan(s.budget)}`}</div>
        <Progress
          aria-label="预算执行"
          percent={
            s.budget ? Math.round((s.paid.amount / s.budget) * 100) : s.due.amount ? Math.round((s.paid.amount / s.due.amount) * 100) : 0
          }
          success={{ percent: 0 }}
          format={(p) => `已发 ${p}%`}
          status={s.budget !== null && s.due.amount > s.budget ? 'exception' : 'normal'}
        />
        {s.budget !== null && s.due.amount > s.budget && (
          <div style={{ color: '#cf1322' }}>应发超出预算 {formatYuan(s.due.amount - s.budget)}</div>
        )}
      </div>
    </div>
  );
}

/** 发放: per programme and term, who is paid, who failed and why, and the bank's result files. */
export function PaymentsPage({ school }: { school: School }) {
  const { message } = AntApp.useApp();
  const { term, setTerm, programmeId, setProgrammeId, programme, options } = useTermProgrammes(
    school,
    'payments',
    (p) => p.kind === 'paid' || p.kind === 'waiver' || p.kind === 'inKind',
  );
  const [data, setData] = useState<{ lines: PaymentLine[]; summary: PaymentSummary } | null>(null);
  const [filter, setFilter] = useState<'all' | PaymentState>('all');
  const [selected, setSelected] = useState<number[]>([]);
  const [dialog, setDialog] = useState<'bank' | 'record' | null>(null);
  const [fixing, setFixing] = useState<PaymentLine | null>(null);
  const inKind = programme?.kind === 'inKind';
  const { schoolId } = useSchoolScope();
  const load = useCallback(() => {
    if (!programmeId || inKind) return;
    client.invoke('payments.list', { programmeId, term, schoolId }).then(setData, (e: Error) => message.error(e.message));
    setSelected([]);
  }, [programmeId, term, schoolId, message, inKind]);
  useEffect(load, [load]);
  const lines = data?.lines ?? [];
  const shown = filter === 'all' ? lines : lines.filter((l) => l.state === filter);
  const waiver = programme?.kind === 'waiver';
  const exportOutstanding = () =>
    programmeId &&
    client.invoke('payments.exportOutstanding', { programmeId, term, schoolId }).then(
      (file) => {
        saveFile(file);
        if (file.fundsWarning) message.warning(`代发文件已导出。资金提醒：${file.fundsWarning}`, 10);
      },
      (e: Error) => message.error(e.message),
    );
  if (programme?.kind === 'inKind')
    return (
      <div className="page">
        <div className="toolbar">
          <h1 className="page-title">发放</h1>
          <TermSelect term={term} onChange={setTerm} />
          <Select aria-label="资助项目" style={{ width: 260 }} value={programmeId} onChange={setProgrammeId} options={options} />
          <span className="muted">实物资助：按班登记发放，打印签领表</span>
        </div>
        <InKindPanel key={`${programme.id}-${term}`} programme={programme} term={term} />
      </div>
    );
  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">发放</h1>
        <TermSelect term={term} onChange={setTerm} />
        <Select aria-label="资助项目" style={{ width: 260 }} value={programmeId} onChange={setProgrammeId} options={options} />
        <span style={{ flex: 1 }} />
        {!waiver && (
          <Button type="primary" icon={<CloudUploadOutlined />} disabled={!programme} onClick={() => setDialog('bank')}>
            导入银行回单
          </Button>
        )}
        {!waiver && (
          <Button icon={<DownloadOutlined />} disabled={!data?.summary.outstanding.count} onClick={() => void exportOutstanding()}>
            导出待发放代发文件
          </Button>
        )}
        <Button icon={<CheckOutlined />} disabled={selected.length === 0} onClick={() => setDialog('record')}>
          {waiver ? '登记减免' : '登记发放'}（{selected.length}）
        </Button>
      </div>
      {data && <SummaryBar s={data.summary} />}
      <div className="toolbar">
        <Segmented
          aria-label="发放状态"
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={[
            { value: 'all', label: `全部 ${lines.length}` },
            ...(['due', 'failed', 'paid'] as PaymentState[]).map((s) => ({
              value: s,
              label: `${PAYMENT_STATE_TEXT[s]} ${lines.filter((l) => l.state === s).length}`,
            })),
          ]}
        />
        <span className="muted">{programme ? `${termText(term)} ${programme.name}：审核通过后“上报”的学生才能登记发放` : ''}</span>
        <span style={{ flex: 1 }} />
        <ExportTableButton
          title={`${termText(term)}${programme?.name ?? ''}发放情况`}
          headers={['班级', '姓名', '金额（元）', '发放状态', '最近一次', '失败原因']}
          rows={() =>
            shown.map((l) => [
              l.className,
              l.name,
              fenToYuan(l.amount),
              PAYMENT_STATE_TEXT[l.state],
              l.lastAttempt?.paidOn ?? '',
              l.lastAttempt?.outcome === 'failed' ? l.lastAttempt.failureReason : '',
            ])
          }
        />
      </div>
      <Table<PaymentLine>
        className="page-scroll"
        size="small"
        rowKey="applicationId"
        dataSource={shown}
        pagination={{ pageSize: 100, showSizeChanger: false }}
        scroll={{ y: 'calc(100vh - 400px)' }}
        locale={{ emptyText: programme ? '本学期还没有审核通过的受助学生' : '请选择项目' }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (k) => setSelected(k as number[]),
          getCheckboxProps: (l) => ({ disabled: l.state === 'paid' || l.status !== 'submitted' }),
        }}
        columns={[
          { title: '班级', dataIndex: 'className', width: 130 },
          { title: '姓名', dataIndex: 'name', width: 100 },
          { title: '金额', dataIndex: 'amount', width: 100, align: 'right', render: formatYuan },
          {
            title: '发放状态',
            width: 290,
            render: (_, l) => (
              <Space size={4} wrap>
                <Tag color={STATE_COLOR[l.state]}>{PAYMENT_STATE_TEXT[l.state]}</Tag>
                {l.state === 'paid' && <span className="muted">{l.lastAttempt?.paidOn}</span>}
                {l.state === 'failed' && <span style={{ color: '#cf1322' }}>{l.lastAttempt?.failureReason}</span>}
                {l.cardChanged && <Tag color="blue">已更正卡号，待重发</Tag>}
                {l.status === 'approved' && <Tag>未上报</Tag>}
              </Space>
            ),
          },
          { title: '银行卡号', dataIndex: 'card', width: 200, render: (c: string | null) => <span className="mono">{c ?? '未登记'}</span> },
          {
            title: '',
            width: 110,
            render: (_, l) =>
              l.state !== 'paid' ? (
                <Button size="small" icon={<EditOutlined />} onClick={() => setFixing(l)}>
                  更正卡号
                </Button>
              ) : null,
          },
        ]}
      />
      {dialog === 'bank' && programmeId && (
        <BankImportDialog
          programmeId={programmeId}
          term={term}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            load();
          }}
        />
      )}
      {dialog === 'record' && (
        <RecordDialog
          lines={lines.filter((l) => selected.includes(l.applicationId))}
          waiver={waiver}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            load();
          }}
        />
      )}
      {fixing && (
        <CardDialog
          line={fixing}
          onClose={() => setFixing(null)}
          onDone={() => {
            setFixing(null);
            load();
          }}
        />
      )}
    </div>
  );
}

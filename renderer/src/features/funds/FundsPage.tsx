import { DownloadOutlined, PlusOutlined, PrinterOutlined, SettingOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  DatePicker,
  Drawer,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import {
  FUND_SOURCE_TEXT,
  FUND_SOURCES,
  FUNDS_GUARD_TEXT,
  MOVEMENT_KIND_TEXT,
  type Allocation,
  type FundSource,
  type FundsGuard,
  type Ledger,
  type LedgerBookEntry,
  type LedgerLine,
  type Movement,
  type SchoolSpending,
  type SetAside,
} from '../../../../shared/domain/funds';
import type { School, Term } from '../../../../shared/domain/school';
import { formatYuan, yuanToFen, type Fen } from '../../../../shared/rules/money';
import { nextTerm, schoolYearOfTerm, termText } from '../../../../shared/rules/term';
import { client } from '../../api/client';
import { today } from '../../api/today';
import { saveFile } from '../../components/files';
import { PrintPreview } from '../../components/PrintPreview';
import { TermSelect, useRememberedTerm } from '../../components/TermProgramme';

const money = (fen: Fen) => formatYuan(fen);

/** A date field that offers nothing after the core's today, and asks why when the date is earlier. */
function DateField({ label, value, onChange }: { label: string; value: string; onChange(d: string): void }) {
  return (
    <label>
      {label}
      <DatePicker
        aria-label={label}
        value={dayjs(value)}
        allowClear={false}
        disabledDate={(d) => d.format('YYYY-MM-DD') > today()}
        onChange={(d) => d && onChange(d.format('YYYY-MM-DD'))}
      />
    </label>
  );
}

function YuanField({ label, value, onChange }: { label: string; value: number | null; onChange(v: number | null): void }) {
  return (
    <label>
      {label}
      <InputNumber<number>
        aria-label={label}
        style={{ width: '100%' }}
        min={0.01}
        precision={2}
        value={value}
        addonAfter="元"
        onChange={(v) => onChange(v)}
      />
    </label>
  );
}

function SourceField({ value, onChange }: { value: FundSource; onChange(s: FundSource): void }) {
  return (
    <label>
      资金来源
      <Select
        aria-label="资金来源"
        value={value}
        onChange={onChange}
        options={FUND_SOURCES.map((s) => ({ value: s, label: FUND_SOURCE_TEXT[s] }))}
      />
    </label>
  );
}

function BackdateReason({ date, value, onChange }: { date: string; value: string; onChange(v: string): void }) {
  if (date >= today()) return null;
  return (
    <label style={{ gridColumn: '1 / -1' }}>
      补登原因（日期早于今天 {today()}）
      <Input aria-label="补登原因" value={value} placeholder="如：按银行回单补登" onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

type Dialog =
  | { kind: 'allocation'; programmeId: number | null }
  | { kind: 'receive'; allocation: Allocation }
  | { kind: 'carry' | 'return'; line: LedgerLine }
  | { kind: 'settings' };

/** The one form for each way money is recorded: a document, a receipt, a carry-over, a return. */
function EntryDialog({
  dialog,
  term,
  lines,
  onClose,
  onDone,
}: {
  dialog: Dialog;
  term: Term;
  lines: LedgerLine[];
  onClose(): void;
  onDone(): void;
}) {
  const { message } = AntApp.useApp();
  const [programmeId, setProgrammeId] = useState<number | null>(dialog.kind === 'allocation' ? dialog.programmeId : null);
  const [source, setSource] = useState<FundSource>(
    dialog.kind === 'carry' || dialog.kind === 'return' ? (dialog.line.sources[0]?.source ?? 'central') : 'central',
  );
  const [documentNumber, setDocumentNumber] = useState('');
  const [date, setDate] = useState(today());
  const [amount, setAmount] = useState<number | null>(
    dialog.kind === 'receive' ? (dialog.allocation.amount - dialog.allocation.received) / 100 : null,
  );
  const [account, setAccount] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [toTerm, setToTerm] = useState<Term>(nextTerm(term));
  const [busy, setBusy] = useState(false);
  const title =
    dialog.kind === 'allocation'
      ? '登记资金文件'
      : dialog.kind === 'receive'
        ? `登记到账：${dialog.allocation.documentNumber}`
        : dialog.kind === 'carry'
          ? `结转：${dialog.line.name}`
          : dialog.kind === 'return'
            ? `退回：${dialog.line.name}`
            : '';
  const submit = async () => {
    if (amount === null || amount <= 0) return message.error('请填写金额');
    const fen = yuanToFen(amount);
    const backdateReason = date < today() ? reason : null;
    setBusy(true);
    try {
      if (dialog.kind === 'allocation') {
        if (!programmeId) return message.error('请选择资助项目');
        await client.invoke('funds.addAllocation', { programmeId, term, source, documentNumber, documentDate: date, amount: fen, note });
      } else if (dialog.kind === 'receive') {
        await client.invoke('funds.receive', {
          allocationId: dialog.allocation.id,
          onDate: date,
          amount: fen,
          account,
          note,
          backdateReason,
        });
      } else if (dialog.kind === 'carry') {
        await client.invoke('funds.carryOver', {
          programmeId: dialog.line.programmeId,
          fromTerm: term,
          toTerm,
          source,
          amount: fen,
          onDate: date,
          note,
          backdateReason,
        });
      } else if (dialog.kind === 'return') {
        await client.invoke('funds.return', {
          programmeId: dialog.line.programmeId,
          term,
          source,
          amount: fen,
          onDate: date,
          note,
          backdateReason,
        });
      }
      message.success(`${title.split('：')[0]}已登记`);
      onDone();
    } catch (e) {
      message.error((e as Error).message, 8);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => void submit()} okText="登记" confirmLoading={busy} width={640} destroyOnHidden>
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        {dialog.kind === 'allocation' && (
          <>
            <label>
              资助项目
              <Select
                aria-label="资助项目"
                value={programmeId}
                onChange={setProgrammeId}
                options={lines.filter((l) => l.kind !== 'inKind').map((l) => ({ value: l.programmeId, label: l.name }))}
              />
            </label>
            <SourceField value={source} onChange={setSource} />
            <label>
              文号
              <Input
                aria-label="文号"
                value={documentNumber}
                placeholder="如：青财教〔2026〕15号"
                onChange={(e) => setDocumentNumber(e.target.value)}
              />
            </label>
            <DateField label="文件日期" value={date} onChange={setDate} />
            <YuanField label="下达金额" value={amount} onChange={setAmount} />
          </>
        )}
        {dialog.kind === 'receive' && (
          <>
            <span className="muted" style={{ gridColumn: '1 / -1' }}>
              {FUND_SOURCE_TEXT[dialog.allocation.source]}资金，下达 {money(dialog.allocation.amount)}，已到账{' '}
              {money(dialog.allocation.received)}
            </span>
            <DateField label="到账日期" value={date} onChange={setDate} />
            <YuanField label="到账金额" value={amount} onChange={setAmount} />
            <label>
              到账账户（资金专户）
              <Input aria-label="到账账户" value={account} onChange={(e) => setAccount(e.target.value)} />
            </label>
          </>
        )}
        {(dialog.kind === 'carry' || dialog.kind === 'return') && (
          <>
            <span className="muted" style={{ gridColumn: '1 / -1' }}>
              本学期结余 {money(dialog.line.balance)}：
              {dialog.line.sources.map((s) => `${FUND_SOURCE_TEXT[s.source]} ${money(s.available)}`).join('，') || '还没有到账资金'}
            </span>
            <SourceField value={source} onChange={setSource} />
            <YuanField label={dialog.kind === 'carry' ? '结转金额' : '退回金额'} value={amount} onChange={setAmount} />
            {dialog.kind === 'carry' && (
              <label>
                结转到
                <Select
                  aria-label="结转到"
                  value={toTerm}
                  onChange={setToTerm}
                  options={[nextTerm(term), nextTerm(nextTerm(term))].map((t) => ({ value: t, label: termText(t) }))}
                />
              </label>
            )}
            <DateField label={dialog.kind === 'carry' ? '结转日期' : '退回日期'} value={date} onChange={setDate} />
          </>
        )}
        <label style={{ gridColumn: '1 / -1' }}>
          {dialog.kind === 'return' ? '退回依据（上级通知文号、原因）' : '说明'}
          <Input aria-label="说明" value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {dialog.kind !== 'allocation' && <BackdateReason date={date} value={reason} onChange={setReason} />}
      </div>
    </Modal>
  );
}

function SettingsDialog({ school, term, onClose }: { school: School; term: Term; onClose(): void }) {
  const { message } = AntApp.useApp();
  const year = schoolYearOfTerm(term);
  const [guard, setGuard] = useState<FundsGuard>('warn');
  const [setAside, setSetAside] = useState<SetAside | null>(null);
  const [feeIncome, setFeeIncome] = useState<number | null>(null);
  const [percent, setPercent] = useState(5);
  useEffect(() => {
    client.invoke('funds.settings', { schoolYear: year }).then(
      (s) => {
        setGuard(s.guard);
        setSetAside(s.setAside);
        setFeeIncome(s.setAside.feeIncome === null ? null : s.setAside.feeIncome / 100);
        setPercent(s.setAside.percent);
      },
      (e: Error) => message.error(e.message),
    );
  }, [year, message]);
  const save = () =>
    client
      .invoke('funds.saveSettings', { guard, schoolYear: year, feeIncome: feeIncome === null ? null : yuanToFen(feeIncome), percent })
      .then(
        () => {
          message.success('资金设置已保存');
          onClose();
        },
        (e: Error) => message.error(e.message),
      );
  const seniorOrVocational = school.stages.some((s) => s === 'senior' || s === 'vocational');
  return (
    <Modal open title="资金台账设置" onCancel={onClose} onOk={() => void save()} okText="保存" width={600}>
      <p>上报名单或代发文件的金额超过已到账资金的结余时：</p>
      <Radio.Group
        aria-label="资金不足时"
        value={guard}
        onChange={(e) => setGuard(e.target.value as FundsGuard)}
        options={(['warn', 'block'] as FundsGuard[]).map((g) => ({ value: g, label: FUNDS_GUARD_TEXT[g] }))}
      />
      <h3 style={{ marginTop: 16 }}>校内资助提取（{year} 学年）</h3>
      <p className="muted">
        普通高中和中职学校从事业收入（学费）中提取 3%–5% 用于校内资助。
        {seniorOrVocational ? '' : '本校没有高中或中职学段，一般不需要填写。'}
      </p>
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <YuanField label="本学年学费收入" value={feeIncome} onChange={setFeeIncome} />
        <label>
          提取比例
          <InputNumber<number>
            aria-label="提取比例"
            min={0}
            max={100}
            step={0.5}
            value={percent}
            addonAfter="%"
            onChange={(v) => setPercent(v ?? 0)}
          />
        </label>
      </div>
      {setAside && (
        <p style={{ marginTop: 8 }} data-testid="set-aside">
          应提取 {setAside.required === null ? '（请填写学费收入）' : money(setAside.required)}，已提取（校内资助项目“学校自筹”到账）
          {money(setAside.setAside)}， 已使用 {money(setAside.spent)}
          {setAside.required !== null && setAside.setAside < setAside.required
            ? `，还差 ${money(setAside.required - setAside.setAside)}`
            : ''}
        </p>
      )}
    </Modal>
  );
}

function ProgrammeDrawer({
  line,
  term,
  onClose,
  onChanged,
  onDialog,
  onPrint,
}: {
  line: LedgerLine;
  term: Term;
  onClose(): void;
  onChanged(): void;
  onDialog(d: Dialog): void;
  onPrint(doc: PrintDocument): void;
}) {
  const { message } = AntApp.useApp();
  const [data, setData] = useState<{ line: LedgerLine; allocations: Allocation[]; movements: Movement[]; book: LedgerBookEntry[] } | null>(
    null,
  );
  const load = useCallback(() => {
    client.invoke('funds.programme', { programmeId: line.programmeId, term }).then(setData, (e: Error) => message.error(e.message));
  }, [line, term, message]);
  useEffect(load, [load]);
  const remove = (entry: 'allocation' | 'movement', entryId: number) =>
    client.invoke('funds.remove', { entry, entryId }).then(
      () => {
        message.success('已撤销这笔登记（操作记录中保留）');
        load();
        onChanged();
      },
      (e: Error) => message.error(e.message, 8),
    );
  const l = data?.line ?? line;
  return (
    <Drawer open width={980} title={`${l.name} · ${termText(term)} 资金明细`} onClose={onClose} destroyOnHidden>
      <Space size={32} wrap style={{ marginBottom: 12 }}>
        <Statistic title="下达" value={money(l.allocated)} />
        <Statistic title="到账及结转" value={money(l.available)} />
        <Statistic title={l.kind === 'meals' ? '营养餐支出' : '已发放'} value={money(l.paid)} />
        {l.waived > 0 && <Statistic title="减免" value={money(l.waived)} />}
        <Statistic title="待发放" value={money(l.committed)} suffix={<span className="muted">{l.committedCount} 人</span>} />
        <Statistic title="结余" value={money(l.balance)} valueStyle={{ color: l.free < 0 ? '#cf1322' : undefined }} />
      </Space>
      {l.free < 0 && <p style={{ color: '#cf1322' }}>结余不足以发放已审核通过的学生，差 {money(-l.free)}</p>}
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <Button icon={<PlusOutlined />} onClick={() => onDialog({ kind: 'allocation', programmeId: l.programmeId })}>
          登记资金文件
        </Button>
        <Button onClick={() => onDialog({ kind: 'carry', line: l })}>结转到下学期</Button>
        <Button onClick={() => onDialog({ kind: 'return', line: l })}>退回</Button>
        <span style={{ flex: 1 }} />
        <Button
          icon={<PrinterOutlined />}
          onClick={() =>
            client.invoke('funds.print', { programmeId: l.programmeId, term }).then(onPrint, (e: Error) => message.error(e.message))
          }
        >
          打印台账
        </Button>
        <Button
          icon={<DownloadOutlined />}
          onClick={() =>
            client.invoke('funds.export', { programmeId: l.programmeId, term }).then(saveFile, (e: Error) => message.error(e.message))
          }
        >
          导出台账
        </Button>
      </div>
      <h3>资金文件</h3>
      <Table<Allocation>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data?.allocations ?? []}
        locale={{ emptyText: '还没有登记资金文件' }}
        columns={[
          { title: '文号', dataIndex: 'documentNumber' },
          { title: '日期', dataIndex: 'documentDate', width: 110 },
          { title: '来源', dataIndex: 'source', width: 90, render: (s: FundSource) => FUND_SOURCE_TEXT[s] },
          { title: '下达', dataIndex: 'amount', width: 120, align: 'right', render: money },
          { title: '已到账', dataIndex: 'received', width: 120, align: 'right', render: money },
          {
            title: '',
            width: 190,
            render: (_, a) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  disabled={a.received >= a.amount}
                  onClick={() => onDialog({ kind: 'receive', allocation: a })}
                >
                  登记到账
                </Button>
                <Popconfirm title={`撤销资金文件 ${a.documentNumber}？`} onConfirm={() => void remove('allocation', a.id)}>
                  <Button size="small" danger>
                    撤销
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <h3 style={{ marginTop: 16 }}>到账、结转和退回</h3>
      <Table<Movement>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data?.movements ?? []}
        locale={{ emptyText: '还没有到账登记' }}
        columns={[
          { title: '日期', dataIndex: 'onDate', width: 110 },
          { title: '类型', dataIndex: 'kind', width: 90, render: (k: Movement['kind']) => <Tag>{MOVEMENT_KIND_TEXT[k]}</Tag> },
          { title: '来源', dataIndex: 'source', width: 90, render: (s: FundSource) => FUND_SOURCE_TEXT[s] },
          { title: '金额', dataIndex: 'amount', width: 120, align: 'right', render: money },
          {
            title: '说明',
            render: (_, m) =>
              [
                m.documentNumber,
                m.otherTerm ? (m.kind === 'carryIn' ? `自${termText(m.otherTerm)}` : `至${termText(m.otherTerm)}`) : '',
                m.account && `账户 ${m.account}`,
                m.note,
                m.backdateReason && `补登：${m.backdateReason}`,
              ]
                .filter(Boolean)
                .join('；'),
          },
          {
            title: '',
            width: 80,
            render: (_, m) => (
              <Popconfirm
                title={m.kind === 'carryIn' || m.kind === 'carryOut' ? '撤销这笔结转（两个学期的记录一起撤销）？' : '撤销这笔登记？'}
                onConfirm={() => void remove('movement', m.id)}
              >
                <Button size="small" danger>
                  撤销
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <h3 style={{ marginTop: 16 }}>台账明细（按日期）</h3>
      <Table<LedgerBookEntry>
        size="small"
        rowKey={(e) => `${e.date}-${e.summary}-${e.balance}`}
        pagination={false}
        dataSource={data?.book ?? []}
        columns={[
          { title: '日期', dataIndex: 'date', width: 110 },
          { title: '摘要', dataIndex: 'summary' },
          { title: '来源', dataIndex: 'source', width: 90, render: (s: FundSource | null) => (s ? FUND_SOURCE_TEXT[s] : '') },
          { title: '下达', dataIndex: 'allocated', width: 110, align: 'right', render: (v: Fen | null) => (v === null ? '' : money(v)) },
          { title: '收入', dataIndex: 'income', width: 110, align: 'right', render: (v: Fen | null) => (v === null ? '' : money(v)) },
          { title: '支出', dataIndex: 'spending', width: 110, align: 'right', render: (v: Fen | null) => (v === null ? '' : money(v)) },
          { title: '结余', dataIndex: 'balance', width: 120, align: 'right', render: money },
        ]}
      />
    </Drawer>
  );
}

/** 资金台账: per programme and source, the money allocated, received, paid and left, and how each was recorded. */
export function FundsPage({ school }: { school: School }) {
  const { message } = AntApp.useApp();
  const [term, setTerm] = useRememberedTerm(school, 'funds');
  const [ledger, setLedger] = useState<Ledger | null>(null);
  const [open, setOpen] = useState<LedgerLine | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const [version, setVersion] = useState(0);
  const load = useCallback(() => {
    client.invoke('funds.ledger', { term }).then(setLedger, (e: Error) => message.error(e.message));
  }, [term, message]);
  useEffect(load, [load]);
  const t = ledger?.total;
  const fail = (e: Error) => message.error(e.message);
  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">资金台账</h1>
        <TermSelect term={term} onChange={setTerm} />
        <span style={{ flex: 1 }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'allocation', programmeId: null })}>
          登记资金文件
        </Button>
        <Button icon={<PrinterOutlined />} onClick={() => client.invoke('funds.print', { term }).then(setDoc, fail)}>
          打印汇总
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => client.invoke('funds.export', { term }).then(saveFile, fail)}>
          导出汇总
        </Button>
        <Button icon={<PrinterOutlined />} onClick={() => client.invoke('funds.printNotice', { term }).then(setDoc, fail)}>
          资金使用情况通报
        </Button>
        <Button icon={<SettingOutlined />} onClick={() => setDialog({ kind: 'settings' })}>
          设置
        </Button>
      </div>
      {t && (
        <Space size={40} wrap data-testid="funds-total">
          <Statistic title="下达" value={money(t.allocated)} />
          <Statistic title="到账及结转" value={money(t.available)} />
          <Statistic title="已支出（发放、减免、供餐）" value={money(t.paid + t.waived)} />
          <Statistic title="待发放" value={money(t.committed)} />
          <Statistic title="结余" value={money(t.balance)} />
          {t.awaited > 0 && <Statistic title="尚未到账" value={money(t.awaited)} />}
        </Space>
      )}
      <Table<LedgerLine>
        className="page-scroll"
        size="small"
        rowKey="programmeId"
        pagination={false}
        dataSource={ledger?.lines ?? []}
        onRow={(l) => ({ onDoubleClick: () => setOpen(l) })}
        columns={[
          { title: '资助项目', dataIndex: 'name', render: (n: string, l) => <a onClick={() => setOpen(l)}>{n}</a> },
          {
            title: '资金来源',
            render: (_, l) =>
              l.sources.length ? (
                l.sources.map((s) => <Tag key={s.source}>{FUND_SOURCE_TEXT[s.source]}</Tag>)
              ) : (
                <span className="muted">未登记</span>
              ),
          },
          { title: '下达', dataIndex: 'allocated', align: 'right', render: money },
          { title: '到账及结转', dataIndex: 'available', align: 'right', render: money },
          {
            title: '发放',
            dataIndex: 'paid',
            align: 'right',
            render: (v: Fen, l) => (l.kind === 'meals' ? <span title="营养餐（按日登记）">{money(v)}</span> : money(v)),
          },
          { title: '减免', dataIndex: 'waived', align: 'right', render: money },
          {
            title: '待发放',
            dataIndex: 'committed',
            align: 'right',
            render: (v: Fen, l) => (v ? `${money(v)}（${l.committedCount} 人）` : money(0)),
          },
          {
            title: '结余',
            dataIndex: 'balance',
            align: 'right',
            render: (v: Fen, l) => (
              <span
                style={{ color: l.free < 0 ? '#cf1322' : undefined }}
                title={l.free < 0 ? `发放已审核通过的学生还差 ${money(-l.free)}` : undefined}
              >
                {money(v)}
                {l.free < 0 && l.committed > 0 ? `（差 ${money(-l.free)}）` : ''}
              </span>
            ),
          },
        ]}
      />
      {ledger?.bySchool && (
        <Table<SchoolSpending>
          size="small"
          rowKey="schoolId"
          pagination={false}
          data-testid="funds-schools"
          title={() => '各校支出：资金由中心校统一收支，按学生所在学校分列'}
          dataSource={ledger.bySchool}
          columns={[
            { title: '学校', dataIndex: 'name' },
            { title: '发放', dataIndex: 'paid', align: 'right', render: money },
            { title: '减免', dataIndex: 'waived', align: 'right', render: money },
            { title: '营养餐', dataIndex: 'meals', align: 'right', render: money },
            {
              title: '待发放',
              dataIndex: 'committed',
              align: 'right',
              render: (v: Fen, x) => (v ? `${money(v)}（${x.committedCount} 人）` : money(0)),
            },
          ]}
        />
      )}
      {open && (
        <ProgrammeDrawer
          key={`${open.programmeId}-${version}`}
          line={open}
          term={term}
          onClose={() => setOpen(null)}
          onChanged={load}
          onDialog={setDialog}
          onPrint={setDoc}
        />
      )}
      {dialog?.kind === 'settings' && <SettingsDialog school={school} term={term} onClose={() => setDialog(null)} />}
      {dialog && dialog.kind !== 'settings' && (
        <EntryDialog
          dialog={dialog}
          term={term}
          lines={ledger?.lines ?? []}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            load();
            setVersion((v) => v + 1);
          }}
        />
      )}
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
    </div>
  );
}

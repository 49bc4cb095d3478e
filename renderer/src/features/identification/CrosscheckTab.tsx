import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { ListPreview } from '../../../../shared/api/lists';
import {
  LIST_KIND_KEYS,
  LIST_KINDS,
  type CrosscheckItem,
  type CrosscheckResult,
  type ListKind,
  type ListLayout,
  type OfficialList,
} from '../../../../shared/domain/official-list';
import { PRIORITY_GROUPS } from '../../../../shared/domain/priority-group';
import { client, uploadOf } from '../../api/client';
import { today } from '../../api/today';
import { ExportTableButton } from '../../components/ExportTableButton';

function ListImportDialog({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [kind, setKind] = useState<ListKind>('poverty');
  const [preview, setPreview] = useState<ListPreview | null>(null);
  const [listDate, setListDate] = useState(today());
  // 城市/农村 for 低保 and 特困 rows whose category does not say: only rural ones are among the 四类.
  const [area, setArea] = useState<'rural' | 'urban' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The clerk's tick that a list naming most of the school is right: for the file it was given to only.
  const [confirmedMany, setConfirmedMany] = useState(false);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const read = (file: File) =>
    run(async () => {
      setConfirmedMany(false);
      setPreview(await client.invoke('lists.preview', { upload: await uploadOf(file), kind, area }));
    });
  const relayout = (patch: Partial<ListLayout>) =>
    preview &&
    run(async () =>
      setPreview(
        await client.invoke('lists.preview', {
          upload: { uploadId: preview.uploadId },
          kind,
          area,
          layout: { ...preview.layout, ...patch },
        }),
      ),
    );
  const many = preview !== null && preview.enrolled >= 10 && preview.inRoster * 2 > preview.enrolled;
  const save = () =>
    preview &&
    run(async () => {
      const list = await client.invoke('lists.import', {
        uploadId: preview.uploadId,
        kind,
        layout: preview.layout,
        listDate,
        area,
        confirmMany: many && confirmedMany,
      });
      message.success(`已导入${LIST_KINDS[list.kind].text}（${list.rowCount} 条）`);
      onDone();
    });
  const columnOptions = preview?.columns.map((c) => ({ value: c.index, label: `${c.letter}列 ${c.header}` })) ?? [];
  return (
    <Modal
      open
      width={860}
      title="导入县级名单"
      onCancel={onClose}
      confirmLoading={busy}
      okText="导入名单"
      okButtonProps={{ disabled: !preview || (many && !confirmedMany) }}
      onOk={() => void save()}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 10 }} />}
      <Space style={{ marginBottom: 10 }} wrap>
        名单类型
        <Select
          aria-label="名单类型"
          style={{ width: 240 }}
          value={kind}
          onChange={(k) => {
            setKind(k);
            setPreview(null);
          }}
          options={LIST_KIND_KEYS.map((k) => ({ value: k, label: LIST_KINDS[k].text }))}
        />
        名单日期
        <DatePicker aria-label="名单日期" value={dayjs(listDate)} onChange={(d) => d && setListDate(d.format('YYYY-MM-DD'))} />
        {(kind === 'dibao' || kind === 'extreme-poverty') && (
          <>
            未注明城乡的行按
            <Select
              aria-label="名单城乡"
              style={{ width: 200 }}
              value={area}
              onChange={(v) => {
                setArea(v);
                if (preview)
                  void run(async () =>
                    setPreview(
                      await client.invoke('lists.preview', {
                        upload: { uploadId: preview.uploadId },
                        kind,
                        area: v,
                        layout: preview.layout,
                      }),
                    ),
                  );
              }}
              options={[
                { value: null as unknown as 'rural', label: '不确定（逐人核对）' },
                { value: 'rural', label: '农村低保/特困' },
                { value: 'urban', label: '城市低保/特困' },
              ]}
            />
          </>
        )}
      </Space>
      {!preview && (
        <Upload.Dragger
          accept=".xlsx,.xls,.csv"
          showUploadList={false}
          beforeUpload={(file) => {
            void read(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>点击或拖入县里发来的名单（.xlsx 或 .csv）</p>
        </Upload.Dragger>
      )}
      {preview && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <div>
            {preview.fileName}：{preview.rows} 行，{preview.people} 人，其中本校在校学生 <strong>{preview.inRoster}</strong> 人
            {preview.areaUnknown > 0 && (
              <Tag color="orange" style={{ marginLeft: 8 }}>
                {preview.areaUnknown} 人未注明城市或农村（不计入“四类”，检查中会列出）
              </Tag>
            )}
            {many && (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 8 }}
                data-testid="list-many"
                message={`这份名单列出了本校在校学生 ${preview.enrolled} 人中的 ${preview.inRoster} 人（超过一半），不像是县里发来的名单。导入后这些学生都会被比对为特殊群体。`}
                description={
                  <Checkbox checked={confirmedMany} onChange={(e) => setConfirmedMany(e.target.checked)}>
                    我已核对，这确实是县里发来的名单
                  </Checkbox>
                }
              />
            )}
            {preview.fromProfile && (
              <Tag color="blue" style={{ marginLeft: 8 }}>
                按上次保存的格式
              </Tag>
            )}
          </div>
          <Space wrap>
            表头在第
            <InputNumber
              aria-label="表头行"
              min={1}
              max={100}
              value={preview.layout.headerRow}
              onChange={(v) => v && void relayout({ headerRow: v })}
            />
            行 身份证号列
            <Select
              aria-label="身份证号列"
              mode="multiple"
              style={{ minWidth: 180 }}
              value={preview.layout.idColumns}
              onChange={(v) => v.length && void relayout({ idColumns: v })}
              options={columnOptions}
            />
            姓名列
            <Select
              aria-label="姓名列"
              allowClear
              style={{ width: 150 }}
              value={preview.layout.nameColumn}
              onChange={(v) => void relayout({ nameColumn: v ?? null })}
              options={columnOptions}
            />
            类别列
            <Select
              aria-label="类别列"
              allowClear
              style={{ width: 150 }}
              value={preview.layout.categoryColumn}
              onChange={(v) => void relayout({ categoryColumn: v ?? null })}
              options={columnOptions}
            />
          </Space>
          <Table
            size="small"
            pagination={false}
            rowKey="text"
            dataSource={preview.categories}
            columns={[
              { title: '名单中的类别', dataIndex: 'text' },
              { title: '行数', dataIndex: 'count', width: 80 },
              {
                title: '标记为',
                render: (_, c) =>
                  c.group ? <Tag color="blue">{PRIORITY_GROUPS[c.group]}</Tag> : <span className="muted">不属特殊群体，跳过</span>,
              },
            ]}
          />
          {preview.problems.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={`${preview.problems.length} 行身份证号有问题，不会导入：`}
              description={
                <ul className="problem-list">
                  {preview.problems.map((p) => (
                    <li key={`${p.row}${p.column}`}>
                      第 {p.row} 行 {p.column}：{p.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </Space>
      )}
    </Modal>
  );
}

export function CrosscheckTab() {
  const { message, modal } = AntApp.useApp();
  const [lists, setLists] = useState<OfficialList[]>([]);
  const [result, setResult] = useState<CrosscheckResult | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [importing, setImporting] = useState(false);
  const load = useCallback(() => {
    client.invoke('lists.list', {}).then(setLists, (e: Error) => message.error(e.message));
    client.invoke('crosscheck.run', {}).then(
      (r) => {
        setResult(r);
        setSelected(r.listedNotFlagged.map((i) => `${i.studentId}:${i.group}`));
      },
      (e: Error) => message.error(e.message),
    );
  }, [message]);
  useEffect(load, [load]);

  const apply = async () => {
    try {
      const items = selected.map((k) => {
        const [studentId, group] = k.split(':');
        return { studentId: Number(studentId), group: group as CrosscheckItem['group'] };
      });
      const r = await client.invoke('crosscheck.apply', { items });
      message.success(`已按名单标记 ${r.flagged} 项`);
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const remove = (item: CrosscheckItem) => {
    let reason = '';
    modal.confirm({
      title: `取消 ${item.name} 的“${PRIORITY_GROUPS[item.group]}”标记`,
      content: <Input aria-label="取消原因" placeholder="原因，如：核实后不属于低保户" onChange={(e) => (reason = e.target.value)} />,
      okText: '取消标记',
      onOk: async () => {
        try {
          await client.invoke('flags.remove', { studentId: item.studentId, group: item.group, reason });
          message.success('已取消标记，记录在学生的修改历史中');
          load();
        } catch (e) {
          // The message says why; the dialog closes (a rejected onOk would only be logged as an error).
          message.error((e as Error).message);
        }
      },
    });
  };
  const columns = [
    { title: '班级', dataIndex: 'className', width: 130 },
    { title: '姓名', dataIndex: 'name', width: 90 },
    { title: '群体', width: 150, render: (_: unknown, i: CrosscheckItem) => PRIORITY_GROUPS[i.group] },
    {
      title: '来源',
      render: (_: unknown, i: CrosscheckItem) =>
        `${i.source}${i.sourceDate ? ` ${i.sourceDate}` : ''}${i.flaggedOtherwise ? '（已有本人申报等标记）' : ''}`,
    },
  ];
  return (
    <div className="page-scroll">
      <div className="toolbar">
        <Button type="primary" onClick={() => setImporting(true)}>
          导入县级名单
        </Button>
        <span className="muted">
          已导入：{lists.length ? lists.map((l) => `${LIST_KINDS[l.kind].text}（${l.listDate}）`).join('；') : '无'}
        </span>
      </div>
      {result && result.groups.length > 0 && (
        <>
          <Space size={40} style={{ margin: '12px 0' }}>
            <Statistic title="一致" value={result.matched} />
            <Statistic
              title="名单有、未标记"
              value={result.listedNotFlagged.length}
              valueStyle={{ color: result.listedNotFlagged.length ? '#d4380d' : undefined }}
            />
            <Statistic
              title="已标记、名单无"
              value={result.flaggedNotListed.length}
              valueStyle={{ color: result.flaggedNotListed.length ? '#d48806' : undefined }}
            />
            <Statistic title="名单上非本校在校生（忽略）" value={result.notInRoster} />
          </Space>
          <div className="muted">比对范围：{result.groups.map((g) => PRIORITY_GROUPS[g]).join('、')}（按每类名单最新导入的一份）</div>
          <h3>名单上有、学生未标记</h3>
          <Button type="primary" disabled={selected.length === 0} onClick={() => void apply()} style={{ marginBottom: 8 }}>
            按名单标记所选（{selected.length}）
          </Button>
          <Table
            size="small"
            rowKey={(i) => `${i.studentId}:${i.group}`}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            dataSource={result.listedNotFlagged}
            columns={columns}
            rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) }}
          />
          <ExportTableButton
            title="名单比对结果"
            headers={['类别', '班级', '姓名', '群体', '来源', '日期']}
            rows={() => [
              ...result.listedNotFlagged.map((i) => [
                '名单上有、未标记',
                i.className,
                i.name,
                PRIORITY_GROUPS[i.group],
                i.source,
                i.sourceDate,
              ]),
              ...result.flaggedNotListed.map((i) => [
                '已标记、名单上没有',
                i.className,
                i.name,
                PRIORITY_GROUPS[i.group],
                i.source,
                i.sourceDate,
              ]),
            ]}
          />
          <h3>已标记、名单上没有（请核实）</h3>
          <Table
            size="small"
            rowKey={(i) => `${i.studentId}:${i.group}`}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            dataSource={result.flaggedNotListed}
            columns={[
              ...columns,
              {
                title: '',
                width: 100,
                render: (_: unknown, i: CrosscheckItem) => (
                  <Button size="small" onClick={() => remove(i)}>
                    取消标记
                  </Button>
                ),
              },
            ]}
          />
        </>
      )}
      {result && result.groups.length === 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          message="还没有导入县级名单。导入脱贫、监测、低保、特困等名单后，这里会列出应标未标和标了不在名单上的学生。"
        />
      )}
      {importing && (
        <ListImportDialog
          onClose={() => setImporting(false)}
          onDone={() => {
            setImporting(false);
            load();
          }}
        />
      )}
    </div>
  );
}

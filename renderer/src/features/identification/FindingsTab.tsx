import { DownloadOutlined, InboxOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, DatePicker, Input, Modal, Segmented, Space, Table, Tag, Upload } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { FINDING_CATEGORY_TEXT, type CountyFindingCase, type FindingsPreview } from '../../../../shared/domain/county-finding';
import { client, fileToBase64, uploadOf } from '../../api/client';
import { today } from '../../api/today';
import { saveFile } from '../../components/files';

function ImportDialog({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const { message } = AntApp.useApp();
  const [preview, setPreview] = useState<FindingsPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = async (file: File) => {
    setError(null);
    try {
      setPreview(await client.invoke('countyFindings.preview', { upload: await uploadOf(file) }));
    } catch (e) {
      setPreview(null);
      setError((e as Error).message);
    }
  };
  const fresh = preview?.matched.filter((m) => !m.already).length ?? 0;
  const confirm = () =>
    preview &&
    client.invoke('countyFindings.import', { uploadId: preview.uploadId }).then(
      (r) => {
        message.success(`已建立整改 ${r.opened} 条${r.already ? `，${r.already} 条此前已导入` : ''}`);
        onDone();
      },
      (e: Error) => setError(e.message),
    );
  return (
    <Modal
      open
      width={900}
      title="导入县级核查问题清单"
      onCancel={onClose}
      okText={`建立整改（${fresh} 条）`}
      okButtonProps={{ disabled: fresh === 0 }}
      onOk={() => void confirm()}
    >
      <Upload.Dragger
        accept=".xlsx,.xls,.csv"
        showUploadList={false}
        beforeUpload={(f) => {
          void read(f);
          return false;
        }}
      >
        <p>
          <InboxOutlined />
        </p>
        <p>县资助中心或全国系统下发的问题线索（任何格式，需有“身份证号”和“问题描述”两列）</p>
      </Upload.Dragger>
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} message={error} />}
      {preview && (
        <div data-testid="findings-preview">
          <p style={{ marginTop: 8 }}>
            “{preview.fileName}”表头在第 {preview.headerRow} 行，共 {preview.rows} 行：对应到本校学生 {preview.matched.length} 条（新的{' '}
            {fresh} 条），对应不上 {preview.unmatchedCount} 条。
          </p>
          <Table
            size="small"
            rowKey="row"
            pagination={false}
            scroll={{ y: 240 }}
            dataSource={preview.matched}
            columns={[
              { title: '行', dataIndex: 'row', width: 50 },
              { title: '姓名', dataIndex: 'name', width: 90 },
              { title: '班级', dataIndex: 'className', width: 120 },
              {
                title: '类型',
                dataIndex: 'category',
                width: 100,
                render: (c: keyof typeof FINDING_CATEGORY_TEXT) => FINDING_CATEGORY_TEXT[c],
              },
              { title: '问题描述', dataIndex: 'problem' },
              { title: '', dataIndex: 'already', width: 80, render: (a: boolean) => (a ? <Tag>已导入</Tag> : null) },
            ]}
          />
          {preview.unmatchedCount > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 8 }}
              message={`对应不上的 ${preview.unmatchedCount} 行（只按身份证号对应，不按姓名猜测；请核对后直接回复县里）`}
              description={preview.unmatched.map((u) => `第 ${u.row} 行 ${u.name}：${u.reason}`).join('；')}
            />
          )}
        </div>
      )}
    </Modal>
  );
}

function CaseDialog({ c, onClose, onSaved }: { c: CountyFindingCase; onClose(): void; onSaved(): void }) {
  const { message } = AntApp.useApp();
  const [result, setResult] = useState(c.result);
  const [measure, setMeasure] = useState(c.measure);
  const [correctedOn, setCorrectedOn] = useState<string | null>(c.correctedOn);
  const [attachment, setAttachment] = useState(c.attachmentName);
  const save = (close: boolean) =>
    client.invoke('countyFindings.update', { id: c.id, result, measure, correctedOn, close }).then(
      () => {
        message.success(close ? '已整改完成' : '已保存');
        onSaved();
      },
      (e: Error) => message.error(e.message, 8),
    );
  const attach = async (file: File) => {
    try {
      const r = await client.invoke('countyFindings.attach', { id: c.id, fileName: file.name, dataBase64: await fileToBase64(file) });
      setAttachment(r.attachmentName);
      message.success(`已添加“${file.name}”`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open
      width={720}
      title={`核查整改：${c.name}（${c.className}）`}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button onClick={() => void save(false)}>保存</Button>
          <Button type="primary" onClick={() => void save(true)}>
            整改完成
          </Button>
        </Space>
      }
    >
      <p>
        <Tag>{FINDING_CATEGORY_TEXT[c.category]}</Tag>
        {c.problem}
        <span className="muted">
          （{c.source} 第 {c.row} 行，{c.receivedOn} 收到）
        </span>
      </p>
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
        <label style={{ gridColumn: '1 / -1' }}>
          核查结果
          <Input.TextArea aria-label="核查结果" rows={2} value={result} onChange={(e) => setResult(e.target.value)} />
        </label>
        <label style={{ gridColumn: '1 / -1' }}>
          整改措施
          <Input.TextArea aria-label="整改措施" rows={2} value={measure} onChange={(e) => setMeasure(e.target.value)} />
        </label>
        <label>
          整改日期
          <DatePicker
            aria-label="整改日期"
            value={correctedOn ? dayjs(correctedOn) : null}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today()}
            onChange={(d) => setCorrectedOn(d ? d.format('YYYY-MM-DD') : null)}
          />
        </label>
        <label>
          附件（证明材料、整改报告）
          <Upload
            showUploadList={false}
            beforeUpload={(f) => {
              void attach(f);
              return false;
            }}
          >
            <Button icon={<PaperClipOutlined />}>{attachment ?? '上传'}</Button>
          </Upload>
        </label>
      </div>
    </Modal>
  );
}

/** 县级核查整改: the county's findings about students, each a case closed with what was checked and done. */
export function FindingsTab() {
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [cases, setCases] = useState<CountyFindingCase[]>([]);
  const [importing, setImporting] = useState(false);
  const [open, setOpen] = useState<CountyFindingCase | null>(null);
  const load = useCallback(() => {
    client
      .invoke('countyFindings.list', { status: status === 'all' ? null : status })
      .then(setCases, (e: Error) => message.error(e.message));
  }, [status, message]);
  useEffect(load, [load]);
  return (
    <div>
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <Segmented
          aria-label="整改状态"
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: 'open', label: '待整改' },
            { value: 'closed', label: '已整改' },
            { value: 'all', label: '全部' },
          ]}
        />
        <span style={{ flex: 1 }} />
        <Button type="primary" onClick={() => setImporting(true)}>
          导入核查问题清单
        </Button>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => client.invoke('countyFindings.export', {}).then(saveFile, (e: Error) => message.error(e.message))}
        >
          导出整改情况（回复县里）
        </Button>
      </div>
      <Table<CountyFindingCase>
        size="small"
        rowKey="id"
        dataSource={cases}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        locale={{ emptyText: status === 'open' ? '没有待整改的核查问题' : '没有记录' }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '班级', dataIndex: 'className', width: 120 },
          { title: '类型', dataIndex: 'category', width: 100, render: (c: keyof typeof FINDING_CATEGORY_TEXT) => FINDING_CATEGORY_TEXT[c] },
          { title: '问题描述', dataIndex: 'problem' },
          { title: '核查结果', dataIndex: 'result', width: 200 },
          {
            title: '状态',
            dataIndex: 'status',
            width: 120,
            render: (s: string, c) => (s === 'closed' ? <Tag color="green">已整改 {c.correctedOn}</Tag> : <Tag color="orange">待整改</Tag>),
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
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onDone={() => {
            setImporting(false);
            load();
          }}
        />
      )}
      {open && (
        <CaseDialog
          c={open}
          onClose={() => setOpen(null)}
          onSaved={() => {
            setOpen(null);
            load();
          }}
        />
      )}
    </div>
  );
}

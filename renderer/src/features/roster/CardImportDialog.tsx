import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Result, Space, Spin, Statistic, Table, Tabs, Tag, Upload } from 'antd';
import { useState } from 'react';
import type { CardImportResult, CardPreview, CardPreviewRow } from '../../../../shared/api/students';
import { client, uploadOf } from '../../api/client';

const KIND_TEXT: Record<CardPreviewRow['kind'], string> = { new: '新登记', changed: '更换', conflict: '与本机修改冲突', same: '未变' };

/**
 * 导入银行卡: a sheet of cards previewed against the roster (new, replaced, in conflict with the clerk's own
 * entry, unchanged, and the rows that cannot be placed), then the ticked rows written at once.
 */
export function CardImportDialog({ onClose }: { onClose(changed: boolean): void }) {
  const [preview, setPreview] = useState<CardPreview | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [result, setResult] = useState<CardImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const choose = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      const p = await client.invoke('cards.preview', { upload: await uploadOf(file) });
      setPreview(p);
      // New and replaced cards are ticked; a conflict waits for the clerk.
      setChosen(p.rows.filter((r) => r.kind === 'new' || r.kind === 'changed').map((r) => r.row));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const commit = async () => {
    setBusy(true);
    try {
      setResult(await client.invoke('cards.import', { uploadId: preview!.uploadId, rows: chosen }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const table = (kind: CardPreviewRow['kind']) => {
    const rows = preview!.rows.filter((r) => r.kind === kind);
    return (
      <Table<CardPreviewRow>
        size="small"
        rowKey="row"
        dataSource={rows}
        pagination={{ pageSize: 8, showSizeChanger: false }}
        locale={{ emptyText: '没有' }}
        rowSelection={
          kind === 'same'
            ? undefined
            : {
                selectedRowKeys: chosen.filter((r) => rows.some((x) => x.row === r)),
                onChange: (keys) => setChosen([...chosen.filter((r) => !rows.some((x) => x.row === r)), ...(keys as number[])]),
              }
        }
        columns={[
          { title: '行', dataIndex: 'row', width: 56 },
          { title: '姓名', dataIndex: 'name', width: 80 },
          { title: '班级', dataIndex: 'className', width: 110 },
          { title: '现有卡号', dataIndex: 'current', render: (v: string | null) => <span className="mono">{v ?? '无'}</span> },
          { title: '表中卡号', dataIndex: 'card', render: (v: string) => <span className="mono">{v}</span> },
          { title: '户名', width: 110, render: (_, r) => (r.holder === 'student' ? '学生本人' : `监护人 ${r.holderName}`) },
          { title: '开户行', dataIndex: 'bankName', width: 140 },
          { title: '说明', dataIndex: 'note', render: (v: string) => <span className="muted">{v}</span> },
        ]}
      />
    );
  };

  return (
    <Modal
      open
      title="导入银行卡"
      width={1040}
      maskClosable={false}
      onCancel={() => onClose(result !== null)}
      footer={
        result ? (
          <Button type="primary" onClick={() => onClose(true)}>
            完成
          </Button>
        ) : preview ? (
          <Space>
            <Button onClick={() => setPreview(null)}>重新选择文件</Button>
            <Button type="primary" loading={busy} disabled={chosen.length === 0} onClick={() => void commit()}>
              {chosen.length ? `写入所选 ${chosen.length} 人的卡号` : '没有选中要写入的行'}
            </Button>
          </Space>
        ) : null
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {result ? (
        <Result
          status={result.problems ? 'warning' : 'success'}
          title={`已写入 ${result.written} 人的银行卡`}
          subTitle={
            result.problems ? `有 ${result.problems} 行未能对应到学生，未写入：改好后再导入一次即可。` : '发放前请核对监护人账户的委托书。'
          }
        />
      ) : !preview ? (
        <Spin spinning={busy} tip="正在读取文件…">
          <Upload.Dragger
            accept=".xlsx,.xls,.csv"
            showUploadList={false}
            beforeUpload={(file) => {
              void choose(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>点击或把银行卡信息表拖到这里</p>
            <p className="muted">
              任何格式均可，只要有“卡号”列，以及“身份证号”“学籍号”或“姓名”加“班级”列；“户名”“开户行”列有则一并登记。户主或持卡人的证件号不用来找学生。
            </p>
          </Upload.Dragger>
        </Spin>
      ) : (
        <Spin spinning={busy}>
          <p>
            文件：<strong>{preview.fileName}</strong>（工作表“{preview.sheetName}”，表头在第 {preview.headerRow} 行） 识别的列：
            {preview.columns.map((c) => (
              <Tag key={c.field}>{c.label}</Tag>
            ))}
          </p>
          <Space size={40} style={{ display: 'flex', marginBottom: 8 }} data-testid="card-counts">
            <Statistic title="新登记" value={preview.counts.new} />
            <Statistic title="更换" value={preview.counts.changed} />
            <Statistic
              title="与本机修改冲突"
              value={preview.counts.conflict}
              valueStyle={{ color: preview.counts.conflict ? '#d46b08' : undefined }}
            />
            <Statistic title="未变" value={preview.counts.same} />
            <Statistic
              title="无法对应（不写入）"
              value={preview.counts.problems}
              valueStyle={{ color: preview.counts.problems ? '#cf1322' : undefined }}
            />
          </Space>
          <Tabs
            size="small"
            items={[
              ...(['new', 'changed', 'conflict', 'same'] as const).map((k) => ({
                key: k,
                label: `${KIND_TEXT[k]} ${preview.rows.filter((r) => r.kind === k).length}`,
                children: (
                  <>
                    {k === 'conflict' && (
                      <p className="muted">这些学生的卡号是在本机录入的，表中的不同。默认不写入；确认表中的卡号正确才勾选。</p>
                    )}
                    {table(k)}
                  </>
                ),
              })),
              {
                key: 'problems',
                label: `无法对应 ${preview.problems.length}`,
                children: (
                  <Table
                    size="small"
                    rowKey="row"
                    dataSource={preview.problems}
                    pagination={{ pageSize: 8, showSizeChanger: false }}
                    locale={{ emptyText: '没有' }}
                    columns={[
                      { title: '行', dataIndex: 'row', width: 56 },
                      { title: '问题', dataIndex: 'message', render: (m: string) => m.replace(/^第\d+行：/, '') },
                    ]}
                  />
                ),
              },
            ]}
          />
        </Spin>
      )}
    </Modal>
  );
}

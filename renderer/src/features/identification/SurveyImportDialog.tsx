import { InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Modal, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import type { SurveyImportPreview, SurveyReviewItem } from '../../../../shared/api/surveys';
import { client, uploadOf } from '../../api/client';

const KIND: Record<SurveyReviewItem['kind'], { text: string; color: string }> = {
  new: { text: '新填', color: 'green' },
  changed: { text: '修改', color: 'blue' },
  conflict: { text: '冲突', color: 'orange' },
};

/** A returned class workbook: every change per student and field, to accept or reject. Conflicts start rejected. */
export function SurveyImportDialog({ onClose }: { onClose(): void }) {
  const { message } = AntApp.useApp();
  const [preview, setPreview] = useState<SurveyImportPreview | null>(null);
  const [accepted, setAccepted] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const read = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      const p = await client.invoke('surveys.previewImport', { upload: await uploadOf(file) });
      setPreview(p);
      setAccepted(p.items.filter((i) => i.kind !== 'conflict').map((i) => i.key));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const r = await client.invoke('surveys.applyImport', { uploadId: preview.uploadId, accept: accepted });
      message.success(`已导入 ${r.students} 名学生的 ${r.applied} 项内容`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={980}
      title="导入班主任交回的调查表"
      onCancel={onClose}
      confirmLoading={busy}
      okText={preview ? `导入所选 ${accepted.length} 项` : '导入'}
      okButtonProps={{ disabled: !preview || accepted.length === 0 }}
      onOk={() => void apply()}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 10 }} />}
      {!preview && (
        <Upload.Dragger
          accept=".xlsx,.xls"
          showUploadList={false}
          beforeUpload={(file) => {
            void read(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>点击或拖入本机导出、班主任填好的班级调查表（.xlsx）</p>
        </Upload.Dragger>
      )}
      {preview && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <div>
            {preview.fileName}：{preview.className}，{preview.schoolYear}学年，导出于 {preview.exportedAt.slice(0, 10)}。 共{' '}
            {preview.items.length} 处改动（冲突 {preview.items.filter((i) => i.kind === 'conflict').length} 处），未变 {preview.unchanged}{' '}
            项。
          </div>
          {preview.items.some((i) => i.kind === 'conflict') && (
            <Alert type="warning" showIcon message="“冲突”是导出之后你在本机也改过的内容：默认不覆盖，确认表中的才是对的再勾选。" />
          )}
          {preview.problems.length > 0 && (
            <Alert
              type="error"
              showIcon
              message={`${preview.problems.length} 个格子填写有误，未导入：`}
              description={
                <ul className="problem-list">
                  {preview.problems.map((p) => (
                    <li key={`${p.sheet}${p.row}${p.column}`}>
                      {p.sheet} 第 {p.row} 行 {p.column}：{p.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          <Table<SurveyReviewItem>
            size="small"
            rowKey="key"
            pagination={false}
            scroll={{ y: 360 }}
            dataSource={preview.items}
            rowClassName={(i) => (i.kind === 'conflict' ? 'review-conflict' : '')}
            rowSelection={{ selectedRowKeys: accepted, onChange: (keys) => setAccepted(keys as string[]) }}
            columns={[
              { title: '学生', dataIndex: 'name', width: 80 },
              { title: '项目', dataIndex: 'label', width: 140 },
              { title: '', width: 60, render: (_, i) => <Tag color={KIND[i.kind].color}>{KIND[i.kind].text}</Tag> },
              { title: '导出时', dataIndex: 'base', width: 150 },
              { title: '表中（班主任）', dataIndex: 'theirs' },
              { title: '本机现在', dataIndex: 'mine', width: 150 },
            ]}
          />
        </Space>
      )}
    </Modal>
  );
}

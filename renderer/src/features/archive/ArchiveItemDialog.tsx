import { DeleteOutlined, FileOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Image, Input, Modal, Popconfirm, Radio, Space, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useUnsavedGuard } from '../../components/unsaved';
import type { PrintDocument } from '../../../../shared/api/common';
import { ARCHIVE_STATUS_TEXT, type ArchiveAttachment, type ArchiveItem, type ArchiveStatus } from '../../../../shared/domain/archive';
import { client, fileToBase64 } from '../../api/client';
import { saveFile } from '../../components/files';

/** A small JPEG of a photo or scan, made in the browser: the core stores it beside the file. */
async function thumbnailOf(file: File): Promise<string | null> {
  if (!file.type.startsWith('image/')) return null;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 160 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.75).split(',')[1] ?? null;
  } catch {
    return null;
  }
}

export function AttachmentThumb({ a, onOpen }: { a: ArchiveAttachment; onOpen(a: ArchiveAttachment): void }) {
  return (
    <button type="button" className="attachment-thumb" title={a.name} onClick={() => onOpen(a)}>
      {a.thumbnail ? <img src={a.thumbnail} alt={a.name} /> : <FileOutlined style={{ fontSize: 26, color: '#8a8f99' }} />}
      <span>{a.name}</span>
    </button>
  );
}

/** Opens an attachment: images in a viewer, printed documents in the print preview, anything else is saved. */
export function useAttachmentOpener(onDocument: (doc: PrintDocument) => void) {
  const { message } = AntApp.useApp();
  const [image, setImage] = useState<{ src: string; name: string } | null>(null);
  const open = async (a: ArchiveAttachment) => {
    try {
      const f = await client.invoke('archive.file', { attachmentId: a.id });
      if (f.mime.startsWith('image/')) setImage({ src: `data:${f.mime};base64,${f.dataBase64}`, name: f.fileName });
      else if (f.mime === 'text/html')
        onDocument({
          title: f.fileName.replace(/\.html?$/, ''),
          html: new TextDecoder().decode(Uint8Array.from(atob(f.dataBase64), (c) => c.charCodeAt(0))),
          pages: 1,
        });
      else saveFile(f);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const viewer = image && (
    <Image
      style={{ display: 'none' }}
      src={image.src}
      alt={image.name}
      preview={{ open: true, onOpenChange: (v) => !v && setImage(null) }}
    />
  );
  return { open, viewer };
}

/** One archive item: its status, note and files. */
export function ArchiveItemDialog({
  item,
  onClose,
  onChanged,
  onDocument,
}: {
  item: ArchiveItem;
  onClose(): void;
  onChanged(): void;
  onDocument(doc: PrintDocument): void;
}) {
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<ArchiveStatus>(item.status);
  const [note, setNote] = useState(item.note);
  const [files, setFiles] = useState(item.attachments);
  // A status or note changed and not saved: closing asks first (attachments are saved as they are added).
  const guard = useUnsavedGuard(status !== item.status || note !== item.note);
  const { open, viewer } = useAttachmentOpener(onDocument);
  const key = {
    definitionId: item.definitionId,
    period: item.period,
    programmeId: item.programmeId,
    studentId: item.studentId,
    schoolId: item.schoolId,
  };
  const add = async (file: File) => {
    try {
      const a = await client.invoke('archive.attach', {
        key,
        fileName: file.name,
        dataBase64: await fileToBase64(file),
        thumbnailBase64: await thumbnailOf(file),
      });
      setFiles((f) => [...f, a]);
      if (status === 'missing') setStatus('partial');
      message.success(`已添加“${file.name}”`);
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const remove = async (a: ArchiveAttachment) => {
    await client.invoke('archive.detach', { attachmentId: a.id }).then(
      () => setFiles((f) => f.filter((x) => x.id !== a.id)),
      (e: Error) => message.error(e.message),
    );
    onChanged();
  };
  const save = async () => {
    try {
      await client.invoke('archive.set', { keys: [key], status, note });
      message.success(`“${item.name}”：${ARCHIVE_STATUS_TEXT[status]}`);
      onChanged();
      onClose();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const whose = [item.programmeName, item.className, item.studentName].filter(Boolean).join(' ');
  return (
    <Modal
      open
      width={640}
      title={`${item.name}${whose ? `（${whose}）` : ''}`}
      onCancel={() => guard(onClose)}
      okText="保存"
      onOk={() => void save()}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          状态
          <Radio.Group
            aria-label="档案状态"
            optionType="button"
            buttonStyle="solid"
            value={status}
            onChange={(e) => setStatus(e.target.value as ArchiveStatus)}
            options={(['missing', 'partial', 'complete'] as ArchiveStatus[]).map((s) => ({ value: s, label: ARCHIVE_STATUS_TEXT[s] }))}
          />
          {item.required && <Tag color="orange">必备</Tag>}
        </Space>
        {files.some((a) => a.source === 'generated') && status !== 'complete' && (
          <Alert
            type="info"
            showIcon
            message="程序打印或导入的文件只作留底，不是签字件：请上传签字（盖章）后的纸质件扫描件或照片，或核对纸质件后标为“齐全”。"
          />
        )}
        <Input.TextArea
          aria-label="备注"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="备注，如：纸质件在 2026 年秋季档案盒第 3 册"
        />
        <div className="attachment-list">
          {files.map((a) => (
            <div key={a.id} className="attachment-cell">
              <AttachmentThumb a={a} onOpen={(x) => void open(x)} />
              {a.source === 'generated' ? (
                <Tag>程序留底</Tag>
              ) : (
                <Popconfirm title={`移除“${a.name}”？`} onConfirm={() => void remove(a)}>
                  <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={`移除${a.name}`} />
                </Popconfirm>
              )}
            </div>
          ))}
          {files.length === 0 && <span className="muted">还没有附件</span>}
        </div>
        <Upload
          multiple
          showUploadList={false}
          accept="image/*,.pdf,.doc,.docx,.xls,.xlsx"
          beforeUpload={(f) => {
            void add(f);
            return false;
          }}
        >
          <Button icon={<PaperClipOutlined />}>添加扫描件或照片</Button>
        </Upload>
        <span className="muted">文件按内容保存在数据文件夹中，同一文件只存一份，随备份一起保存。</span>
      </Space>
      {viewer}
    </Modal>
  );
}

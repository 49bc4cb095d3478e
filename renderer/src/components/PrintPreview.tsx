import { PrinterOutlined } from '@ant-design/icons';
import { Button, Modal, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { PrintDocument } from '../../../shared/api/common';
import { savePdf } from '../api/client';

/**
 * Shows a document exactly as it will print (its own HTML and print CSS, in a frame) and prints it with
 * the system dialog, where the clerk picks a printer or “另存为 PDF”.
 */
export function PrintPreview({ doc, onClose }: { doc: PrintDocument | null; onClose(): void }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!doc) return;
    const u = URL.createObjectURL(new Blob([doc.html], { type: 'text/html' }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [doc]);
  return (
    <Modal
      open={doc !== null}
      title={doc ? `打印预览：${doc.title}（共 ${doc.pages} 页）` : ''}
      width={900}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>关闭</Button>
          {savePdf && doc && <Button onClick={() => void savePdf?.(doc.html, doc.title)}>存为 PDF（留档）</Button>}
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => frame.current?.contentWindow?.print()}>
            打印 / 存为PDF
          </Button>
        </Space>
      }
    >
      {url && <iframe ref={frame} className="print-frame" title="打印预览" src={url} />}
    </Modal>
  );
}

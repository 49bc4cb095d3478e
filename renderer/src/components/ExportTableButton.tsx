import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button } from 'antd';
import { client } from '../api/client';
import { saveFile } from './files';

/** “导出本表”: the table as shown, as a plain .xlsx. */
export function ExportTableButton({
  title,
  headers,
  rows,
  disabled,
  size,
}: {
  title: string;
  headers: string[];
  rows: () => (string | number | null)[][];
  disabled?: boolean;
  size?: 'small' | 'middle';
}) {
  const { message } = AntApp.useApp();
  return (
    <Button
      icon={<DownloadOutlined />}
      size={size}
      disabled={disabled}
      onClick={() =>
        void client.invoke('export.table', { title, headers, rows: rows() }).then(saveFile, (e: Error) => message.error(e.message))
      }
    >
      导出本表
    </Button>
  );
}

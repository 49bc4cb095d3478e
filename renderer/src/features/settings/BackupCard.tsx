import { CloudDownloadOutlined, SaveOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Popconfirm, Table } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain/backup';
import { client } from '../../api/client';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** 数据备份: the database and every attachment, checked by their hashes; restoring keeps the replaced files aside. */
export function BackupCard() {
  const { message } = AntApp.useApp();
  const [data, setData] = useState<{ folder: string; backups: BackupInfo[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => void client.invoke('backup.list', {}).then(setData, (e: Error) => message.error(e.message)), [message]);
  useEffect(load, [load]);
  const create = async () => {
    setBusy(true);
    try {
      const b = await client.invoke('backup.create', {});
      message.success(`已备份：附件 ${b.attachments} 个，共 ${mb(b.databaseBytes + b.attachmentBytes)}`);
      load();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const restore = async (b: BackupInfo) => {
    try {
      await client.invoke('backup.restore', { name: b.name });
      message.success('已从备份恢复，正在重新载入');
      setTimeout(() => window.location.reload(), 800);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Card
      title="数据备份"
      size="small"
      style={{ maxWidth: 900 }}
      extra={
        <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={() => void create()}>
          立即备份
        </Button>
      }
    >
      <p className="muted">
        备份包含数据库和全部附件（扫描件、照片、银行回单），并记录校验值；保存在 {data?.folder}。请定期把这个文件夹复制到 U 盘等其他地方。
      </p>
      <Table<BackupInfo>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={data?.backups ?? []}
        locale={{ emptyText: '还没有备份' }}
        columns={[
          { title: '备份时间', width: 170, render: (_, b) => dayjs(b.createdAt).format('YYYY-MM-DD HH:mm:ss') },
          { title: '学生', dataIndex: 'students', width: 70 },
          { title: '发放记录', dataIndex: 'payments', width: 90 },
          { title: '附件', width: 120, render: (_, b) => `${b.attachments} 个 · ${mb(b.attachmentBytes)}` },
          { title: '数据库', width: 90, render: (_, b) => mb(b.databaseBytes) },
          {
            title: '',
            render: (_, b) => (
              <Popconfirm
                title="用这份备份替换当前数据？"
                description="先校验备份；当前的数据文件会移到 before-restore-时间 文件夹中保留。"
                okText="恢复"
                onConfirm={() => void restore(b)}
              >
                <Button size="small" icon={<CloudDownloadOutlined />}>
                  恢复
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}

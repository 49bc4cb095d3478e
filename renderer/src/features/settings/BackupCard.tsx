import { CloudDownloadOutlined, SaveOutlined } from '@ant-design/icons';
import { App as AntApp, Alert, Button, Card, Input, Modal, Popconfirm, Radio, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain/backup';
import { client } from '../../api/client';
import { useRemembered } from '../../components/remembered';

/** Set before the page reloads after a restore, read once when it comes back: the clerk is told what happened. */
export const RESTORED_KEY = 'aid-desk.restored';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** 数据备份: the database and every attachment, checked by their hashes; restoring keeps the replaced files aside. */
export function BackupCard() {
  const { message } = AntApp.useApp();
  const [data, setData] = useState<{ folder: string; backups: BackupInfo[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // 数据文件夹 or a folder the clerk names (a USB stick), remembered; `typed` is the path being edited.
  const [where, setWhere] = useRemembered<string>('backup.where', 'data');
  const [folder, setFolder] = useRemembered<string>('backup.folder', '');
  const [typed, setTyped] = useState(folder);
  const target = where === 'other' && folder ? { folder } : {};
  const load = useCallback(() => {
    setError(null);
    client.invoke('backup.list', where === 'other' && folder ? { folder } : {}).then(setData, (e: Error) => {
      setData(null);
      setError(e.message);
    });
  }, [where, folder]);
  useEffect(load, [load]);
  const create = async () => {
    setBusy(true);
    try {
      const b = await client.invoke('backup.create', target);
      message.success(`已备份：附件 ${b.attachments} 个，共 ${mb(b.databaseBytes + b.attachmentBytes)}`);
      load();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const restore = async (b: BackupInfo, password?: string) => {
    try {
      const info = await client.invoke('backup.restore', { name: b.name, ...target, ...(password ? { password } : {}) });
      // The page reloads on the restored data; the message is shown when it is back (App reads the note).
      sessionStorage.setItem(
        RESTORED_KEY,
        `已从 ${dayjs(info.createdAt).format('YYYY-MM-DD HH:mm')} 的备份恢复：学生 ${info.students} 人，发放记录 ${info.payments} 条，附件 ${info.attachments} 个。恢复前的数据保存在数据文件夹的 before-restore 文件夹中。`,
      );
      window.location.reload();
    } catch (e) {
      // A backup of another desk (another laptop, or before a reinstall) opens with the password it was made under.
      if ((e as { code?: string }).code === 'backup-password' || (password && (e as { code?: string }).code === 'wrong-password'))
        setAsking({ backup: b, error: password ? (e as Error).message : null });
      else message.error((e as Error).message);
    }
  };
  const [asking, setAsking] = useState<{ backup: BackupInfo; error: string | null } | null>(null);
  const [backupPassword, setBackupPassword] = useState('');
  return (
    <Card
      title="数据备份"
      size="small"
      style={{ maxWidth: 900 }}
      extra={
        <Button
          type="primary"
          icon={<SaveOutlined />}
          loading={busy}
          disabled={where === 'other' && (!folder || error !== null)}
          onClick={() => void create()}
        >
          立即备份
        </Button>
      }
    >
      <p className="muted">
        备份包含数据库和全部附件（扫描件、照片、银行回单），用本机的密码加密，并带校验签名（被改动过的备份不会恢复）。使用中每 15
        分钟和锁定时会自动备份到数据文件夹；电脑坏了数据文件夹也会一起丢失，所以请定期备份到 U 盘等另一个地方。
      </p>
      <Space direction="vertical" style={{ marginBottom: 12, width: '100%' }}>
        <Radio.Group
          aria-label="备份位置"
          value={where}
          onChange={(e) => setWhere(e.target.value as string)}
          options={[
            { value: 'data', label: '数据文件夹中' },
            { value: 'other', label: '其他文件夹（U 盘、移动硬盘）' },
          ]}
        />
        {where === 'other' && (
          <Space.Compact style={{ width: 560 }}>
            <Input
              aria-label="备份文件夹"
              placeholder="完整路径，例如 E:\ 或 E:\资助备份"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onPressEnter={() => setFolder(typed.trim())}
            />
            <Button onClick={() => setFolder(typed.trim())}>使用这个文件夹</Button>
          </Space.Compact>
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="backup-error" />}
        {data && (
          <span className="muted" data-testid="backup-folder">
            备份保存在：{data.folder}
          </span>
        )}
      </Space>
      <Table<BackupInfo>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={data?.backups ?? []}
        locale={{ emptyText: '还没有备份' }}
        columns={[
          {
            title: '备份时间',
            width: 200,
            render: (_, b) => (
              <span>
                {dayjs(b.createdAt).format('YYYY-MM-DD HH:mm:ss')}
                {b.automatic && (
                  <Tag style={{ marginLeft: 4 }} title="编辑时每 15 分钟、锁定和关闭时自动备份；较早的按天、按月保留">
                    自动
                  </Tag>
                )}
              </span>
            ),
          },
          {
            title: '学校',
            width: 200,
            render: (_, b) => (
              <span>
                {b.school ?? '（未记录）'}
                {!b.encrypted && (
                  <Tag color="orange" style={{ marginLeft: 4 }}>
                    未加密
                  </Tag>
                )}
              </span>
            ),
          },
          { title: '程序版本', width: 80, render: (_, b) => b.appVersion ?? '' },
          { title: '学生', dataIndex: 'students', width: 70 },
          { title: '发放记录', dataIndex: 'payments', width: 90 },
          { title: '附件', width: 120, render: (_, b) => `${b.attachments} 个 · ${mb(b.attachmentBytes)}` },
          { title: '数据库', width: 90, render: (_, b) => mb(b.databaseBytes) },
          {
            title: '',
            render: (_, b) => (
              <Popconfirm
                title="用这份备份替换当前数据？"
                description={`${b.school ?? ''} ${dayjs(b.createdAt).format('YYYY-MM-DD HH:mm')}：学生 ${b.students} 人，发放记录 ${b.payments} 条。先校验备份；当前的数据文件会移到 before-restore-时间 文件夹中保留。`}
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
      <Modal
        open={asking !== null}
        title="输入这份备份的密码"
        okText="恢复"
        cancelText="取消"
        onCancel={() => setAsking(null)}
        onOk={() => {
          const b = asking!.backup;
          setAsking(null);
          void restore(b, backupPassword).finally(() => setBackupPassword(''));
        }}
        okButtonProps={{ disabled: !backupPassword }}
        destroyOnHidden
      >
        <p>这份备份来自另一个数据文件夹（另一台电脑，或重新安装之前），用做备份时的密码加密。恢复后，数据改用这台电脑的密码保存。</p>
        <Input.Password aria-label="备份的密码" value={backupPassword} onChange={(e) => setBackupPassword(e.target.value)} />
        {asking?.error && <Alert type="error" showIcon message={asking.error} style={{ marginTop: 12 }} />}
      </Modal>
    </Card>
  );
}

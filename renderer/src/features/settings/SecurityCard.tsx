import { App as AntApp, Button, Card, Form, Input, InputNumber, Space } from 'antd';
import { useState } from 'react';
import { IDLE_MINUTES_MAX } from '../../../../shared/domain/desk';
import { passwordProblem } from '../../../../shared/rules/password';
import { client } from '../../api/client';
import type { DeskControls } from '../desk/DeskGate';
import { RecoveryCodeModal } from '../desk/RecoveryCode';

/** 密码与锁定: the password (re-wraps the key; the recovery code stays valid) and the idle lock's minutes. */
export function SecurityCard({ desk }: { desk: DeskControls }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [minutes, setMinutes] = useState<number | null>(desk.status.idleMinutes);
  const [busy, setBusy] = useState(false);
  const [newCode, setNewCode] = useState<string | null>(null);
  const change = async (v: { oldPassword: string; newPassword: string }) => {
    setBusy(true);
    try {
      const done = await client.invoke('desk.changePassword', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      form.resetFields();
      setNewCode(done.recoveryCode);
      void message.success('密码已修改，数据已换用新密钥加密。下次解锁请用新密码。');
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const saveMinutes = async () => {
    if (!minutes) return;
    try {
      await client.invoke('desk.setIdleMinutes', { minutes });
      desk.refresh();
      void message.success(`已保存：${minutes} 分钟没有操作就自动锁定`);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <Card title="密码与锁定" size="small" style={{ maxWidth: 600, marginTop: 16 }}>
      <p className="muted" style={{ marginTop: 0 }}>
        数据库、附件和备份都用密码加密保存。当前经办人：{desk.status.operator}
        。修改密码时数据会换用新的密钥重新加密，并给出新的恢复码（原恢复码作废）；以前做的备份仍用做备份时的密码恢复。
      </p>
      <Space style={{ marginBottom: 16 }}>
        <span>离开</span>
        <InputNumber aria-label="自动锁定分钟" min={1} max={IDLE_MINUTES_MAX} value={minutes} onChange={(v) => setMinutes(v)} />
        <span>分钟没有操作，自动锁定</span>
        <Button onClick={() => void saveMinutes()} disabled={!minutes || minutes === desk.status.idleMinutes}>
          保存
        </Button>
      </Space>
      <Form form={form} layout="inline" onFinish={(v) => void change(v)} requiredMark={false} style={{ rowGap: 8 }}>
        <Form.Item name="oldPassword" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password placeholder="原密码" aria-label="原密码" autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          rules={[
            { required: true, message: '请输入新密码' },
            {
              validator: async (_, value: string) => {
                const p = value ? passwordProblem(value) : null;
                if (p) throw new Error(p);
              },
            },
          ]}
        >
          <Input.Password placeholder="新密码" aria-label="新密码" autoComplete="new-password" />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" loading={busy}>
            修改密码
          </Button>
        </Form.Item>
      </Form>
      <RecoveryCodeModal code={newCode} onClose={() => setNewCode(null)} />
    </Card>
  );
}

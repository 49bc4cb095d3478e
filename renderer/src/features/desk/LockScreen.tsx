import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Input } from 'antd';
import { useState } from 'react';
import type { DeskStatus } from '../../../../shared/domain/desk';
import { passwordProblem } from '../../../../shared/rules/password';
import { client } from '../../api/client';
import { RecoveryCodeText } from './RecoveryCode';

const OPERATOR_KEY = 'aid-desk.operator';

interface Props {
  status: DeskStatus;
  onOpen(status: DeskStatus): void;
}

/**
 * The desk's door: choose a password (a new desk, or data from before encryption), type it (locked), or use
 * the recovery code. The recovery code is shown once, after setup, and the desk opens only when the clerk
 * says it is written down.
 */
export function LockScreen({ status, onOpen }: Props) {
  const [mode, setMode] = useState<'password' | 'recover'>('password');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recovery, setRecovery] = useState<{ code: string; status: DeskStatus; note?: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [form] = Form.useForm();
  const operator = localStorage.getItem(OPERATOR_KEY) ?? '';
  const setUp = status.state === 'new' || status.state === 'unencrypted';

  const submit = async (v: { operator: string; password: string; again?: string; recoveryCode?: string }) => {
    setBusy(true);
    setError(null);
    try {
      localStorage.setItem(OPERATOR_KEY, v.operator.trim());
      if (setUp) {
        const done = await client.invoke('desk.setUp', { password: v.password, operator: v.operator });
        setRecovery({ code: done.recoveryCode, status: done.status });
      } else {
        const status =
          mode === 'recover'
            ? await client.invoke('desk.recover', { recoveryCode: v.recoveryCode!, newPassword: v.password, operator: v.operator })
            : await client.invoke('desk.unlock', { password: v.password, operator: v.operator });
        // A password change cut short (a power cut) was finished just now: its new recovery code is shown once.
        if (status.recoveryCode)
          setRecovery({
            code: status.recoveryCode,
            status,
            note: '上次修改密码时被中断，现在已经完成。原来的恢复码已作废，请抄下新的恢复码。',
          });
        else onOpen(status);
      }
    } catch (e) {
      setError((e as Error).message);
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  if (recovery)
    return (
      <Centered>
        <Card title="请抄下恢复码" style={{ width: 560 }}>
          {recovery.note && <Alert type="info" showIcon message={recovery.note} style={{ marginBottom: 12 }} />}
          <RecoveryCodeText code={recovery.code} />
          <Checkbox checked={copied} onChange={(e) => setCopied(e.target.checked)}>
            我已把恢复码抄写在纸上
          </Checkbox>
          <div style={{ marginTop: 16 }}>
            <Button type="primary" disabled={!copied} onClick={() => onOpen(recovery.status)}>
              进入 AidDesk
            </Button>
          </div>
        </Card>
      </Centered>
    );

  const newPassword = setUp || mode === 'recover';
  return (
    <Centered>
      <Card
        style={{ width: 480 }}
        title={
          <span>
            <LockOutlined /> AidDesk 资助工作台
          </span>
        }
      >
        <p style={{ marginTop: 0 }} data-testid="lock-intro">
          {status.state === 'new'
            ? '学生和家庭的信息将加密保存在这台电脑上。请设置密码：每次打开、离开一段时间后都要输入。'
            : status.state === 'unencrypted'
              ? '这台电脑上已有的资助数据还没有加密。设置密码后会立即加密保存（数据多时需要稍等）。'
              : mode === 'recover'
                ? '用设置密码时抄下的恢复码打开数据，并设置新密码。'
                : '数据已加密并锁定。请输入密码解锁。'}
        </p>
        <Form form={form} layout="vertical" initialValues={{ operator }} onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item
            name="operator"
            label="经办人"
            extra="谁在操作：每一处修改都记下经办人"
            rules={[
              { required: true, whitespace: true, message: '请填写经办人姓名' },
              { max: 20, message: '最多 20 个字' },
            ]}
          >
            <Input autoComplete="username" aria-label="经办人" />
          </Form.Item>
          {mode === 'recover' && !setUp && (
            <Form.Item name="recoveryCode" label="恢复码" rules={[{ required: true, message: '请输入恢复码' }]}>
              <Input aria-label="恢复码" placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          )}
          <Form.Item
            name="password"
            label={newPassword ? '新密码' : '密码'}
            extra={newPassword ? '至少 8 位，字母和数字都要有；不要用生日或电话号码' : undefined}
            rules={[
              { required: true, message: '请输入密码' },
              ...(newPassword
                ? [
                    {
                      validator: async (_: unknown, value: string) => {
                        const p = value ? passwordProblem(value) : null;
                        if (p) throw new Error(p);
                      },
                    },
                  ]
                : []),
            ]}
          >
            <Input.Password
              autoFocus={!!operator}
              aria-label={newPassword ? '新密码' : '密码'}
              autoComplete={newPassword ? 'new-password' : 'current-password'}
            />
          </Form.Item>
          {newPassword && (
            <Form.Item
              name="again"
              label="再输入一次"
              dependencies={['password']}
              rules={[
                { required: true, message: '请再输入一次密码' },
                ({ getFieldValue }) => ({
                  validator: async (_, value) => {
                    if (value && value !== getFieldValue('password')) throw new Error('两次输入的密码不一致');
                  },
                }),
              ]}
            >
              <Input.Password aria-label="再输入一次" autoComplete="new-password" />
            </Form.Item>
          )}
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="lock-error" />}
          <Button type="primary" htmlType="submit" loading={busy} block>
            {setUp ? '设置密码并加密' : mode === 'recover' ? '用恢复码打开并设置新密码' : '解锁'}
          </Button>
          {!setUp && (
            <Button
              type="link"
              block
              style={{ marginTop: 8 }}
              onClick={() => {
                setMode(mode === 'recover' ? 'password' : 'recover');
                setError(null);
              }}
            >
              {mode === 'recover' ? '返回输入密码' : '忘记密码？用恢复码'}
            </Button>
          )}
        </Form>
      </Card>
    </Centered>
  );
}

function Centered({ children }: { children: React.ReactNode }) {
  return (
    <div
      style={{
        display: 'flex',
        justifyContent: 'center',
        alignItems: 'flex-start',
        padding: '80px 16px',
        height: '100%',
        overflow: 'auto',
        boxSizing: 'border-box',
        background: '#eef2f6',
      }}
    >
      {children}
    </div>
  );
}

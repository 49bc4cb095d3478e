import { Button, Checkbox, Modal, Typography } from 'antd';
import { useState } from 'react';

/** The recovery code, shown once: big, with how to keep it, and a tick before it goes away. */
export function RecoveryCodeText({ code }: { code: string }) {
  return (
    <>
      <p style={{ marginTop: 0 }}>忘记密码时，只有恢复码能打开这些数据。AidDesk 只显示这一次，之后谁也找不回来。</p>
      <Typography.Paragraph
        data-testid="recovery-code"
        style={{
          fontFamily: 'monospace',
          fontSize: 20,
          letterSpacing: 1,
          whiteSpace: 'nowrap',
          textAlign: 'center',
          padding: 12,
          background: '#f5f7fa',
        }}
      >
        {code}
      </Typography.Paragraph>
      <p>请抄写在纸上，与电脑分开保管（例如锁在资助档案柜里）；不要拍照存在这台电脑或手机里。</p>
    </>
  );
}

export function RecoveryCodeModal({ code, onClose }: { code: string | null; onClose(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Modal
      open={code !== null}
      title="请抄下新的恢复码"
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button
          type="primary"
          disabled={!copied}
          onClick={() => {
            setCopied(false);
            onClose();
          }}
        >
          我已抄好
        </Button>
      }
    >
      {code && <RecoveryCodeText code={code} />}
      <Checkbox checked={copied} onChange={(e) => setCopied(e.target.checked)}>
        我已把新的恢复码抄写在纸上（原来的恢复码已作废）
      </Checkbox>
    </Modal>
  );
}

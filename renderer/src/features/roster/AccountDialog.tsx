/** 户名: whose account the student's card is — the student's own, or a guardian's with the 委托书 on file. */
import { App as AntApp, Checkbox, Input, Modal, Radio, Space } from 'antd';
import { useState } from 'react';
import { useUnsavedGuard } from '../../components/unsaved';
import type { Student } from '../../../../shared/domain/student';
import { client } from '../../api/client';

export function AccountDialog({ student, onClose, onSaved }: { student: Student; onClose(): void; onSaved(s: Student): void }) {
  const { message } = AntApp.useApp();
  const [holder, setHolder] = useState(student.account.holder);
  const [holderName, setHolderName] = useState(student.account.holderName || student.guardianName);
  const [proxyLetter, setProxyLetter] = useState(student.account.proxyLetter);
  const [bankName, setBankName] = useState(student.account.bankName);
  const guard = useUnsavedGuard(
    holder !== student.account.holder ||
      holderName !== (student.account.holderName || student.guardianName) ||
      proxyLetter !== student.account.proxyLetter ||
      bankName !== student.account.bankName,
  );
  const save = async () => {
    try {
      onSaved(await client.invoke('students.setAccount', { id: student.id, holder, holderName, proxyLetter, bankName }));
      message.success('收款账户已保存');
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal open title={`${student.name}的收款账户`} okText="保存" onOk={() => void save()} onCancel={() => guard(onClose)}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          aria-label="户名"
          value={holder}
          onChange={(e) => setHolder(e.target.value as 'student' | 'guardian')}
          options={[
            { value: 'student', label: '学生本人的账户' },
            { value: 'guardian', label: '监护人的账户' },
          ]}
        />
        {holder === 'guardian' && (
          <>
            <Input
              aria-label="监护人户名"
              value={holderName}
              onChange={(e) => setHolderName(e.target.value)}
              placeholder="银行卡上的户名"
            />
            <Checkbox aria-label="已收委托书" checked={proxyLetter} onChange={(e) => setProxyLetter(e.target.checked)}>
              已收到监护人签字的委托书（没有委托书，发到监护人账户的钱不能登记）
            </Checkbox>
          </>
        )}
        <Input
          aria-label="开户行"
          value={bankName}
          onChange={(e) => setBankName(e.target.value)}
          placeholder="开户行，如：青山县农村商业银行"
        />
      </Space>
    </Modal>
  );
}

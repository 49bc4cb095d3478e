import { PrinterOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { NoticeKind, NoticeTexts } from '../../../../shared/domain/notices';
import type { SchoolClass, Term } from '../../../../shared/domain/school';
import { schoolYearOfTerm, termText } from '../../../../shared/rules/term';
import { client } from '../../api/client';
import { PrintPreview } from '../../components/PrintPreview';

const KINDS: { kind: NoticeKind; label: string }[] = [
  { kind: 'letter', label: '致家长的一封信' },
  { kind: 'cards', label: '资助政策明白卡（每生一页）' },
  { kind: 'paymentNotices', label: '资助告知书（发放后，每生一页）' },
  { kind: 'checklist', label: '证明材料清单（每班一页）' },
  { kind: 'graduates', label: '毕业年级告知（初三、高三，每生一页）' },
];

function TextsDialog({ term, onClose }: { term: Term; onClose(): void }) {
  const { message } = AntApp.useApp();
  const [texts, setTexts] = useState<NoticeTexts | null>(null);
  const schoolYear = schoolYearOfTerm(term);
  useEffect(() => {
    client.invoke('notices.texts', { schoolYear }).then(setTexts, (e: Error) => message.error(e.message));
  }, [schoolYear, message]);
  const save = () =>
    texts &&
    client.invoke('notices.saveTexts', { schoolYear, texts }).then(
      () => {
        message.success('告知文字已保存');
        onClose();
      },
      (e: Error) => message.error(e.message, 8),
    );
  return (
    <Modal open width={760} title={`告知家长的文字（${schoolYear} 学年）`} onCancel={onClose} onOk={() => void save()} okText="保存">
      {texts && (
        <div className="form-grid" style={{ gridTemplateColumns: '1fr' }}>
          <label>
            资助咨询和监督电话
            <Input
              aria-label="监督电话"
              value={texts.complaintPhone}
              onChange={(e) => setTexts({ ...texts, complaintPhone: e.target.value })}
            />
          </label>
          <label>
            开头
            <Input.TextArea
              aria-label="开头"
              rows={3}
              value={texts.letterIntro}
              onChange={(e) => setTexts({ ...texts, letterIntro: e.target.value })}
            />
          </label>
          <label>
            申请方式（信和明白卡的结尾）
            <Input.TextArea
              aria-label="申请方式"
              rows={4}
              value={texts.letterClosing}
              onChange={(e) => setTexts({ ...texts, letterClosing: e.target.value })}
            />
          </label>
          <label>
            致高三毕业生家长（生源地信用助学贷款、新生入学资助，请按当年政策核对）
            <Input.TextArea
              aria-label="高三告知"
              rows={4}
              value={texts.seniorGraduates}
              onChange={(e) => setTexts({ ...texts, seniorGraduates: e.target.value })}
            />
          </label>
          <label>
            证明材料（每行一项）
            <Input.TextArea
              aria-label="证明材料"
              rows={6}
              value={texts.checklist.join('\n')}
              onChange={(e) => setTexts({ ...texts, checklist: e.target.value.split('\n') })}
            />
          </label>
          <span className="muted">
            各学段的资助项目、标准和说明来自本学年的“资助项目”，不在这里填写；“学生资助不收取任何费用”的防诈骗提醒总是印上。
          </span>
        </div>
      )}
    </Modal>
  );
}

/** 告知家长: the letter, cards, notices after payment and the documents list, for the school or one class. */
export function NoticesPanel({ term, classes }: { term: Term; classes: SchoolClass[] }) {
  const { message } = AntApp.useApp();
  const [classId, setClassId] = useState<number | null>(null);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const [editing, setEditing] = useState(false);
  return (
    <div data-testid="notices">
      <h4>告知家长（打印，{termText(term)}）</h4>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          aria-label="告知班级"
          allowClear
          placeholder="全校（或选一个班）"
          style={{ width: '100%' }}
          value={classId}
          onChange={(v) => setClassId(v ?? null)}
          options={classes.map((c) => ({ value: c.id, label: c.label }))}
        />
        {KINDS.map((k) => (
          <Button
            key={k.kind}
            block
            icon={<PrinterOutlined />}
            onClick={() =>
              client.invoke('notices.print', { kind: k.kind, term, classId }).then(setDoc, (e: Error) => message.error(e.message))
            }
          >
            {k.label}
          </Button>
        ))}
        <Button type="link" onClick={() => setEditing(true)}>
          修改告知文字和监督电话
        </Button>
      </Space>
      {editing && <TextsDialog term={term} onClose={() => setEditing(false)} />}
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
    </div>
  );
}

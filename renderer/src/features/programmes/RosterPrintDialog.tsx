import { Alert, Button, Form, Modal, Radio, Space } from 'antd';
import { useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { Term } from '../../../../shared/domain/school';
import { client } from '../../api/client';
import { saveFile } from '../../components/files';
import { useRemembered } from '../../components/remembered';

type Orientation = 'landscape' | 'portrait';
type Layout = 'auto' | 'byClass' | 'continuous';

/** 打印签领表: paper, layout and numbers chosen once (and remembered), then the preview or the .xlsx. */
export function RosterPrintDialog(props: {
  open: boolean;
  programmeId: number;
  term: Term;
  classId: number | null;
  schoolId: number | null;
  onClose(): void;
  onPrint(doc: PrintDocument): void;
}) {
  const [orientation, setOrientation] = useRemembered<Orientation>('roster.orientation', 'landscape');
  const [layout, setLayout] = useRemembered<Layout>('roster.layout', 'auto');
  const [fullNumbers, setFullNumbers] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const args = {
    programmeId: props.programmeId,
    term: props.term,
    classId: props.classId,
    schoolId: props.schoolId,
    orientation,
    layout,
    fullNumbers,
  };
  const fail = (e: Error) => setError(e.message);
  return (
    <Modal
      open={props.open}
      title="打印签领表"
      onCancel={props.onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={props.onClose}>取消</Button>
          <Button onClick={() => void client.invoke('export.signatureRoster', args).then(saveFile, fail)}>导出 Excel 版（.xlsx）</Button>
          <Button
            type="primary"
            onClick={() =>
              void client.invoke('print.signatureRoster', args).then((doc) => {
                props.onClose();
                props.onPrint(doc);
              }, fail)
            }
          >
            预览并打印
          </Button>
        </Space>
      }
    >
      <Form layout="vertical">
        <Form.Item label="纸张">
          <Radio.Group value={orientation} onChange={(e) => setOrientation(e.target.value as Orientation)}>
            <Radio.Button value="landscape">A4 横向</Radio.Button>
            <Radio.Button value="portrait">A4 纵向</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="排版" extra="连续排版时各班接着打印，每班后有小计；每页都有本页小计和签字栏。">
          <Radio.Group value={layout} onChange={(e) => setLayout(e.target.value as Layout)}>
            <Radio.Button value="auto">自动（班级人数少时连续）</Radio.Button>
            <Radio.Button value="byClass">每班另起一页</Radio.Button>
            <Radio.Button value="continuous">连续</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="身份证号和银行卡号">
          <Radio.Group value={fullNumbers} onChange={(e) => setFullNumbers(e.target.value as boolean)}>
            <Radio value={false}>打码（可张贴、可归档）</Radio>
            <Radio value={true}>完整号码（仅校内留存，不归档）</Radio>
          </Radio.Group>
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}

import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Radio, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Finding } from '../../../../shared/domain/application';
import type { Programme } from '../../../../shared/domain/programme';
import type { Term } from '../../../../shared/domain/school';
import { client } from '../../api/client';
import { saveFile } from '../../components/files';

export function ChecksTab({ programme, term }: { programme: Programme; term: Term }) {
  const { message } = AntApp.useApp();
  const [scope, setScope] = useState<'programme' | 'term'>('programme');
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const programmeId = scope === 'programme' ? programme.id : null;
  const run = useCallback(() => {
    client.invoke('checks.run', { term, programmeId }).then(setFindings, (e: Error) => message.error(e.message));
  }, [term, programmeId, message]);
  useEffect(run, [run]);
  const blocking = findings?.filter((f) => f.severity === 'blocking').length ?? 0;
  return (
    <div className="page-tab">
      <div className="toolbar">
        <Radio.Group
          value={scope}
          onChange={(e) => setScope(e.target.value as 'programme' | 'term')}
          options={[
            { value: 'programme', label: programme.name },
            { value: 'term', label: '本学期全部项目' },
          ]}
        />
        <Button onClick={run}>重新检查</Button>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void client.invoke('checks.export', { term, programmeId }).then(saveFile, (e: Error) => message.error(e.message))}
        >
          导出检查结果
        </Button>
        {findings && (
          <span>
            必须处理 <strong style={{ color: blocking ? '#cf1322' : undefined }}>{blocking}</strong> 条，提醒 {findings.length - blocking}{' '}
            条
          </span>
        )}
      </div>
      <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
        <Table<Finding>
          size="small"
          rowKey={(f, i) => `${f.code}-${f.applicationId}-${i}`}
          dataSource={findings ?? []}
          pagination={{ pageSize: 100, hideOnSinglePage: true }}
          locale={{ emptyText: '没有发现问题' }}
          columns={[
            {
              title: '',
              width: 90,
              render: (_, f) => (f.severity === 'blocking' ? <Tag color="red">必须处理</Tag> : <Tag color="gold">提醒</Tag>),
            },
            { title: '项目', dataIndex: 'programme', width: 190 },
            { title: '班级', dataIndex: 'className', width: 120 },
            { title: '学生', width: 90, render: (_, f) => f.student ?? '（整个项目）' },
            { title: '问题及处理', dataIndex: 'message' },
          ]}
        />
      </Space>
    </div>
  );
}

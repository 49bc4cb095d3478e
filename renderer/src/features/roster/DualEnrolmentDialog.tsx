/**
 * 双学籍核对: the students a member school's roster listed while another school of the desk has them. The clerk
 * checks with both schools (and the national 学籍 system) and decides each: 转入 or 保留原校, with what was checked.
 */
import { Alert, Button, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { DualEnrolment } from '../../../../shared/domain/school';
import { client } from '../../api/client';

export function DualEnrolmentDialog({ onClose }: { onClose(changed: boolean): void }) {
  const [open, setOpen] = useState(true);
  const [rows, setRows] = useState<DualEnrolment[]>([]);
  const [count, setCount] = useState(0);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const load = useCallback(() => {
    client.invoke('dualEnrolment.list', { open }).then(
      (r) => {
        setRows(r.rows);
        setCount(r.open);
      },
      (e: Error) => setError(e.message),
    );
  }, [open]);
  useEffect(load, [load]);

  const resolve = async (row: DualEnrolment, resolution: 'moved' | 'kept') => {
    try {
      await client.invoke('dualEnrolment.resolve', { id: row.id, resolution, note: notes[row.id] ?? '' });
      setError(null);
      setChanged(true);
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Modal open title="双学籍核对" width={1100} footer={null} onCancel={() => onClose(changed)}>
      <p className="muted">
        校点导入的名册中，有学生已在本工作台的另一所学校在册。导入时没有改动他们：请与两所学校核实（以全国学籍系统为准），
        写明核实情况后选择“转入”（学生转到名册所在学校）或“保留原校”。
      </p>
      <Space style={{ marginBottom: 12 }}>
        <Segmented
          value={open ? 'open' : 'done'}
          onChange={(v) => setOpen(v === 'open')}
          options={[
            { value: 'open', label: `待核对（${count}）` },
            { value: 'done', label: '已处理' },
          ]}
        />
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Table<DualEnrolment>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: open ? '没有待核对的双学籍' : '还没有处理过' }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          {
            title: '现在所在',
            render: (_, r) => (
              <>
                {r.schoolName} {r.className ?? '未分班'}
                {!r.enrolled && <Tag style={{ marginLeft: 4 }}>已离校</Tag>}
              </>
            ),
          },
          {
            title: '名册中所在',
            render: (_, r) => `${r.claimedBySchool} ${r.claimedClass}`,
          },
          {
            title: '来源',
            width: 170,
            render: (_, r) => <span className="muted">{r.fileName ? `${r.fileName} 第${r.sheetRow}行` : ''}</span>,
          },
          open
            ? {
                title: '核实情况与处理',
                width: 400,
                render: (_, r) => (
                  <Space.Compact style={{ width: '100%' }}>
                    <Input
                      placeholder="如：学籍系统在岭下村小学，已与村小核实"
                      maxLength={200}
                      value={notes[r.id] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [r.id]: e.target.value })}
                      aria-label={`${r.name}的核实情况`}
                    />
                    <Button onClick={() => void resolve(r, 'moved')}>转入{r.claimedBySchool}</Button>
                    <Button onClick={() => void resolve(r, 'kept')}>保留原校</Button>
                  </Space.Compact>
                ),
              }
            : {
                title: '处理',
                render: (_, r) => (
                  <>
                    <Tag color={r.resolution === 'moved' ? 'blue' : 'default'}>
                      {r.resolution === 'moved' ? `已转入${r.claimedBySchool}` : '保留原校'}
                    </Tag>
                    {r.resolvedOn} {r.note}
                  </>
                ),
              },
        ]}
      />
    </Modal>
  );
}

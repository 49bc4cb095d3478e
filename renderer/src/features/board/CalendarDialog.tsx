import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Input, Modal, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { Term } from '../../../../shared/domain/school';
import { defaultTermCalendar, type TermCalendarItem } from '../../../../shared/rules/term-calendar';
import { client } from '../../api/client';
import { useUnsavedGuard } from '../../components/unsaved';

/** The term's calendar as the clerk keeps it: the dates and deadlines the county gives, and items of the school's own. */
export function CalendarDialog({ term, items, onClose }: { term: Term; items: TermCalendarItem[]; onClose(saved: boolean): void }) {
  const [rows, setRows] = useState<TermCalendarItem[]>(() =>
    items.map(({ key, label, startsOn, endsOn, note }) => ({ key, label, startsOn, endsOn, note })),
  );
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const confirmClose = useUnsavedGuard(dirty);
  const edit = (key: string, patch: Partial<TermCalendarItem>) => {
    setDirty(true);
    setRows((r) => r.map((x) => (x.key === key ? { ...x, ...patch } : x)));
  };
  const save = async () => {
    try {
      await client.invoke('board.saveCalendar', { term, items: rows });
      setDirty(false);
      onClose(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open
      title="修改本学期日程"
      width={900}
      onCancel={() => confirmClose(() => onClose(false))}
      footer={
        <Space>
          <Button
            onClick={() => {
              setDirty(true);
              setRows(defaultTermCalendar(term));
            }}
          >
            恢复默认
          </Button>
          <Button onClick={() => confirmClose(() => onClose(false))}>取消</Button>
          <Button type="primary" onClick={() => void save()}>
            保存
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
      <Table<TermCalendarItem>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: '事项',
            render: (_, r) => (
              <Input aria-label="事项" value={r.label} maxLength={60} onChange={(e) => edit(r.key, { label: e.target.value })} />
            ),
          },
          {
            title: '日期',
            width: 260,
            render: (_, r) => (
              <DatePicker.RangePicker
                aria-label={`${r.label}的日期`}
                allowClear={false}
                value={[dayjs(r.startsOn), dayjs(r.endsOn)]}
                onChange={(v) => v?.[0] && v[1] && edit(r.key, { startsOn: v[0].format('YYYY-MM-DD'), endsOn: v[1].format('YYYY-MM-DD') })}
              />
            ),
          },
          {
            title: '截止日期或说明',
            width: 220,
            render: (_, r) => (
              <Input
                aria-label="说明"
                value={r.note}
                maxLength={200}
                placeholder="如：县里 11 月 20 日前上报"
                onChange={(e) => edit(r.key, { note: e.target.value })}
              />
            ),
          },
          {
            title: '',
            width: 40,
            render: (_, r) =>
              r.key.startsWith('custom-') && (
                <Button
                  size="small"
                  type="text"
                  aria-label="删除"
                  icon={<DeleteOutlined />}
                  onClick={() => {
                    setDirty(true);
                    setRows((x) => x.filter((i) => i.key !== r.key));
                  }}
                />
              ),
          },
        ]}
      />
      <Button
        style={{ marginTop: 8 }}
        icon={<PlusOutlined />}
        onClick={() => {
          setDirty(true);
          const n = Math.max(0, ...rows.filter((r) => r.key.startsWith('custom-')).map((r) => Number(r.key.slice(7)))) + 1;
          const day = rows[0]?.startsOn ?? dayjs().format('YYYY-MM-DD');
          setRows((r) => [...r, { key: `custom-${n}`, label: '新事项', startsOn: day, endsOn: day, note: '' }]);
        }}
      >
        添加事项
      </Button>
    </Modal>
  );
}

import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Input, Select, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { AuditEntry, AuditFilter, AuditPage as Page } from '../../../../shared/domain/audit';
import { AUDIT_ACTION_TEXT, AUDIT_ENTITY_TEXT } from '../../../../shared/domain/audit';
import { client } from '../../api/client';
import { saveFile } from '../../components/files';

const PAGE = 50;

/** 操作记录: who changed what and when; filtered, paged by the core, exported to .xlsx. Read only. */
export function AuditPage() {
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    setLoading(true);
    client
      .invoke('audit.list', { ...filter, offset: (page - 1) * PAGE, limit: PAGE })
      .then(setData, (e: Error) => void message.error(e.message))
      .finally(() => setLoading(false));
  }, [filter, page, message]);
  const change = (next: AuditFilter) => {
    setPage(1);
    setFilter(next);
  };
  const exportXlsx = async () => {
    try {
      const file = await client.invoke('audit.export', filter);
      saveFile(file);
      void message.success(`已导出 ${file.rows} 条操作记录`);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  const range: [Dayjs, Dayjs] | null = filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null;
  return (
    <div className="page" style={{ overflow: 'auto' }}>
      <h1 className="page-title">操作记录</h1>
      <p className="muted" style={{ marginTop: 0 }}>
        每一处修改都记下经办人、时间和修改前后的内容；导入记为一条（写明数量），查看或导出完整证件号、银行卡号也有记录。操作记录不能修改或删除。证件号、卡号、电话只显示后四位，地址不显示。
      </p>
      <Space wrap style={{ marginBottom: 12 }}>
        {(
          [
            ['operator', '经办人', (data?.operators ?? []).map((o) => ({ value: o, label: o }))],
            ['entity', '对象', Object.entries(AUDIT_ENTITY_TEXT).map(([value, label]) => ({ value, label }))],
            ['action', '操作', Object.entries(AUDIT_ACTION_TEXT).map(([value, label]) => ({ value, label }))],
          ] as const
        ).map(([key, label, options]) => (
          <Select
            key={key}
            aria-label={label}
            allowClear
            placeholder={label}
            style={{ width: 150 }}
            value={filter[key]}
            options={options}
            onChange={(v?: string) => change({ ...filter, [key]: v })}
          />
        ))}
        <DatePicker.RangePicker
          aria-label="日期"
          value={range}
          onChange={(v) =>
            change({ ...filter, from: v?.[0]?.format('YYYY-MM-DD') ?? undefined, to: v?.[1]?.format('YYYY-MM-DD') ?? undefined })
          }
        />
        <Input.Search
          aria-label="查找学生或说明"
          placeholder="学生姓名或说明中的文字"
          allowClear
          style={{ width: 240 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => change({ ...filter, search: v.trim() || undefined })}
        />
        <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()}>
          导出 Excel
        </Button>
      </Space>
      <Table<AuditEntry>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.entries ?? []}
        locale={{ emptyText: '没有符合条件的操作记录' }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 条`,
          onChange: setPage,
        }}
        columns={[
          { title: '时间', width: 150, render: (_, e) => dayjs(e.at).format('YYYY-MM-DD HH:mm:ss') },
          { title: '经办人', dataIndex: 'operator', width: 90 },
          { title: '操作', dataIndex: 'actionText', width: 100 },
          { title: '对象', dataIndex: 'entityText', width: 110 },
          { title: '学生', width: 90, render: (_, e) => e.studentName ?? '' },
          {
            title: '内容',
            render: (_, e) =>
              e.summary ?? (
                <span>
                  {e.changes.map((c) => (
                    <div key={c.field}>
                      <span className="muted">{c.label}：</span>
                      {e.action === 'update' ? `${c.before || '（空）'} → ${c.after || '（空）'}` : c.before || c.after}
                    </div>
                  ))}
                </span>
              ),
          },
        ]}
      />
    </div>
  );
}

import { Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { CHANNEL_TEXT, HOLDER_TEXT, type Payment } from '../../../../shared/domain/payment';
import { formatYuan } from '../../../../shared/rules/money';
import { termText } from '../../../../shared/rules/term';
import { client } from '../../api/client';

/** Every payment a student received, and every attempt that failed, newest first. */
export function StudentPayments({ studentId, reveal, version }: { studentId: number; reveal: boolean; version?: number }) {
  const [rows, setRows] = useState<Payment[] | null>(null);
  useEffect(() => {
    client.invoke('payments.ofStudent', { studentId, reveal }).then(setRows, () => setRows([]));
  }, [studentId, reveal, version]);
  if (rows === null) return null;
  const paid = rows.filter((p) => p.outcome === 'paid');
  return (
    <section aria-label="发放记录">
      <h4>
        发放记录{' '}
        <span className="muted">
          已发放 {paid.length} 次，共 {formatYuan(paid.reduce((n, p) => n + p.amount, 0))}
        </span>
      </h4>
      <Table<Payment>
        size="small"
        tableLayout="fixed"
        rowKey="id"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '还没有发放记录' }}
        columns={[
          {
            title: '学期 · 项目',
            render: (_, p) => (
              <span>
                {termText(p.term)}
                <br />
                <span className="muted">{p.programmeName}</span>
              </span>
            ),
          },
          { title: '金额', dataIndex: 'amount', width: 90, align: 'right', render: formatYuan },
          {
            title: '结果 · 账户',
            width: 230,
            render: (_, p) => (
              <span>
                {p.outcome === 'paid' ? <Tag color="green">已发放 {p.paidOn}</Tag> : <Tag color="red">失败：{p.failureReason}</Tag>}
                <br />
                <span className="muted">{CHANNEL_TEXT[p.channel]} </span>
                <span className="mono">{p.account}</span>
                {p.holder === 'guardian' ? (
                  <span className="muted">
                    （{HOLDER_TEXT.guardian}
                    {p.holderName}
                    {p.proxyLetter ? '，有委托书' : ''}）
                  </span>
                ) : null}
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}

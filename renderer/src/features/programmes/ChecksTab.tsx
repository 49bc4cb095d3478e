import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Input, Radio, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { FINDING_CODE_TEXT, type Finding, type FindingPage } from '../../../../shared/domain/application';
import type { Programme } from '../../../../shared/domain/programme';
import type { Term } from '../../../../shared/domain/school';
import { client } from '../../api/client';
import { saveFile } from '../../components/files';
import { useSchoolScope } from '../../components/SchoolScope';

/** Findings a page shows. */
const PAGE_SIZE = 100;

/** Findings the clerk may explain (e.g. an eligible student not applying): they stay listed, with the reason. */
const EXPLAINABLE = [
  'nobody-missed',
  'unfunded-eligible',
  'area-unknown',
  'flag-not-listed',
  'over-age',
  'boarding-unknown',
  'bank-card-luhn',
];

export function ChecksTab({ programme, term, onOpenStudent }: { programme: Programme; term: Term; onOpenStudent?(id: number): void }) {
  const { message, modal } = AntApp.useApp();
  const [scope, setScope] = useState<'programme' | 'term'>('programme');
  const [page, setPage] = useState<FindingPage | null>(null);
  const programmeId = scope === 'programme' ? programme.id : null;
  // The school picked in the header: its students' findings and its part of a divided quota.
  const { schoolId } = useSchoolScope();
  // One kind of finding (all when null) and the page of it: a county desk has far too many to send at once. Kept
  // with the scope it was chosen in, so another scope starts from all kinds, page 1, with one request.
  const scopeKey = `${term}|${programmeId}|${schoolId}`;
  const [view, setView] = useState({ scopeKey, code: null as string | null, current: 1 });
  const { code, current } = view.scopeKey === scopeKey ? view : { code: null, current: 1 };
  const setCode = (c: string | null) => setView({ scopeKey, code: c, current: 1 });
  const setCurrent = (n: number) => setView({ scopeKey, code, current: n });
  // Only the latest request's answer is shown: a slow earlier page never overwrites a later one.
  const latest = useRef(0);
  const run = useCallback(() => {
    const asked = ++latest.current;
    client.invoke('checks.page', { term, programmeId, schoolId, code, offset: (current - 1) * PAGE_SIZE, limit: PAGE_SIZE }).then(
      (p) => asked === latest.current && setPage(p),
      (e: Error) => message.error(e.message),
    );
  }, [term, programmeId, schoolId, code, current, message]);
  useEffect(run, [run]);
  const explain = (f: Finding) => {
    let reason = '';
    modal.confirm({
      title: `写明原因：${f.student}`,
      content: (
        <Input.TextArea
          aria-label="说明原因"
          rows={3}
          placeholder="如：家长书面表示不申请；已转入其他资助项目"
          onChange={(e) => (reason = e.target.value)}
        />
      ),
      okText: '保存说明',
      onOk: async () => {
        try {
          const programmeOfFinding = f.programme === programme.name ? programme.id : null;
          if (programmeOfFinding === null || f.studentId === null) throw new Error('请切换到该项目后再写说明');
          await client.invoke('checks.acknowledge', {
            term,
            programmeId: programmeOfFinding,
            studentId: f.studentId,
            code: f.code as 'nobody-missed',
            reason,
          });
          message.success('说明已保存，这一条仍会列出，附上说明');
          run();
        } catch (e) {
          message.error((e as Error).message);
        }
      },
    });
  };
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
          onClick={() =>
            void client.invoke('checks.export', { term, programmeId, schoolId }).then(saveFile, (e: Error) => message.error(e.message))
          }
        >
          导出检查结果
        </Button>
        {page && (
          <span>
            必须处理 <strong style={{ color: page.blocking ? '#cf1322' : undefined }}>{page.blocking}</strong> 条，提醒{' '}
            {page.total - page.blocking} 条
            {page.missed > 0 && (
              <span style={{ color: '#d46b08' }}>（其中符合条件而未申请、未获资助 {page.missed} 人：应助尽助，请逐一处理或写明原因）</span>
            )}
          </span>
        )}
      </div>
      <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
        {page && page.codes.length > 1 && (
          <Select
            aria-label="问题类别"
            style={{ width: 320 }}
            value={code ?? ''}
            onChange={(v: string) => {
              setCode(v || null);
            }}
            options={[
              { value: '', label: `全部问题（${page.total} 条）` },
              ...page.codes.map((c) => ({
                value: c.code,
                label: `${c.severity === 'blocking' ? '必须处理' : '提醒'}：${FINDING_CODE_TEXT[c.code] ?? c.code}（${c.count} 条）`,
              })),
            ]}
          />
        )}
        <Table<Finding>
          size="small"
          rowKey={(f, i) => `${f.code}-${f.applicationId}-${f.studentId}-${i}`}
          dataSource={page?.findings ?? []}
          pagination={{
            current,
            pageSize: PAGE_SIZE,
            total: page?.matched ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            onChange: setCurrent,
          }}
          locale={{ emptyText: '没有发现问题' }}
          columns={[
            {
              title: '',
              width: 90,
              render: (_, f) => (f.severity === 'blocking' ? <Tag color="red">必须处理</Tag> : <Tag color="gold">提醒</Tag>),
            },
            { title: '项目', dataIndex: 'programme', width: 190 },
            { title: '班级', dataIndex: 'className', width: 120 },
            {
              title: '学生',
              width: 90,
              render: (_, f) =>
                f.studentId !== null && onOpenStudent ? (
                  <a onClick={() => onOpenStudent(f.studentId!)}>{f.student}</a>
                ) : (
                  (f.student ?? '（整个项目）')
                ),
            },
            {
              title: '问题及处理',
              render: (_, f) => (
                <>
                  {f.message}
                  {f.acknowledged && (
                    <div className="muted">
                      已说明（{f.acknowledged.at.slice(0, 10)}）：{f.acknowledged.reason}
                    </div>
                  )}
                </>
              ),
            },
            {
              title: '',
              width: 80,
              render: (_, f) =>
                f.studentId !== null && f.severity === 'warning' && EXPLAINABLE.includes(f.code) && f.programme === programme.name ? (
                  <Button size="small" onClick={() => explain(f)}>
                    {f.acknowledged ? '改说明' : '写说明'}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Space>
    </div>
  );
}

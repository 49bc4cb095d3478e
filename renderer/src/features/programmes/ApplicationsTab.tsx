import { App as AntApp, Alert, Button, Descriptions, Drawer, Dropdown, Input, Modal, Select, Space, Table, Tag, Timeline } from 'antd';
import { useSchoolScope } from '../../components/SchoolScope';
import { useCallback, useEffect, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { AllocationResult, ApplicationPage } from '../../../../shared/api/programmes';
import {
  APPLICATION_STATUS_TEXT,
  type Application,
  type ApplicationEvent,
  type ApplicationStatus,
} from '../../../../shared/domain/application';
import { TIER_TEXT, type Programme, type TierNumber } from '../../../../shared/domain/programme';
import type { SchoolClass, Term } from '../../../../shared/domain/school';
import { ACTIONS, type ClerkAction } from '../../../../shared/rules/application-status';
import type { PublicityRules } from '../../../../shared/rules/publicity';
import { formatYuan } from '../../../../shared/rules/money';
import { client } from '../../api/client';
import { saveFile } from '../../components/files';
import { useRemembered } from '../../components/remembered';
import { RosterPrintDialog } from './RosterPrintDialog';
import { initialPeriod, periodArgs, PublicityPeriodFields, type PeriodValue } from '../../components/PublicityPeriod';
import { GroupTags, LevelTag } from '../../components/tags';

const STATUS_COLOR: Partial<Record<ApplicationStatus, string>> = {
  applied: 'blue',
  classReview: 'cyan',
  schoolReview: 'geekblue',
  publicity: 'purple',
  approved: 'green',
  rejected: 'red',
  submitted: 'gold',
  paid: 'green',
  returned: 'orange',
  withdrawn: 'default',
};
/** The clerk's steps in the bulk menu, in the order of the work (发放 is recorded under 发放). */
const BULK: ClerkAction[] = [
  'submit',
  'toClassReview',
  'toSchoolReview',
  'approve',
  'report',
  'archive',
  'return',
  'reject',
  'withdraw',
  'reopen',
];

function ApplicationDrawer({
  app,
  programme,
  onClose,
  onChanged,
}: {
  app: Application;
  programme: Programme;
  onClose(): void;
  onChanged(): void;
}) {
  const { message } = AntApp.useApp();
  const [events, setEvents] = useState<ApplicationEvent[]>([]);
  const [tier, setTier] = useState<TierNumber | null>(app.tier);
  const [reason, setReason] = useState('');
  useEffect(() => {
    client.invoke('applications.history', { id: app.id }).then(setEvents, (e: Error) => message.error(e.message));
  }, [app, message]);
  const run = async (f: () => Promise<unknown>, done: string) => {
    try {
      await f();
      message.success(done);
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Drawer open width={560} title={`${app.name}：${programme.name}`} onClose={onClose}>
      <Descriptions
        size="small"
        column={2}
        bordered
        items={[
          { key: 'c', label: '班级', children: app.className },
          { key: 's', label: '状态', children: <Tag color={STATUS_COLOR[app.status]}>{APPLICATION_STATUS_TEXT[app.status]}</Tag> },
          { key: 'l', label: '认定等级', children: <LevelTag level={app.level} /> },
          { key: 'g', label: '特殊群体', children: <GroupTags groups={app.groups} /> },
          { key: 'r', label: '排名', children: app.rank ?? '—' },
          {
            key: 't',
            label: '档次/金额',
            children: app.tier
              ? `${programme.tiers.length > 1 ? TIER_TEXT[app.tier] : ''} ${app.amount === null ? '' : formatYuan(app.amount)}`
              : '—',
          },
          { key: 'why', label: '排序依据', span: 2, children: app.rankReason || '—' },
          ...(app.tierReason ? [{ key: 'tr', label: '手工调整', span: 2, children: app.tierReason }] : []),
          ...(app.snapshot
            ? [
                {
                  key: 'snap',
                  label: '通过时依据',
                  span: 2,
                  children: `${app.snapshot.className ?? ''}，${app.snapshot.boarding === null ? '寄宿情况不详' : app.snapshot.boarding ? '寄宿' : '走读'}`,
                },
              ]
            : []),
        ]}
      />
      {['applied', 'classReview', 'schoolReview'].includes(app.status) && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          <strong>调整档次</strong>
          <Space>
            <Select
              aria-label="调整为"
              style={{ width: 140 }}
              value={tier}
              onChange={setTier}
              options={[
                ...programme.tiers.map((t) => ({ value: t.tier, label: TIER_TEXT[t.tier] })),
                { value: null as unknown as TierNumber, label: '不资助' },
              ]}
            />
            <Input
              aria-label="调整理由"
              style={{ width: 260 }}
              placeholder="理由（必填）"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <Button onClick={() => void run(() => client.invoke('applications.setTier', { id: app.id, tier, reason }), '已调整档次')}>
              调整
            </Button>
          </Space>
        </Space>
      )}
      <h4>办理记录</h4>
      <Timeline
        items={events.map((e, i) => ({
          key: i,
          color: e.undone ? 'gray' : 'blue',
          children: (
            <span style={{ textDecoration: e.undone ? 'line-through' : undefined }}>
              {e.at.slice(0, 10)} {e.from ? `${APPLICATION_STATUS_TEXT[e.from]} → ` : ''}
              {APPLICATION_STATUS_TEXT[e.to]} {e.actor} {e.note}
              {e.undone ? '（已撤回）' : ''}
            </span>
          ),
        }))}
      />
      <Button onClick={() => void run(() => client.invoke('applications.undo', { id: app.id }), '已撤回上一步')}>撤回上一步</Button>
    </Drawer>
  );
}

export function ApplicationsTab({
  programme,
  term,
  classes,
  onChanged,
  onPrint,
}: {
  programme: Programme;
  term: Term;
  classes: SchoolClass[];
  onChanged(): void;
  onPrint(doc: PrintDocument): void;
}) {
  const { message, modal } = AntApp.useApp();
  const [page, setPage] = useState<ApplicationPage | null>(null);
  const [classId, setClassId] = useRemembered<number | null>('programmes.class', null);
  const scope = useSchoolScope();
  const { schoolId } = scope;
  const [status, setStatus] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [rosterOpen, setRosterOpen] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [open, setOpen] = useState<Application | null>(null);
  const [allocation, setAllocation] = useState<AllocationResult | null>(null);
  const [publicising, setPublicising] = useState(false);
  const [pub, setPub] = useState<PeriodValue>(initialPeriod);
  const [rules, setRules] = useState<PublicityRules | null>(null);
  useEffect(() => {
    client.invoke('publicity.rules', {}).then(setRules, () => setRules(null));
  }, []);
  const load = useCallback(() => {
    client.invoke('applications.list', { programmeId: programme.id, term, classId, schoolId, status }).then(
      (p) => {
        setPage(p);
        setSelected((s) => s.filter((id) => p.rows.some((r) => r.id === id)));
      },
      (e: Error) => message.error(e.message),
    );
  }, [programme.id, term, classId, schoolId, status, message]);
  useEffect(load, [load]);
  const refresh = () => {
    load();
    onChanged();
  };
  const run = async (f: () => Promise<string>) => {
    try {
      message.success(await f());
      refresh();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const act = (action: ClerkAction) => {
    const go = (note: string) =>
      run(async () => {
        const r = await client.invoke('applications.transition', { ids: selected, action, note });
        if (r.refused.length) {
          modal.warning({
            title: `${r.changed} 份已${ACTIONS[action].text}，${r.refused.length} 份不能`,
            content: (
              <ul className="problem-list">
                {r.refused.map((x) => (
                  <li key={x.applicationId}>
                    {x.name}：{x.reason}
                  </li>
                ))}
              </ul>
            ),
          });
        }
        return `已${ACTIONS[action].text} ${r.changed} 份`;
      });
    if (!ACTIONS[action].needsNote) return void go('');
    let note = '';
    modal.confirm({
      title: `${ACTIONS[action].text}（${selected.length} 份）`,
      content: <Input.TextArea aria-label="原因" rows={2} placeholder="原因（必填）" onChange={(e) => (note = e.target.value)} />,
      okText: ACTIONS[action].text,
      onOk: () => go(note),
    });
  };
  const create = (from: 'identified' | 'carryOver') =>
    run(async () => {
      const r = await client.invoke('applications.create', { programmeId: programme.id, term, from, classId });
      if (r.skipped.length)
        modal.info({
          title: `${r.skipped.length} 名学生未建立申请`,
          content: (
            <ul className="problem-list">
              {r.skipped.map((s, i) => (
                <li key={i}>
                  {s.name}：{s.reason}
                </li>
              ))}
            </ul>
          ),
        });
      return `已建立 ${r.created} 份申请草稿`;
    });
  const allocate = () =>
    run(async () => {
      const r = await client.invoke('applications.allocate', { programmeId: programme.id, term });
      setAllocation(r);
      return r.funded ? `已分配：本次 ${r.funded} 人获资助` : '没有分配任何名额（原因见分配结果）';
    });
  const publicise = () =>
    run(async () => {
      const p = await client.invoke('publicity.createProgramme', { programmeId: programme.id, term, ...periodArgs(pub, rules) });
      setPublicising(false);
      return `已生成受助名单公示（${p.entryCount} 人），可在“公示”中打印和登记异议`;
    });

  const rows = page?.rows ?? [];
  const needle = search.trim();
  const shown = needle ? rows.filter((r) => r.name.includes(needle) || (r.className ?? '').includes(needle)) : rows;
  return (
    <div className="page-tab">
      <div className="toolbar">
        <Select
          aria-label="申请班级"
          allowClear
          placeholder="全部班级"
          style={{ width: 160 }}
          value={classId}
          onChange={(v) => setClassId(v ?? null)}
          options={classes
            .filter((c) => schoolId === null || c.schoolId === schoolId)
            .map((c) => ({ value: c.id, label: scope.classLabel(c.name, c.schoolId) }))}
        />
        <Select
          aria-label="申请状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 120 }}
          value={status}
          onChange={(v) => setStatus(v ?? null)}
          options={(Object.keys(APPLICATION_STATUS_TEXT) as ApplicationStatus[]).map((s) => ({
            value: s,
            label: APPLICATION_STATUS_TEXT[s],
          }))}
        />
        <Input.Search
          aria-label="搜索申请"
          allowClear
          placeholder="姓名或班级"
          style={{ width: 150 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Dropdown
          menu={{
            items: [
              {
                key: 'identified',
                label: classId ? '为本班已认定的学生建立申请' : '为已认定的学生建立申请',
                onClick: () => void create('identified'),
              },
              { key: 'carry', label: '结转上学期受助学生', onClick: () => void create('carryOver') },
            ],
          }}
        >
          <Button type="primary">建立申请</Button>
        </Dropdown>
        <Dropdown
          disabled={selected.length === 0}
          menu={{
            // Only the steps the selection can take, with how many of it each applies to.
            items: BULK.flatMap((a) => {
              const n = rows.filter((r) => selected.includes(r.id) && ACTIONS[a].from.includes(r.status)).length;
              return n
                ? [
                    {
                      key: a,
                      label: n === selected.length ? ACTIONS[a].text : `${ACTIONS[a].text}（可办理 ${n} 份）`,
                      onClick: () => act(a),
                    },
                  ]
                : [];
            }),
          }}
        >
          <Button>选中的 {selected.length} 份…</Button>
        </Dropdown>
        <Button onClick={() => void allocate()}>分配名额</Button>
        <Button onClick={() => setPublicising(true)}>公示受助名单</Button>
        <Button onClick={() => setRosterOpen(true)}>打印签领表</Button>
        <Button
          onClick={() =>
            void client
              .invoke('export.list', { list: 'applications', programmeId: programme.id, term, classId, schoolId, status })
              .then(saveFile, (e: Error) => message.error(e.message))
          }
        >
          导出本表
        </Button>
      </div>
      {page && (
        <div className="muted" style={{ margin: '6px 0' }}>
          {Object.entries(page.counts)
            .map(([s, n]) => `${APPLICATION_STATUS_TEXT[s as ApplicationStatus]} ${n}`)
            .join('，') || '还没有申请'}
          {page.quota ? `；名额 ${page.quota.count}` : '；未填名额'}
          {page.quota && schoolId !== null && page.quota.schools.length > 0 && (
            <span data-testid="school-quota">（分到本校 {page.quota.schools.find((x) => x.schoolId === schoolId)?.count ?? 0}）</span>
          )}
          {Object.keys(page.tiers).length > 0 &&
            `；${(Object.entries(page.tiers) as [string, number][]).map(([t, n]) => `${TIER_TEXT[Number(t) as TierNumber]} ${n} 人`).join('，')}；合计 ${formatYuan(page.total)}`}
          {page.quota?.budget != null && `（预算 ${formatYuan(page.quota.budget)}）`}
        </div>
      )}
      <Table<Application>
        className="applications-table"
        size="small"
        rowKey="id"
        dataSource={shown}
        pagination={{ pageSize: 200, hideOnSinglePage: true }}
        scroll={{ y: 'calc(100vh - 330px)' }}
        rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as number[]) }}
        onRow={(a) => ({ onDoubleClick: () => setOpen(a) })}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 80, render: (n: string, a) => <a onClick={() => setOpen(a)}>{n}</a> },
          { title: '班级', width: 120, render: (_, a) => scope.classLabel(a.className, a.schoolId) },
          { title: '特殊群体', width: 150, render: (_, a) => <GroupTags groups={a.groups} /> },
          { title: '认定', width: 80, render: (_, a) => <LevelTag level={a.level} /> },
          { title: '评分', dataIndex: 'score', width: 56 },
          { title: '状态', width: 84, render: (_, a) => <Tag color={STATUS_COLOR[a.status]}>{APPLICATION_STATUS_TEXT[a.status]}</Tag> },
          { title: '排名', dataIndex: 'rank', width: 70, sorter: (a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) },
          {
            title: '档次',
            width: 60,
            render: (_, a) =>
              a.tier ? programme.tiers.length > 1 ? TIER_TEXT[a.tier] : '✓' : a.funded === false ? <span className="muted">未获</span> : '',
          },
          { title: '金额', width: 96, render: (_, a) => (a.amount === null ? '' : formatYuan(a.amount)) },
          { title: '依据', render: (_, a) => <span className="muted">{a.tierReason ? `调整：${a.tierReason}` : a.rankReason}</span> },
        ]}
      />
      <RosterPrintDialog
        open={rosterOpen}
        programmeId={programme.id}
        term={term}
        classId={classId}
        schoolId={schoolId}
        onClose={() => setRosterOpen(false)}
        onPrint={onPrint}
      />
      {open && (
        <ApplicationDrawer
          app={open}
          programme={programme}
          onClose={() => setOpen(null)}
          onChanged={() => {
            setOpen(null);
            refresh();
          }}
        />
      )}
      <Modal
        open={allocation !== null}
        title="名额分配结果"
        onCancel={() => setAllocation(null)}
        footer={<Button onClick={() => setAllocation(null)}>关闭</Button>}
        width={700}
      >
        {allocation && (
          <>
            {allocation.note && (
              <Alert type={allocation.funded ? 'info' : 'warning'} showIcon message={allocation.note} style={{ marginBottom: 8 }} />
            )}
            <p>
              名额 {allocation.quota}
              {allocation.held ? `（已公示或审核通过 ${allocation.held} 人，保留原档次）` : ''}，本次获资助 {allocation.funded} 人，金额合计{' '}
              {formatYuan(allocation.total)}。
            </p>
            {allocation.bySchool && (
              <p data-testid="allocation-by-school">
                名额分到各校，各校分别排序：
                {allocation.bySchool
                  .map((x) => `${x.name} 名额 ${x.quota}${x.held ? `（保留 ${x.held}）` : ''}、本次获资助 ${x.funded} 人`)
                  .join('；')}
              </p>
            )}
            <p>
              各档：{programme.tiers.map((t) => `${TIER_TEXT[t.tier]} ${allocation.tierCounts[t.tier]} 人`).join('，')}
              {allocation.shares &&
                `；分配到${Object.entries(allocation.shares)
                  .map(([k, n]) => `${classes.find((c) => String(c.id) === k)?.name ?? k} ${n}`)
                  .join('、')}`}
            </p>
            {allocation.unfundedCount > 0 && (
              <Alert
                type="warning"
                showIcon
                message={`符合条件但名额不足、未获资助 ${allocation.unfundedCount} 人`}
                description={
                  <>
                    {allocation.unfundedCount > allocation.unfunded.length && (
                      <p data-testid="unfunded-more">
                        下面列出排名最前的 {allocation.unfunded.length} 人；其余 {allocation.unfundedCount - allocation.unfunded.length}{' '}
                        人的排名和依据见申请列表（按“排名”排序）。
                      </p>
                    )}
                    <ul className="problem-list">
                      {allocation.unfunded.map((u) => (
                        <li key={u.applicationId}>
                          第 {u.rank} 名 {u.className} {u.name}（{u.reason}）
                        </li>
                      ))}
                    </ul>
                  </>
                }
              />
            )}
            <p className="muted">排序规则：{allocation.tieRule}。</p>
          </>
        )}
      </Modal>
      <Modal
        open={publicising}
        title={`公示受助名单：${programme.name}`}
        okText="生成公示"
        onCancel={() => setPublicising(false)}
        onOk={() => void publicise()}
      >
        <p className="muted">
          把“学校审核”中已获名额的学生列入公示，只显示姓名、年级、班级和档次金额。有“必须处理”的检查问题时不能公示（缺银行卡号不影响公示，只影响上报）。
        </p>
        <PublicityPeriodFields value={pub} onChange={setPub} classes={classes} rules={rules} prefix="受助" />
      </Modal>
    </div>
  );
}

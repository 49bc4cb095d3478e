import { CheckOutlined, PrinterOutlined } from '@ant-design/icons';
import { useClasses } from '../../components/SchoolScope';
import { App as AntApp, Button, DatePicker, Input, InputNumber, Popconfirm, Select, Space, Statistic, Table } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { InKindLine, InKindPage } from '../../../../shared/domain/in-kind';
import type { Programme } from '../../../../shared/domain/programme';
import { STAGE_TEXT, type Stage, type Term } from '../../../../shared/domain/school';
import { formatYuan, yuanToFen } from '../../../../shared/rules/money';
import { termText } from '../../../../shared/rules/term';
import { client } from '../../api/client';
import { today } from '../../api/today';
import { PrintPreview } from '../../components/PrintPreview';

/** 实物发放: record what each student was given (all of a stage or class at once), print the class rosters to sign. */
export function InKindPanel({ programme, term }: { programme: Programme; term: Term }) {
  const { message } = AntApp.useApp();
  const [page, setPage] = useState<InKindPage | null>(null);
  const classes = useClasses();
  const [stage, setStage] = useState<Stage | null>(programme.stages[0] ?? null);
  const [classId, setClassId] = useState<number | null>(null);
  const [value, setValue] = useState<number | null>(null);
  const [items, setItems] = useState('');
  const [givenOn, setGivenOn] = useState(today());
  const [selected, setSelected] = useState<number[]>([]);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const load = useCallback(() => {
    client.invoke('inKind.list', { programmeId: programme.id, term }).then(setPage, (e: Error) => message.error(e.message));
    setSelected([]);
  }, [programme.id, term, message]);
  useEffect(load, [load]);
  useEffect(() => {
    const standard = stage ? programme.tiers[0]?.amounts[stage] : undefined;
    setValue(standard === undefined ? null : standard / 100);
  }, [stage, programme]);
  const give = () =>
    client
      .invoke('inKind.give', {
        programmeId: programme.id,
        term,
        stage,
        classId,
        value: value === null ? null : yuanToFen(value),
        items,
        givenOn,
      })
      .then(
        (r) => {
          message.success(
            `已登记发放 ${r.given} 人${r.skipped.length ? `，${r.skipped.length}${r.skipped.length >= 50 ? ' 人以上' : ' 人'}未登记（${r.skipped[0]!.reason}）` : ''}`,
            6,
          );
          load();
        },
        (e: Error) => message.error(e.message, 8),
      );
  const remove = () =>
    client.invoke('inKind.remove', { ids: selected }).then(
      (r) => {
        message.success(`已撤销 ${r.removed} 条发放登记`);
        load();
      },
      (e: Error) => message.error(e.message),
    );
  const ofStage = classes.filter((c) => stage === null || c.stage === stage);
  return (
    <>
      <div className="panel" data-testid="in-kind-give">
        <div className="toolbar">
          <b>登记发放</b>
          <Select
            aria-label="学段"
            style={{ width: 110 }}
            value={stage}
            onChange={(s) => {
              setStage(s);
              setClassId(null);
            }}
            options={programme.stages.map((s) => ({ value: s, label: STAGE_TEXT[s] }))}
          />
          <Select
            aria-label="班级"
            style={{ width: 170 }}
            value={classId}
            onChange={setClassId}
            options={[{ value: null, label: '全部班级' }, ...ofStage.map((c) => ({ value: c.id, label: c.label }))]}
          />
          <InputNumber<number>
            aria-label="每生价值"
            style={{ width: 150 }}
            min={0}
            precision={2}
            addonAfter="元/生"
            placeholder="每生价值"
            value={value}
            onChange={setValue}
          />
          <Input
            aria-label="发放物品"
            style={{ width: 260 }}
            placeholder="物品（如：秋季学期国家课程教科书）"
            value={items}
            onChange={(e) => setItems(e.target.value)}
          />
          <DatePicker
            aria-label="发放日期"
            value={dayjs(givenOn)}
            allowClear={false}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today()}
            onChange={(d) => d && setGivenOn(d.format('YYYY-MM-DD'))}
          />
          <Button type="primary" icon={<CheckOutlined />} onClick={() => void give()}>
            {classId ? '本班' : stage ? `${STAGE_TEXT[stage]}全部` : '全部'}学生登记发放
          </Button>
        </div>
        <div className="muted" style={{ marginTop: 6 }}>
          每位学生本学期只登记一次；已离校或不符合“{programme.name}
          ”条件的学生不会登记。发放后打印签领表，学生（或家长）签字后把扫描件上传到档案。
        </div>
      </div>
      {page && (
        <Space size={40} wrap style={{ margin: '8px 0' }} data-testid="in-kind-figures">
          <Statistic title={`${termText(term)}已发放`} value={page.count} suffix="人次" />
          <Statistic title="符合条件的在校学生" value={page.eligible} suffix="人" />
          <Statistic title="价值合计" value={formatYuan(page.value)} />
        </Space>
      )}
      <div className="toolbar">
        <Button
          icon={<PrinterOutlined />}
          disabled={!page?.count}
          onClick={() =>
            client.invoke('inKind.printRoster', { programmeId: programme.id, term }).then(setDoc, (e: Error) => message.error(e.message))
          }
        >
          打印签领表（按班）
        </Button>
        <Popconfirm title={`撤销选中的 ${selected.length} 条发放登记？`} disabled={selected.length === 0} onConfirm={() => void remove()}>
          <Button danger disabled={selected.length === 0}>
            撤销登记（{selected.length}）
          </Button>
        </Popconfirm>
      </div>
      <Table<InKindLine>
        className="page-scroll"
        size="small"
        rowKey="id"
        dataSource={page?.lines ?? []}
        pagination={{ pageSize: 100, showSizeChanger: false }}
        scroll={{ y: 'calc(100vh - 470px)' }}
        locale={{ emptyText: '本学期还没有登记发放' }}
        rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as number[]) }}
        columns={[
          { title: '班级', dataIndex: 'className', width: 150 },
          { title: '姓名', dataIndex: 'name', width: 110 },
          { title: '价值', dataIndex: 'value', width: 110, align: 'right', render: formatYuan },
          { title: '物品', dataIndex: 'items' },
          { title: '发放日期', dataIndex: 'givenOn', width: 120 },
        ]}
      />
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
    </>
  );
}

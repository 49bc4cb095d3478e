import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Modal, Radio, Result, Select, Space, Spin, Statistic, Steps, Table, Tabs, Tag, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { ProblemKind, RosterImportResult, RosterPreview, RosterRowPreview, RowProblem } from '../../../../shared/api/roster';
import { CENTRAL_SCHOOL_ID, type School } from '../../../../shared/domain/school';
import { useSchoolScope } from '../../components/SchoolScope';
import { LEFT_REASON_TEXT, type LeftReason } from '../../../../shared/domain/student';
import { formatCount } from '../../../../shared/rules/text';
import { ROSTER_FIELD_KEYS, ROSTER_FIELDS, type ColumnMapping, type RosterField } from '../../../../shared/rules/roster-columns';
import { client, uploadOf } from '../../api/client';
import { today } from '../../api/today';

export function ImportDialog({ school, schoolId, onClose }: { school: School; schoolId: number | null; onClose(changed: boolean): void }) {
  const scope = useSchoolScope();
  // A member school's roster goes into that school: chosen before the file (the preview compares with that school).
  const [target, setTarget] = useState<number>(schoolId ?? CENTRAL_SCHOOL_ID);
  const targetName = scope.schools.find((s) => s.id === target)?.name ?? school.name;
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [result, setResult] = useState<RosterImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Conflicts where the clerk chose the roster's value ("studentId:field"); the rest keep the desk's. */
  const [takeFile, setTakeFile] = useState<Set<string>>(new Set());

  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const choose = async (file: File) => {
    const p = await run(async () => client.invoke('roster.preview', { upload: await uploadOf(file), schoolId: target }));
    if (p) setPreview(p);
  };

  /** A new mapping for the same sheet, or another sheet with a freshly proposed mapping. */
  const remap = async (mapping: ColumnMapping | undefined, sheetName = preview!.sheetName) => {
    const p = await run(() =>
      client.invoke('roster.preview', { upload: { uploadId: preview!.uploadId }, mapping, sheetName, schoolId: target }),
    );
    if (p) setPreview(p);
  };

  const commit = async () => {
    const r = await run(() =>
      client.invoke('roster.import', {
        uploadId: preview!.uploadId,
        mapping: preview!.mapping,
        sheetName: preview!.sheetName,
        schoolId: target,
        takeFile: [...takeFile].map((k) => {
          const [studentId, field] = k.split(':');
          return { studentId: Number(studentId), field: field! };
        }),
      }),
    );
    if (r) setResult(r);
  };

  const step = result ? 2 : preview ? 1 : 0;
  return (
    <Modal
      open
      title={scope.several ? `导入学生名册 · ${targetName}` : '导入学生名册'}
      width={1040}
      onCancel={() => onClose(result !== null)}
      maskClosable={false}
      footer={
        step === 1 ? (
          <Space>
            <Button
              onClick={() => {
                setPreview(null);
                setError(null);
              }}
            >
              重新选择文件
            </Button>
            <Button
              type="primary"
              loading={busy}
              disabled={!preview || preview.counts.add + preview.counts.update + takeFile.size === 0}
              onClick={commit}
            >
              {preview && preview.counts.add + preview.counts.update + takeFile.size > 0
                ? `导入（新增 ${formatCount(preview.counts.add)} 人，更新 ${formatCount(preview.counts.update)} 人${takeFile.size ? `，采用名册 ${takeFile.size} 项` : ''}）`
                : '没有需要导入的内容'}
            </Button>
          </Space>
        ) : step === 2 ? (
          <Button type="primary" onClick={() => onClose(true)}>
            完成
          </Button>
        ) : null
      }
    >
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 16 }}
        items={[{ title: '选择文件' }, { title: '核对列和预览' }, { title: '完成' }]}
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="import-error" />}
      {step === 0 && (
        <Spin spinning={busy} tip="正在读取文件…">
          {scope.several && (
            <p>
              导入到：
              <Select
                data-testid="import-school"
                style={{ width: 240 }}
                value={target}
                onChange={setTarget}
                options={scope.schools.map((s) => ({ value: s.id, label: s.name }))}
              />
              <span className="muted" style={{ marginLeft: 8 }}>
                校点的名册导入到该校点；已在其他学校在册的学生不会被改动，列入“双学籍核对”。
              </span>
            </p>
          )}
          <Upload.Dragger
            accept=".xlsx,.csv,.xls"
            showUploadList={false}
            beforeUpload={(file) => {
              void choose(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>点击或把文件拖到这里</p>
            <p className="muted">学籍系统导出的学生名单：Excel（.xlsx）或 CSV。表头上方有标题行也可以。</p>
          </Upload.Dragger>
          <p className="muted" style={{ marginTop: 12 }}>
            导入前会先显示预览，确认后才写入；不合格的行不会导入，可以改好后再导一次。当前学校：{targetName}。
          </p>
        </Spin>
      )}
      {step === 1 && preview && <PreviewView preview={preview} busy={busy} onRemap={remap} takeFile={takeFile} onTakeFile={setTakeFile} />}
      {step === 2 && result && <ResultView result={result} />}
    </Modal>
  );
}

function PreviewView({
  preview,
  busy,
  onRemap,
  takeFile,
  onTakeFile,
}: {
  preview: RosterPreview;
  busy: boolean;
  onRemap(m: ColumnMapping | undefined, sheet?: string): void;
  takeFile: Set<string>;
  onTakeFile(s: Set<string>): void;
}) {
  const conflicts = preview.rows.flatMap((r) =>
    r.conflicts.map((c) => ({ ...c, key: `${r.studentId}:${c.field}`, row: r.row, name: r.name, className: r.className })),
  );
  const columnOptions = [
    { value: -1, label: '（不导入）' },
    ...preview.columns.filter((c) => c.header).map((c) => ({ value: c.index, label: `${c.letter}列：${c.header}` })),
  ];
  const setField = (field: RosterField, col: number) => {
    const next: ColumnMapping = { ...preview.mapping };
    if (col < 0) delete next[field];
    else {
      // One column serves one field: taking it away from another field.
      for (const f of ROSTER_FIELD_KEYS) if (next[f] === col) delete next[f];
      next[field] = col;
    }
    onRemap(next);
  };
  const problems = (severity: 'error' | 'warning') =>
    preview.rows.flatMap((r) => r.problems.filter((p) => p.severity === severity).map((p) => ({ ...p, name: r.name })));
  const errors = problems('error');
  const warnings = problems('warning');
  const byAction = (a: RosterRowPreview['action']) => preview.rows.filter((r) => r.action === a);

  return (
    <Spin spinning={busy}>
      <Space size="large" wrap style={{ display: 'flex', marginBottom: 12 }}>
        <span>
          文件：<strong>{preview.fileName}</strong>
        </span>
        {preview.sheetNames.length > 1 ? (
          <span>
            工作表：
            <Select
              size="small"
              value={preview.sheetName}
              style={{ width: 160 }}
              onChange={(s) => onRemap(undefined, s)}
              options={preview.sheetNames.map((s) => ({ value: s, label: s }))}
            />
          </span>
        ) : (
          <span>工作表：{preview.sheetName}</span>
        )}
        <span>表头在第 {preview.headerRow} 行</span>
      </Space>
      {preview.coded.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="coded-columns"
          message={`这些列是学籍系统的代码，已按代码表读作文字：${preview.coded.map((c) => `${c.label}（${c.codes}）`).join('；')}`}
        />
      )}
      <Space size={40} style={{ display: 'flex', marginBottom: 12 }} data-testid="import-counts">
        <Statistic title="新增" value={preview.counts.add} />
        <Statistic title="更新" value={preview.counts.update} />
        <Statistic title="未变" value={preview.counts.unchanged} />
        <Statistic
          title="不合格（不导入）"
          value={preview.counts.rejected}
          valueStyle={{ color: preview.counts.rejected ? '#cf1322' : undefined }}
        />
        <Statistic title="提醒" value={preview.counts.warnings} />
        {preview.counts.otherSchool > 0 && (
          <Statistic
            title="其他学校在册（双学籍，不导入）"
            value={preview.counts.otherSchool}
            valueStyle={{ color: '#d46b08' }}
            data-testid="other-school-count"
          />
        )}
        <Statistic
          title="与本机修改冲突"
          value={preview.counts.conflicts}
          valueStyle={{ color: preview.counts.conflicts ? '#d46b08' : undefined }}
        />
      </Space>
      {preview.changesByField.length > 0 && (
        <p data-testid="changes-by-field">
          将更新：
          {preview.changesByField.map((c) => (
            <Tag key={c.field}>
              {c.label} {c.count} 人
            </Tag>
          ))}
        </p>
      )}
      <Tabs
        size="small"
        defaultActiveKey={conflicts.length ? 'conflicts' : errors.length ? 'rejected' : 'mapping'}
        items={[
          {
            key: 'mapping',
            label: '列的对应',
            children: (
              <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: '8px 16px', maxHeight: 320, overflow: 'auto' }}>
                {ROSTER_FIELD_KEYS.map((field) => {
                  const col = preview.mapping[field];
                  const sample = col === undefined ? '' : preview.columns[col]?.samples.join('、');
                  return (
                    <label key={field} style={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
                      <span>
                        {ROSTER_FIELDS[field].label}
                        {(field === 'name' || field === 'idNumber') && <span style={{ color: '#cf1322' }}> *</span>}
                      </span>
                      <Select
                        size="small"
                        value={col ?? -1}
                        options={columnOptions}
                        onChange={(v) => setField(field, v)}
                        aria-label={`${ROSTER_FIELDS[field].label}对应的列`}
                      />
                      <span
                        className="muted"
                        style={{ fontSize: 12, minHeight: 18, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}
                      >
                        {sample ? `如：${sample}` : ''}
                      </span>
                    </label>
                  );
                })}
              </div>
            ),
          },
          {
            key: 'rejected',
            label: `不合格 ${formatCount(preview.counts.rejected)}`,
            children: (
              <>
                <ProblemKinds kinds={preview.problemKinds} severity="error" />
                <Listed total={preview.counts.rejected} shown={byAction('rejected').length} unit="行" after="每类问题的总数见上面的汇总" />
                <ProblemTable problems={errors} empty="没有不合格的行" />
              </>
            ),
          },
          {
            key: 'warnings',
            label: `提醒 ${formatCount(preview.counts.warnings)}`,
            children: (
              <>
                <ProblemKinds kinds={preview.problemKinds} severity="warning" />
                <Listed total={preview.counts.warnings} shown={warnings.length} unit="条" after="每类提醒的总数见上面的汇总" />
                <ProblemTable problems={warnings} empty="没有需要提醒的内容" />
              </>
            ),
          },
          {
            key: 'conflicts',
            label: `冲突 ${conflicts.length}`,
            children: (
              <>
                <p className="muted">
                  这些内容在本机修改过（如更正的电话、班级），名册中的值不同。默认保留本机的值；确认名册更准确的，选“采用名册”。
                  <Button size="small" type="link" onClick={() => onTakeFile(new Set())}>
                    全部保留本机
                  </Button>
                  <Button size="small" type="link" onClick={() => onTakeFile(new Set(conflicts.map((c) => c.key)))}>
                    全部采用名册
                  </Button>
                </p>
                <Table
                  size="small"
                  rowKey="key"
                  pagination={{ pageSize: 8, showSizeChanger: false }}
                  dataSource={conflicts}
                  locale={{ emptyText: '没有冲突' }}
                  columns={[
                    { title: '行', dataIndex: 'row', width: 60 },
                    { title: '姓名', dataIndex: 'name', width: 90 },
                    { title: '班级', dataIndex: 'className', width: 120 },
                    { title: '项目', dataIndex: 'label', width: 100 },
                    { title: '本机', dataIndex: 'mine', render: (v: string | null) => v ?? '空' },
                    { title: '名册', dataIndex: 'file', render: (v: string | null) => v ?? '空' },
                    {
                      title: '采用',
                      width: 190,
                      render: (_, c) => (
                        <Radio.Group
                          size="small"
                          value={takeFile.has(c.key) ? 'file' : 'mine'}
                          onChange={(e) => {
                            const next = new Set(takeFile);
                            if (e.target.value === 'file') next.add(c.key);
                            else next.delete(c.key);
                            onTakeFile(next);
                          }}
                          options={[
                            { value: 'mine', label: '保留本机' },
                            { value: 'file', label: '采用名册' },
                          ]}
                        />
                      ),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'add',
            label: `新增 ${formatCount(preview.counts.add)}`,
            children: (
              <>
                <Listed total={preview.counts.add} shown={byAction('add').length} unit="人" after="导入时全部新增" />
                <Table
                  size="small"
                  rowKey="row"
                  pagination={{ pageSize: 8, showSizeChanger: false }}
                  dataSource={byAction('add')}
                  columns={[
                    { title: '行', dataIndex: 'row', width: 70 },
                    { title: '姓名', dataIndex: 'name' },
                    { title: '班级', dataIndex: 'className' },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'update',
            label: `更新 ${formatCount(preview.counts.update)}`,
            children: (
              <>
                <Listed total={preview.counts.update} shown={byAction('update').length} unit="人" after="导入时全部更新" />
                <Table
                  size="small"
                  rowKey="row"
                  pagination={{ pageSize: 8, showSizeChanger: false }}
                  dataSource={byAction('update')}
                  columns={[
                    { title: '行', dataIndex: 'row', width: 70 },
                    { title: '姓名', dataIndex: 'name', width: 100 },
                    {
                      title: '变化',
                      render: (_, r) =>
                        r.changes.map((c) => (
                          <Tag key={c.field}>
                            {c.label}：{c.from ?? '空'} → {c.to ?? '空'}
                          </Tag>
                        )),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'missing',
            label: `名册中没有 ${formatCount(preview.missingCount)}`,
            children: (
              <>
                <p className="muted">
                  这些学生目前在校，但这份名册里没有。导入后可以把确实离校的学生标记为转出、毕业或辍学；不会删除任何学生。
                </p>
                <Listed
                  total={preview.missingCount}
                  shown={preview.missing.length}
                  unit="人"
                  after="人数这么多，多半是选错了名册或学校，请先核对"
                />
                <Table
                  size="small"
                  rowKey="id"
                  pagination={{ pageSize: 8, showSizeChanger: false }}
                  dataSource={preview.missing}
                  columns={[
                    { title: '姓名', dataIndex: 'name' },
                    { title: '班级', dataIndex: 'className' },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
    </Spin>
  );
}

/** Said above a list that shows only the first rows of a county-sized file (the counts above are whole). */
function Listed({ total, shown, unit, after }: { total: number; shown: number; unit: string; after: string }) {
  if (shown >= total) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 8 }}
      message={`共 ${formatCount(total)} ${unit}，这里列出前 ${formatCount(shown)} ${unit}；${after}。`}
    />
  );
}

/** How many rows have each kind of problem, most first: 600 rows refused for one reason read as one line, not 600. */
function ProblemKinds({ kinds, severity }: { kinds: ProblemKind[]; severity: ProblemKind['severity'] }) {
  const mine = kinds.filter((k) => k.severity === severity);
  // Only when some problem repeats: a few different ones are read as quickly in the list below.
  if (!mine.some((k) => k.count > 1)) return null;
  const shown = mine.slice(0, 5);
  return (
    <div data-testid={`problem-kinds-${severity}`} style={{ marginBottom: 8 }}>
      <div className="muted">按问题汇总：</div>
      {shown.map((k) => (
        <div key={`${k.code}-${k.column}`} style={{ display: 'flex', gap: 8, alignItems: 'baseline', marginTop: 4 }}>
          <Tag color={severity === 'error' ? 'red' : 'orange'} style={{ flex: 'none', minWidth: 64, textAlign: 'center' }}>
            {formatCount(k.count)} {severity === 'error' ? '处' : '条'}
          </Tag>
          <span>
            {k.column ? `“${k.column}”列：` : ''}
            {k.example}
          </span>
        </div>
      ))}
      {mine.length > shown.length && <div className="muted">另有 {mine.length - shown.length} 类问题，见下面的列表</div>}
    </div>
  );
}

function ProblemTable({ problems, empty }: { problems: (RowProblem & { name: string })[]; empty: string }) {
  return (
    <Table
      size="small"
      rowKey={(p) => `${p.row}-${p.code}-${p.column}`}
      dataSource={problems}
      locale={{ emptyText: empty }}
      pagination={{ pageSize: 8, showSizeChanger: false }}
      columns={[
        { title: '行', dataIndex: 'row', width: 60 },
        { title: '姓名', dataIndex: 'name', width: 90, render: (n: string) => n || <span className="muted">（无姓名）</span> },
        { title: '列', dataIndex: 'column', width: 110 },
        { title: '问题', dataIndex: 'message', render: (m: string) => m.replace(/^第\d+行(“[^”]*”列)?：/, '') },
      ]}
    />
  );
}

function ResultView({ result }: { result: RosterImportResult }) {
  const [ids, setIds] = useState<number[]>([]);
  const [reason, setReason] = useState<LeftReason>('transferred');
  const [date, setDate] = useState<Dayjs>(dayjs(today()));
  const [marked, setMarked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rejectedRows = result.rejectedRows;
  const mark = async () => {
    try {
      const r = await client.invoke('students.setStatus', { ids, status: 'left', reason, date: date.format('YYYY-MM-DD') });
      setMarked(`已将 ${r.changed} 名学生标记为${LEFT_REASON_TEXT[reason]}`);
      setIds([]);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Result
        status={rejectedRows ? 'warning' : 'success'}
        title={`已新增 ${formatCount(result.imported)} 人，更新 ${formatCount(result.updated)} 人${result.conflictsKept ? `；本机修改过的 ${result.conflictsKept} 项保持不变` : ''}`}
        subTitle={
          rejectedRows
            ? `有 ${formatCount(rejectedRows)} 行不合格，未导入：改好名册后再导入一次即可（已导入的不会重复）。`
            : '全部有效行已导入。'
        }
        style={{ padding: '16px 0' }}
      />
      {result.otherSchool > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${result.otherSchool} 名学生已在其他学校在册（疑似双学籍），未改动：请在“学生名册 → 双学籍核对”中逐一核实处理`}
        />
      )}
      <ProblemKinds kinds={result.problemKinds} severity="error" />
      {result.problemCounts.errors > result.rejected.length && (
        <div className="muted" style={{ marginBottom: 4 }}>
          共 {formatCount(result.problemCounts.errors)} 个问题，这里列出前 {formatCount(result.rejected.length)}{' '}
          个；每类问题的总数见上面的汇总。
        </div>
      )}
      {result.rejected.length > 0 && (
        <Table
          size="small"
          data-testid="rejected-rows"
          style={{ marginBottom: 12 }}
          rowKey={(p) => `${p.row}-${p.code}-${p.column}`}
          pagination={{ pageSize: 5, showSizeChanger: false }}
          dataSource={result.rejected}
          columns={[
            { title: '未导入的行', dataIndex: 'row', width: 90 },
            { title: '姓名', dataIndex: 'name', width: 90, render: (n: string) => n || <span className="muted">（无姓名）</span> },
            { title: '问题', dataIndex: 'message', render: (m: string) => m.replace(/^第\d+行(“[^”]*”列)?：/, '') },
          ]}
        />
      )}
      {result.missingCount > 0 && (
        <>
          <Alert
            type="info"
            showIcon
            message={`还有 ${formatCount(result.missingCount)} 名在校学生不在这份名册中`}
            description="如果他们已经离校，勾选后标记离校原因；不确定的先不要动。"
            style={{ marginBottom: 8 }}
          />
          <Listed total={result.missingCount} shown={result.missing.length} unit="人" after="其余的可在“学生名册”中按班级查看" />
          {marked && <Alert type="success" showIcon message={marked} style={{ marginBottom: 8 }} />}
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
          <Space style={{ marginBottom: 8 }}>
            <Select<LeftReason>
              value={reason}
              onChange={setReason}
              style={{ width: 100 }}
              options={(Object.keys(LEFT_REASON_TEXT) as LeftReason[]).map((k) => ({ value: k, label: LEFT_REASON_TEXT[k] }))}
            />
            <DatePicker value={date} onChange={(d) => d && setDate(d)} allowClear={false} />
            <Button disabled={ids.length === 0} onClick={mark}>
              标记所选 {ids.length} 人离校
            </Button>
          </Space>
          <Table
            size="small"
            rowKey="id"
            pagination={{ pageSize: 6, showSizeChanger: false }}
            dataSource={result.missing}
            rowSelection={{ selectedRowKeys: ids, onChange: (keys) => setIds(keys as number[]) }}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '班级', dataIndex: 'className' },
            ]}
          />
        </>
      )}
    </>
  );
}

import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useSchoolScope } from '../../components/SchoolScope';
import { Alert, App as AntApp, Button, Descriptions, Empty, Popconfirm, Segmented, Select, Space, Table, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  BUILT_IN_TEMPLATES,
  type BuiltInTemplate,
  type TemplateDetail,
  type TemplateExportResult,
  type TemplateSummary,
} from '../../../../shared/api/exports';
import type { Programme } from '../../../../shared/domain/programme';
import type { School, SchoolClass } from '../../../../shared/domain/school';
import { TEMPLATE_FIELD_KEYS, TEMPLATE_FIELDS, type TemplateField } from '../../../../shared/rules/template-fields';
import { nextTerm, previousTerm, schoolYearOfTerm, termText } from '../../../../shared/rules/term';
import { client, fileToBase64 } from '../../api/client';
import { saveFile } from '../../components/files';
import { remember, remembered, useRemembered } from '../../components/remembered';
import { useRememberedTerm } from '../../components/TermProgramme';
import { useConfirmLeave, useUnsaved } from '../../components/unsaved';
import { NoticesPanel } from './NoticesPanel';

type Chosen = { templateId: number } | { builtIn: BuiltInTemplate };
const FIELD_OPTIONS = [
  { value: '', label: '（不填，保持模板原样）' },
  ...TEMPLATE_FIELD_KEYS.map((k) => ({ value: k, label: TEMPLATE_FIELDS[k].label })),
];

/** 导出与打印: the county's templates (kept with their column fields) filled with a programme's approved recipients. */
export function ExportsPage({ school }: { school: School }) {
  const { message } = AntApp.useApp();
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [detail, setDetail] = useState<TemplateDetail | null>(null);
  const [mapping, setMapping] = useState<Record<string, TemplateField | null>>({});
  const [values, setValues] = useState<Record<string, Record<string, string>>>({});
  const edited = Object.keys(mapping).length > 0 || Object.keys(values).length > 0;
  // Column corrections not yet saved with the template: leaving the page asks first.
  useUnsaved(edited);
  const confirmLeave = useConfirmLeave();
  const [term, setTerm] = useRememberedTerm(school, 'exports');
  const [catalogue, setCatalogue] = useState<Programme[]>([]);
  const [programmeId, setProgrammeId] = useState<number | null>(null);
  const [classes, setClasses] = useState<SchoolClass[]>([]);
  const [classId, setClassId] = useRemembered<number | null>('exports.class', null);
  const scope = useSchoolScope();
  const { schoolId } = scope;
  const [sheets, setSheets] = useRemembered<'one' | 'perSchool'>('exports.sheets', 'one');
  const [result, setResult] = useState<TemplateExportResult | null>(null);
  // What the template is filled with: a programme's recipients, or the year's identification results (全国系统).
  const [content, setContent] = useRemembered<'recipients' | 'identification'>('exports.content', 'recipients');
  const identification = content === 'identification' || (chosen !== null && 'builtIn' in chosen && chosen.builtIn === 'identification');

  const loadTemplates = useCallback(() => {
    client.invoke('templates.list', {}).then(setTemplates, (e: Error) => message.error(e.message));
  }, [message]);
  useEffect(loadTemplates, [loadTemplates]);
  useEffect(() => {
    client.invoke('classes.list', {}).then(
      (list) => {
        setClasses(list);
        // A remembered class that no longer exists (a new roster) is forgotten.
        setClassId((c) => (c !== null && !list.some((x) => x.id === c && (schoolId === null || x.schoolId === schoolId)) ? null : c));
      },
      () => setClasses([]),
    );
  }, [setClassId, schoolId]);
  useEffect(() => {
    client.invoke('programmes.list', { schoolYear: schoolYearOfTerm(term) }).then(
      (list) => {
        setCatalogue(list);
        const offered = list.filter((p) => p.stages.some((s) => school.stages.includes(s)));
        // The programme chosen before (by code, so it holds across school years), else the first of the school's.
        const code = remembered<string | null>('exports.programme', null);
        setProgrammeId((id) =>
          list.some((p) => p.id === id) ? id : ((list.find((p) => p.code === code) ?? offered[0] ?? list[0])?.id ?? null),
        );
      },
      () => setCatalogue([]),
    );
  }, [term, school.stages]);
  useEffect(() => {
    setResult(null);
    if (!chosen || !('templateId' in chosen)) return setDetail(null);
    client.invoke('templates.get', { id: chosen.templateId }).then(
      (d) => {
        setDetail(d);
        setMapping({});
        setValues({});
      },
      (e: Error) => message.error(e.message),
    );
  }, [chosen, message]);

  const upload = async (file: File) => {
    try {
      const d = await client.invoke('templates.add', { file: { fileName: file.name, dataBase64: await fileToBase64(file) } });
      message.success(`已保存模板“${d.name}”，请核对每一列对应的内容`);
      if (d.conversion) message.warning(d.conversion, 12);
      loadTemplates();
      setChosen({ templateId: d.id });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const saveMapping = async () => {
    if (!detail) return;
    try {
      setDetail(await client.invoke('templates.saveMapping', { id: detail.id, mapping, values }));
      setMapping({});
      setValues({});
      message.success('已保存列的对应关系，下学期使用这个模板时会沿用');
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const exportNow = async () => {
    if (!chosen) return;
    try {
      let r: TemplateExportResult;
      if (identification) {
        const template = 'builtIn' in chosen ? { builtIn: 'identification' as const } : chosen;
        r = await client.invoke('export.identification', { template, schoolYear: schoolYearOfTerm(term), classId, schoolId });
      } else {
        if (!programmeId || ('builtIn' in chosen && chosen.builtIn === 'identification')) return;
        const template = 'builtIn' in chosen ? { builtIn: chosen.builtIn === 'bank' ? ('bank' as const) : ('list' as const) } : chosen;
        // A summary counts whole schools: never one class.
        const forClass = detail?.kind === 'schools' ? null : classId;
        r = await client.invoke('export.countyTemplate', { template, programmeId, term, classId: forClass, schoolId, sheets });
      }
      setResult(r);
      if (r.file) {
        saveFile(r.file);
        message.success(detail?.kind === 'schools' ? `已导出 ${r.rows} 所学校的汇总` : `已导出 ${r.rows} 名学生`);
      }
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <div className="page">
      <h1 className="page-title">导出与打印</h1>
      <div className="publicity-layout">
        <div className="panel page-scroll">
          <Upload.Dragger
            height={130}
            accept=".xlsx,.xls"
            showUploadList={false}
            beforeUpload={(f) => {
              void upload(f);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>上传县里发来的 Excel 模板（.xlsx 或 .xls）</p>
          </Upload.Dragger>
          <h4>已保存的模板</h4>
          {templates.length === 0 && <p className="muted">还没有保存的模板</p>}
          {templates.map((t) => (
            <div
              key={t.id}
              className={`template-item${chosen && 'templateId' in chosen && chosen.templateId === t.id ? ' selected' : ''}`}
              onClick={() => confirmLeave(() => setChosen({ templateId: t.id }))}
            >
              {t.name}
              <span className="muted"> · {t.updatedAt.slice(0, 10)}</span>
            </div>
          ))}
          <h4>内置模板（县里没有发模板时用）</h4>
          {(Object.keys(BUILT_IN_TEMPLATES) as BuiltInTemplate[]).map((k) => (
            <div
              key={k}
              className={`template-item${chosen && 'builtIn' in chosen && chosen.builtIn === k ? ' selected' : ''}`}
              onClick={() => confirmLeave(() => setChosen({ builtIn: k }))}
            >
              {BUILT_IN_TEMPLATES[k]}
            </div>
          ))}
          <p className="muted" style={{ marginTop: 12 }}>
            签领表（发放花名册）在“资助项目 → 申请与审核 → 打印签领表”中打印或导出。
          </p>
          <NoticesPanel term={term} classes={classes} />
        </div>
        <div className="panel page-scroll">
          {!chosen && (
            <Empty
              description={
                catalogue.find((p) => p.id === programmeId) ? (
                  <span data-testid="export-for">
                    上报“{catalogue.find((p) => p.id === programmeId)!.name}”{termText(term)}
                    的受助名单：在左侧选择县里发来的模板（或上传新模板），没有模板时可用内置的“受助学生名单”
                  </span>
                ) : (
                  '选择或上传一个模板'
                )
              }
            />
          )}
          {detail && (
            <>
              <Descriptions
                size="small"
                column={3}
                items={[
                  { key: 'n', label: '模板', children: detail.name },
                  {
                    key: 'k',
                    label: '类型',
                    children: detail.kind === 'schools' ? '每校一行的汇总表（填各校人数、金额）' : '逐人名单',
                  },
                  { key: 'h', label: '表头', children: `${detail.sheetName} ${detail.headerRows}` },
                  {
                    key: 'd',
                    label: '数据区',
                    children: `第 ${detail.dataStart} 行起${detail.templateRows !== null ? `，预留 ${detail.templateRows} 行，之后是合计行（第 ${detail.totalRow} 行）` : ''}`,
                  },
                ]}
              />
              <Table
                size="small"
                rowKey="letter"
                pagination={false}
                dataSource={detail.columns}
                scroll={{ y: 300 }}
                columns={[
                  { title: '列', dataIndex: 'letter', width: 50 },
                  { title: '模板列名', dataIndex: 'header' },
                  {
                    title: '填入',
                    width: 240,
                    render: (_, c) => (
                      <Select
                        aria-label={`${c.letter}列填入`}
                        showSearch
                        optionFilterProp="label"
                        style={{ width: 220 }}
                        value={(c.letter in mapping ? mapping[c.letter] : c.field) ?? ''}
                        onChange={(v) => setMapping({ ...mapping, [c.letter]: (v || null) as TemplateField | null })}
                        options={FIELD_OPTIONS}
                      />
                    ),
                  },
                  { title: '下拉选项', render: (_, c) => <span className="muted">{c.options?.join('、')}</span> },
                ]}
              />
              {detail.columns.some((c) => c.ourValues.length > 0) && (
                <div style={{ marginTop: 8 }}>
                  <strong>下拉选项的写法</strong>
                  {detail.columns
                    .filter((c) => c.ourValues.length > 0)
                    .map((c) => (
                      <div key={c.letter} className="toolbar" style={{ marginTop: 4 }}>
                        <span style={{ width: 150 }}>
                          {c.letter}列 {c.header}：
                        </span>
                        {c.ourValues.map((v) => (
                          <span key={v}>
                            {v} →{' '}
                            <Select
                              aria-label={`${c.letter}列${v}写作`}
                              size="small"
                              style={{ width: 110 }}
                              value={values[c.letter]?.[v] ?? c.values[v] ?? (c.options?.includes(v) ? v : undefined)}
                              placeholder="自动"
                              onChange={(o) => setValues({ ...values, [c.letter]: { ...(values[c.letter] ?? {}), [v]: o } })}
                              options={(c.options ?? []).map((o) => ({ value: o, label: o }))}
                            />
                          </span>
                        ))}
                      </div>
                    ))}
                </div>
              )}
              <Space style={{ margin: '8px 0' }}>
                <Button disabled={!edited} onClick={() => void saveMapping()}>
                  保存列的对应关系
                </Button>
                <Popconfirm
                  title="删除这个模板？"
                  onConfirm={() =>
                    void client.invoke('templates.remove', { id: detail.id }).then(() => {
                      setChosen(null);
                      loadTemplates();
                    })
                  }
                >
                  <Button danger>删除模板</Button>
                </Popconfirm>
              </Space>
            </>
          )}
          {chosen && (
            <div className="toolbar" style={{ marginTop: 8 }}>
              <Segmented
                aria-label="填写内容"
                value={identification ? 'identification' : 'recipients'}
                onChange={(v) => setContent(v as 'recipients' | 'identification')}
                options={[
                  {
                    value: 'recipients',
                    label: '受助学生（按项目、学期）',
                    disabled: 'builtIn' in chosen && chosen.builtIn === 'identification',
                  },
                  {
                    value: 'identification',
                    label: '认定结果（全国系统，按学年）',
                    disabled: 'builtIn' in chosen && chosen.builtIn !== 'identification',
                  },
                ]}
              />
              <Select
                aria-label="导出学期"
                style={{ width: 170 }}
                value={term}
                onChange={setTerm}
                options={[previousTerm(term), term, nextTerm(term)].map((t) => ({ value: t, label: termText(t) }))}
              />
              {identification ? (
                <span className="muted">{schoolYearOfTerm(term)} 学年认定为家庭经济困难的在校学生</span>
              ) : (
                <Select
                  aria-label="导出项目"
                  style={{ width: 240 }}
                  value={programmeId}
                  onChange={(id: number) => {
                    setProgrammeId(id);
                    const code = catalogue.find((p) => p.id === id)?.code;
                    if (code) remember('exports.programme', code);
                  }}
                  options={catalogue.map((p) => ({ value: p.id, label: p.name }))}
                />
              )}
              <Select
                aria-label="导出班级"
                allowClear
                placeholder="全部班级"
                style={{ width: 160 }}
                disabled={detail?.kind === 'schools'}
                value={detail?.kind === 'schools' ? null : classId}
                onChange={(v) => setClassId(v ?? null)}
                options={classes
                  .filter((c) => schoolId === null || c.schoolId === schoolId)
                  .map((c) => ({ value: c.id, label: scope.classLabel(c.name, c.schoolId) }))}
              />
              {scope.several && schoolId === null && !identification && detail?.kind !== 'schools' && (
                <Select
                  aria-label="工作表"
                  data-testid="export-sheets"
                  style={{ width: 170 }}
                  value={sheets}
                  onChange={setSheets}
                  options={[
                    { value: 'one', label: '全部学校一张表' },
                    { value: 'perSchool', label: '每所学校一张工作表' },
                  ]}
                />
              )}
              <Button type="primary" icon={<DownloadOutlined />} disabled={edited} onClick={() => void exportNow()}>
                填写并导出
              </Button>
              {edited && <span className="muted">请先保存列的对应关系</span>}
            </div>
          )}
          {result && result.problems.length > 0 && (
            <Alert
              style={{ marginTop: 10 }}
              type="error"
              showIcon
              message={`有 ${result.problems.length} 个问题，没有导出（不会导出有错的表）`}
              description={
                <ul className="problem-list">
                  {result.problems.map((p, i) => (
                    <li key={i}>
                      {p.student} {p.column}：{p.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          {result?.file && (
            <Alert
              style={{ marginTop: 10 }}
              type="success"
              showIcon
              message={`已填写 ${result.rows} 名学生，文件“${result.file.fileName}”已保存到下载文件夹`}
            />
          )}
          {result?.conversion && <Alert style={{ marginTop: 10 }} type="info" showIcon message={result.conversion} />}
          {result?.fundsWarning && (
            <Alert
              style={{ marginTop: 10 }}
              type="warning"
              showIcon
              data-testid="funds-warning"
              message="资金提醒"
              description={result.fundsWarning}
            />
          )}
        </div>
      </div>
    </div>
  );
}

import { Select, Tabs, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Programme } from '../../../../shared/domain/programme';
import { PROGRAMME_KIND_TEXT } from '../../../../shared/domain/programme';
import { STAGE_TEXT, type School, type SchoolClass, type Term } from '../../../../shared/domain/school';
import { nextTerm, previousTerm, schoolYearOfTerm, termText } from '../../../../shared/rules/term';
import type { PrintDocument } from '../../../../shared/api/common';
import { client } from '../../api/client';
import { PrintPreview } from '../../components/PrintPreview';
import { ApplicationsTab } from './ApplicationsTab';
import { ChecksTab } from './ChecksTab';
import { ProgrammeSettingsTab } from './ProgrammeSettingsTab';
import { QuotaTab } from './QuotaTab';

/** 资助项目: per term and programme, the applications, the quota, the programme's standards and the checks. */
export function ProgrammesPage({ school }: { school: School }) {
  const [term, setTerm] = useState<Term>(school.term);
  const [catalogue, setCatalogue] = useState<Programme[]>([]);
  const [programmeId, setProgrammeId] = useState<number | null>(null);
  const [classes, setClasses] = useState<SchoolClass[]>([]);
  const [version, setVersion] = useState(0);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const load = useCallback(() => {
    client.invoke('programmes.list', { schoolYear: schoolYearOfTerm(term) }).then((list) => {
      setCatalogue(list);
      // Keep the same programme (by code) when the term moves into another school year.
      setProgrammeId((current) => {
        const code = catalogue.find((p) => p.id === current)?.code;
        const offered = list.filter((p) => p.stages.some((s) => school.stages.includes(s)));
        return (list.find((p) => p.code === code) ?? offered[0] ?? list[0])?.id ?? null;
      });
    }, () => setCatalogue([]));
  }, [term]); // eslint-disable-line react-hooks/exhaustive-deps -- reload per term only
  useEffect(load, [load]);
  useEffect(() => {
    client.invoke('classes.list', {}).then(setClasses, () => setClasses([]));
  }, []);
  const programme = catalogue.find((p) => p.id === programmeId);
  const offered = catalogue.filter((p) => p.stages.some((s) => school.stages.includes(s)));
  const others = catalogue.filter((p) => !offered.includes(p));
  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">资助项目</h1>
        <Select aria-label="学期" style={{ width: 170 }} value={term} onChange={setTerm}
          options={[previousTerm(previousTerm(term)), previousTerm(term), term, nextTerm(term)].filter((t, i, a) => a.indexOf(t) === i).map((t) => ({ value: t, label: termText(t) }))} />
        <Select aria-label="资助项目" style={{ width: 260 }} value={programmeId} onChange={setProgrammeId}
          options={[
            { label: '本校学段的项目', options: offered.map((p) => ({ value: p.id, label: p.name })) },
            { label: '其他学段', options: others.map((p) => ({ value: p.id, label: p.name })) },
          ]} />
        {programme && (
          <span className="muted">
            {programme.stages.map((s) => STAGE_TEXT[s]).join('、')} · <Tag>{PROGRAMME_KIND_TEXT[programme.kind]}</Tag>{programme.note}
          </span>
        )}
      </div>
      {programme && (
        <Tabs className="fill-tabs" destroyOnHidden items={[
          { key: 'applications', label: '申请与审核', children: <ApplicationsTab key={`${programme.id}-${term}-${version}`} programme={programme} term={term} classes={classes} onChanged={() => {}} onPrint={setDoc} /> },
          { key: 'quota', label: '名额', children: <QuotaTab programme={programme} term={term} onSaved={() => setVersion((v) => v + 1)} /> },
          { key: 'checks', label: '检查', children: <ChecksTab programme={programme} term={term} /> },
          { key: 'settings', label: '项目设置', children: <ProgrammeSettingsTab programme={programme} catalogue={catalogue} onSaved={(p) => setCatalogue((c) => c.map((x) => (x.id === p.id ? p : x)))} /> },
        ]} />
      )}
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
    </div>
  );
}

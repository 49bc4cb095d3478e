import { Select, Tabs, Tag } from 'antd';
import { useClasses } from '../../components/SchoolScope';
import { useState } from 'react';
import { PROGRAMME_KIND_TEXT } from '../../../../shared/domain/programme';
import { STAGE_TEXT, type School } from '../../../../shared/domain/school';
import type { PrintDocument } from '../../../../shared/api/common';
import { PrintPreview } from '../../components/PrintPreview';
import { useRemembered } from '../../components/remembered';
import { useConfirmLeave } from '../../components/unsaved';
import { TermSelect, useTermProgrammes } from '../../components/TermProgramme';
import { StudentDrawer } from '../roster/StudentDrawer';
import { ApplicationsTab } from './ApplicationsTab';
import { ChecksTab } from './ChecksTab';
import { ProgrammeSettingsTab } from './ProgrammeSettingsTab';
import { QuotaTab } from './QuotaTab';

/** 资助项目: per term and programme, the applications, the quota, the programme's standards and the checks. */
export function ProgrammesPage({ school }: { school: School }) {
  const { term, setTerm, catalogue, setCatalogue, programmeId, setProgrammeId, programme, options } = useTermProgrammes(
    school,
    'programmes',
  );
  const classes = useClasses();
  const [version, setVersion] = useState(0);
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const [studentId, setStudentId] = useState<number | null>(null);
  const [tab, setTab] = useRemembered<string>('programmes.tab', 'applications');
  const confirmLeave = useConfirmLeave();
  return (
    <div className="page">
      <div className="toolbar">
        <h1 className="page-title">资助项目</h1>
        <TermSelect term={term} onChange={(t) => confirmLeave(() => setTerm(t))} />
        <Select
          aria-label="资助项目"
          style={{ width: 260 }}
          value={programmeId}
          onChange={(p) => confirmLeave(() => setProgrammeId(p))}
          options={options}
        />
        {programme && (
          <span className="muted">
            {programme.stages.map((s) => STAGE_TEXT[s]).join('、')} · <Tag>{PROGRAMME_KIND_TEXT[programme.kind]}</Tag>
            {programme.note}
          </span>
        )}
      </div>
      {programme && (
        <Tabs
          className="fill-tabs"
          destroyOnHidden
          activeKey={tab}
          onChange={(k) => confirmLeave(() => setTab(k))}
          items={[
            {
              key: 'applications',
              label: '申请与审核',
              children: (
                <ApplicationsTab
                  key={`${programme.id}-${term}-${version}`}
                  programme={programme}
                  term={term}
                  classes={classes}
                  onChanged={() => {}}
                  onPrint={setDoc}
                />
              ),
            },
            {
              key: 'quota',
              label: '名额',
              children: <QuotaTab programme={programme} term={term} onSaved={() => setVersion((v) => v + 1)} />,
            },
            { key: 'checks', label: '检查', children: <ChecksTab programme={programme} term={term} onOpenStudent={setStudentId} /> },
            {
              key: 'settings',
              label: '项目设置',
              children: (
                <ProgrammeSettingsTab
                  programme={programme}
                  catalogue={catalogue}
                  onSaved={(p) => setCatalogue((c) => c.map((x) => (x.id === p.id ? p : x)))}
                />
              ),
            },
          ]}
        />
      )}
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
      {studentId !== null && <StudentDrawer id={studentId} classes={classes} onClose={() => setStudentId(null)} onChanged={() => {}} />}
    </div>
  );
}

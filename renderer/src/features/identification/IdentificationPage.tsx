import { Tabs } from 'antd';
import { useClasses } from '../../components/SchoolScope';
import { useState } from 'react';
import type { PrintDocument } from '../../../../shared/api/common';
import type { School } from '../../../../shared/domain/school';
import { useRemembered } from '../../components/remembered';
import { PrintPreview } from '../../components/PrintPreview';
import { CasesTab } from './CasesTab';
import { CrosscheckTab } from './CrosscheckTab';
import { RubricTab } from './RubricTab';
import { VisitsTab } from './VisitsTab';
import { FindingsTab } from './FindingsTab';

/** 家庭调查与认定: surveys, scoring, panel review and decisions per class; county lists; verification visits; the rubric. */
export function IdentificationPage({ school }: { school: School }) {
  const classes = useClasses();
  const [doc, setDoc] = useState<PrintDocument | null>(null);
  const [tab, setTab] = useRemembered<string>('surveys.tab', 'cases');
  return (
    <div className="page">
      <h1 className="page-title">
        家庭调查与认定{' '}
        <span className="muted" style={{ fontSize: 14, fontWeight: 400 }}>
          {school.schoolYear}学年
        </span>
      </h1>
      <Tabs
        className="fill-tabs"
        destroyOnHidden
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'cases', label: '学生认定', children: <CasesTab classes={classes} onPrint={setDoc} /> },
          { key: 'lists', label: '名单比对', children: <CrosscheckTab /> },
          { key: 'visits', label: '家访抽查', children: <VisitsTab /> },
          { key: 'findings', label: '县级核查整改', children: <FindingsTab /> },
          { key: 'rubric', label: '评分规则', children: <RubricTab /> },
        ]}
      />
      <PrintPreview doc={doc} onClose={() => setDoc(null)} />
    </div>
  );
}

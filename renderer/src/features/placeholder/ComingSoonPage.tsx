import { Alert, Card } from 'antd';
import type { Area } from '../../App';

/** What each area will hold, said plainly while it is not built yet. */
const PLANNED: Partial<Record<Area, string[]>> = {
  payments: ['发放登记', '导入银行代发结果并对账、更正卡号后重新发放'],
  archive: ['档案目录与齐全情况', '扫描件和照片附件'],
  stats: ['按学段、项目统计人数、人次和金额', '生成工作总结中的数据段落'],
};

export function ComingSoonPage({ area, title }: { area: Area; title: string }) {
  return (
    <div className="page">
      <h1 className="page-title">{title}</h1>
      <Alert type="info" showIcon message="此功能尚未完成" description="这一部分还在开发中，目前不能使用。学生名册、家庭调查与认定、资助项目、公示、导出与打印和学校设置已经可以使用。" />
      <Card title="计划包括" size="small" style={{ maxWidth: 640 }}>
        <ul style={{ margin: 0, paddingLeft: 20, lineHeight: 2 }}>
          {(PLANNED[area] ?? []).map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

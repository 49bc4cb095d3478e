import { Alert, Card } from 'antd';
import type { Area } from '../../App';

/** What each area will hold, said plainly while it is not built yet. */
const PLANNED: Partial<Record<Area, string[]>> = {
  surveys: ['家庭经济情况调查表（认定申请表）的录入、按班导出收集与导回', '家访记录与抽查', '量化评分、班级民主评议、学校认定', '与县级脱贫/监测、低保特困名单比对'],
  programmes: ['资助项目目录与标准（按年可改）', '名额与档次分配', '申请从申请到审核的全流程', '重复资助、兼得等检查'],
  publicity: ['认定结果与受助名单公示（只显示姓名、年级、班级和等级/档次）', '异议登记与处理'],
  exports: ['按县里的 Excel 模板导出', '打印签领表（发放花名册）'],
  payments: ['发放登记', '导入银行代发结果并对账、更正卡号后重新发放'],
  archive: ['档案目录与齐全情况', '扫描件和照片附件'],
  stats: ['按学段、项目统计人数、人次和金额', '生成工作总结中的数据段落'],
};

export function ComingSoonPage({ area, title }: { area: Area; title: string }) {
  return (
    <div className="page">
      <h1 className="page-title">{title}</h1>
      <Alert type="info" showIcon message="此功能尚未完成" description="这一部分还在开发中，目前不能使用。学生名册和学校设置已经可以使用。" />
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

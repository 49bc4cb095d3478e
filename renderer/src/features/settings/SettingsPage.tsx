import { App as AntApp, Button, Card } from 'antd';
import { client } from '../../api/client';
import type { School } from '../../../../shared/domain/school';
import { BackupCard } from './BackupCard';
import { PublicityCard } from './PublicityCard';
import { SchoolForm } from './SchoolForm';
import { MemberSchoolsCard } from './MemberSchoolsCard';
import { useSchoolScope } from '../../components/SchoolScope';
import { SecurityCard } from './SecurityCard';
import type { DeskControls } from '../desk/DeskGate';

export function SettingsPage({
  school,
  demo,
  desk,
  onSaved,
}: {
  school: School;
  demo: boolean;
  desk: DeskControls;
  onSaved(s: School): void;
}) {
  const { message, modal } = AntApp.useApp();
  const scope = useSchoolScope();
  const removeDemo = () =>
    modal.confirm({
      title: '清除演示数据？',
      content: '演示学校的全部学生、申请、发放记录和附件都会删除，然后回到第一次使用的页面，填写本校信息、导入名册。',
      okText: '清除演示数据',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await client.invoke('school.removeDemo', { confirm: '清除演示数据' });
          window.location.hash = '';
          window.location.reload();
        } catch (e) {
          void message.error((e as Error).message);
        }
      },
    });
  return (
    <div className="page" style={{ overflow: 'auto' }}>
      <h1 className="page-title">设置</h1>
      {demo && (
        <Card title="演示数据" size="small" style={{ maxWidth: 600, marginBottom: 16 }}>
          <p style={{ marginTop: 0 }}>现在用的是虚构的演示学校。开始正式使用前，请一键清除演示数据。</p>
          <Button danger onClick={removeDemo}>
            清除演示数据，开始正式使用
          </Button>
        </Card>
      )}
      <Card title="学校信息" size="small" style={{ maxWidth: 600 }}>
        <SchoolForm
          school={school}
          submitText="保存"
          onSaved={(s) => {
            onSaved(s);
            scope.reload();
            void message.success('学校信息已保存');
          }}
        />
      </Card>
      <MemberSchoolsCard />
      <SecurityCard desk={desk} />
      <PublicityCard />
      <BackupCard />
    </div>
  );
}

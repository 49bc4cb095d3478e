import { App as AntApp, Card } from 'antd';
import type { School } from '../../../../shared/domain/school';
import { BackupCard } from './BackupCard';
import { PublicityCard } from './PublicityCard';
import { SchoolForm } from './SchoolForm';

export function SettingsPage({ school, onSaved }: { school: School; onSaved(s: School): void }) {
  const { message } = AntApp.useApp();
  return (
    <div className="page" style={{ overflow: 'auto' }}>
      <h1 className="page-title">设置</h1>
      <Card title="学校信息" size="small" style={{ maxWidth: 600 }}>
        <SchoolForm
          school={school}
          submitText="保存"
          onSaved={(s) => {
            onSaved(s);
            void message.success('学校信息已保存');
          }}
        />
      </Card>
      <PublicityCard />
      <BackupCard />
    </div>
  );
}

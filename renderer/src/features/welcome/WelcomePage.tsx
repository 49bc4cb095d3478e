import { Alert, Button, Card, Divider } from 'antd';
import { useState } from 'react';
import { client } from '../../api/client';
import { SchoolForm } from '../settings/SchoolForm';

/** First run: set up the school, or explore with a generated sample school. */
export function WelcomePage({ onReady }: { onReady(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const demo = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.invoke('school.createDemo', { students: 600 });
      onReady();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{ display: 'flex', justifyContent: 'center', padding: '40px 16px', overflow: 'auto', height: '100%', boxSizing: 'border-box' }}
    >
      <Card style={{ width: 600 }} title="欢迎使用 AidDesk 资助工作台">
        <p style={{ marginTop: 0 }}>第一次使用，请先填写学校信息。之后可以导入学籍系统导出的学生名册。所有数据只保存在这台电脑上。</p>
        <SchoolForm school={null} submitText="保存并开始" onSaved={onReady} />
        <Divider plain>或者</Divider>
        <p>先看看：生成一所演示学校（约600名虚构的学生，含部分特殊群体家庭），随意试用。</p>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Button onClick={demo} loading={busy}>
          生成演示数据
        </Button>
      </Card>
    </div>
  );
}

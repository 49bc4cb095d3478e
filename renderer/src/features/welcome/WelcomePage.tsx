import { Alert, Button, Card, Divider } from 'antd';
import { useState } from 'react';
import { client } from '../../api/client';
import { SchoolForm } from '../settings/SchoolForm';

/** First run: set up the school, or explore with a generated sample school. */
export function WelcomePage({ onReady }: { onReady(kind: 'school' | 'demo'): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const demo = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.invoke('school.createDemo', { students: 600 });
      onReady('demo');
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
        <SchoolForm school={null} submitText="保存并开始" onSaved={() => onReady('school')} />
        <Divider plain>或者</Divider>
        <p>
          先看看：生成一所演示学校（600
          名虚构的学生）。上学期已走完全程（认定、公示、发放、一笔失败后补发、归档），本学期已审核通过、等待上报，可以从“本学期工作台”接着往下做。演示数据在“设置”中一键清除。
        </p>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Button onClick={demo} loading={busy}>
          {busy ? '正在生成演示学校的一学年（约半分钟）…' : '生成演示数据'}
        </Button>
      </Card>
    </div>
  );
}

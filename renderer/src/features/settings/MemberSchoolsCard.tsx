/**
 * 校点管理: the central school's member schools (校点、教学点). Until one is added the desk is a one-school desk
 * and no page shows a school picker.
 */
import { Alert, Button, Card, Input, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { MEMBER_SCHOOL_KIND_TEXT, type MemberSchool } from '../../../../shared/domain/school';
import { client } from '../../api/client';
import { useSchoolScope } from '../../components/SchoolScope';

type Kind = 'member' | 'teachingPoint';

export function MemberSchoolsCard() {
  const { schools, reload } = useSchoolScope();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('member');
  const [editing, setEditing] = useState<{ id: number; name: string; kind: Kind } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      reload();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
  };
  const kindOptions = (['member', 'teachingPoint'] as const).map((k) => ({ value: k, label: MEMBER_SCHOOL_KIND_TEXT[k] }));
  return (
    <Card title="中心校与校点" size="small" style={{ maxWidth: 720, marginTop: 16 }} data-testid="member-schools">
      <p className="muted" style={{ marginTop: 0 }}>
        中心校代管村小、教学点的资助档案时，在这里添加校点。添加后各页面顶部可以选择学校（或全部学校），名册按学校导入，
        导出、打印和统计可以按学校分开。只有本校时不需要添加。
      </p>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
      <Table<MemberSchool>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={schools}
        columns={[
          {
            title: '学校',
            render: (_, s) =>
              editing?.id === s.id ? (
                <Input
                  size="small"
                  value={editing.name}
                  maxLength={60}
                  onChange={(e) => setEditing({ ...editing, name: e.target.value })}
                  aria-label="校点名称"
                />
              ) : (
                s.name
              ),
          },
          {
            title: '类别',
            width: 110,
            render: (_, s) =>
              editing?.id === s.id ? (
                <Select size="small" value={editing.kind} onChange={(k) => setEditing({ ...editing, kind: k })} options={kindOptions} />
              ) : (
                MEMBER_SCHOOL_KIND_TEXT[s.kind]
              ),
          },
          { title: '班级', dataIndex: 'classCount', width: 60 },
          { title: '在校学生', dataIndex: 'studentCount', width: 80 },
          {
            title: '',
            width: 150,
            render: (_, s) =>
              s.kind === 'central' ? (
                <span className="muted">名称在上方“学校信息”中修改</span>
              ) : editing?.id === s.id ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => void act(() => client.invoke('schools.update', editing)).then((ok) => ok && setEditing(null))}
                  >
                    保存
                  </Button>
                  <Button size="small" onClick={() => setEditing(null)}>
                    取消
                  </Button>
                </Space>
              ) : (
                <Space>
                  <Button size="small" onClick={() => setEditing({ id: s.id, name: s.name, kind: s.kind as Kind })}>
                    修改
                  </Button>
                  <Popconfirm title={`删除“${s.name}”？`} onConfirm={() => void act(() => client.invoke('schools.remove', { id: s.id }))}>
                    <Button size="small" danger>
                      删除
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Space.Compact style={{ marginTop: 12 }}>
        <Input
          placeholder="校点名称，如：岭下村小学"
          value={name}
          maxLength={60}
          onChange={(e) => setName(e.target.value)}
          aria-label="新校点名称"
        />
        <Select value={kind} onChange={setKind} options={kindOptions} style={{ width: 100 }} />
        <Button
          type="primary"
          disabled={!name.trim()}
          onClick={() => void act(() => client.invoke('schools.add', { name, kind })).then((ok) => ok && setName(''))}
        >
          添加校点
        </Button>
      </Space.Compact>
    </Card>
  );
}

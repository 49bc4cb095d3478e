import { Button, Checkbox, Form, Input, Select } from 'antd';
import { useState } from 'react';
import type { School, Stage, Term } from '../../../../shared/domain/school';
import { STAGE_TEXT, STAGES } from '../../../../shared/domain/school';
import { schoolYearOfTerm, termOfDate, termText } from '../../../../shared/rules/term';
import { client } from '../../api/client';

interface Values {
  name: string;
  county: string;
  township: string;
  stages: Stage[];
  term: Term;
}

/** Terms around today: the current one, two before and two after. */
function termChoices(): Term[] {
  const now = termOfDate(new Date().toISOString().slice(0, 10));
  const year = Number(now.slice(0, 4));
  const all: Term[] = [];
  for (let y = year - 1; y <= year + 1; y++) all.push(`${y}-spring`, `${y}-autumn`);
  return all;
}

export function SchoolForm({ school, submitText, onSaved }: { school: School | null; submitText: string; onSaved(s: School): void }) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const initial: Values = school ?? {
    name: '',
    county: '',
    township: '',
    stages: ['primary', 'junior'],
    term: termOfDate(new Date().toISOString().slice(0, 10)),
  };
  const save = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      onSaved(
        await client.invoke('school.setup', {
          ...v,
          county: v.county ?? '',
          township: v.township ?? '',
          schoolYear: schoolYearOfTerm(v.term),
        }),
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form<Values> layout="vertical" initialValues={initial} onFinish={save} style={{ maxWidth: 520 }}>
      <Form.Item label="学校名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写学校名称' }]}>
        <Input placeholder="如：青山县青山镇中心学校" maxLength={60} autoFocus />
      </Form.Item>
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item label="县（市、区）" name="county" style={{ flex: 1 }}>
          <Input placeholder="如：青山县" maxLength={30} />
        </Form.Item>
        <Form.Item label="乡镇" name="township" style={{ flex: 1 }}>
          <Input placeholder="如：青山镇" maxLength={30} />
        </Form.Item>
      </div>
      <Form.Item label="学段" name="stages" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个学段' }]}>
        <Checkbox.Group options={STAGES.map((s) => ({ value: s, label: STAGE_TEXT[s] }))} />
      </Form.Item>
      <Form.Item label="当前学期" name="term" extra="学年随学期自动确定，例如 2026年秋季学期属于 2026-2027 学年。">
        <Select options={termChoices().map((t) => ({ value: t, label: `${termText(t)}（${schoolYearOfTerm(t)} 学年）` }))} />
      </Form.Item>
      {error && <div style={{ color: '#cf1322', marginBottom: 12 }}>{error}</div>}
      <Button type="primary" htmlType="submit" loading={saving}>
        {submitText}
      </Button>
    </Form>
  );
}

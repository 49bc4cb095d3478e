import { Alert, App as AntApp, Button, InputNumber, Popconfirm, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../../shared/domain/priority-group';
import { HARDSHIP_FACTOR_TEXT, HEALTH_TEXT, type HardshipFactor, type Health } from '../../../../shared/domain/survey';
import type { ScoringRubric } from '../../../../shared/rules/scoring';
import { client } from '../../api/client';

/** The school's scoring rubric: every weight editable, with the default explained. */
export function RubricTab() {
  const { message } = AntApp.useApp();
  const [rubric, setRubric] = useState<ScoringRubric | null>(null);
  const [explanation, setExplanation] = useState<string[]>([]);
  const [isDefault, setIsDefault] = useState(true);
  const load = useCallback(() => {
    client.invoke('rubric.get', {}).then(
      (r) => {
        setRubric(r.rubric);
        setExplanation(r.explanation);
        setIsDefault(r.isDefault);
      },
      (e: Error) => message.error(e.message),
    );
  }, [message]);
  useEffect(load, [load]);
  if (!rubric) return null;
  const save = async (next: ScoringRubric | null) => {
    try {
      await client.invoke('rubric.save', { rubric: next });
      message.success(next ? '评分规则已保存（已认定的学生不受影响，评议中的学生请重新评分）' : '已恢复默认评分规则');
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const num = (value: number, onChange: (v: number) => void, label: string) => (
    <InputNumber aria-label={label} min={0} max={label.includes('分数线') ? 300 : 100} value={value} onChange={(v) => onChange(v ?? 0)} />
  );
  return (
    <div className="page-scroll">
      <Alert
        type="info"
        showIcon
        message={isDefault ? '正在使用默认评分规则' : '正在使用本校修改后的评分规则'}
        description={
          <ul className="score-lines">
            {explanation.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        }
      />
      <div className="rubric-grid">
        <div className="panel">
          <h4>等级分数线</h4>
          {(['especially', 'difficult', 'general'] as const).map((k) => (
            <div key={k} className="rubric-row">
              {{ especially: '特别困难', difficult: '困难', general: '一般困难' }[k]} ≥{' '}
              {num(rubric.thresholds[k], (v) => setRubric({ ...rubric, thresholds: { ...rubric.thresholds, [k]: v } }), `${k}分数线`)} 分
            </div>
          ))}
          <h4>家庭人均年收入</h4>
          <Table
            size="small"
            pagination={false}
            rowKey={(_, i) => String(i)}
            dataSource={rubric.incomeBands}
            columns={[
              {
                title: '不超过（元）',
                render: (_, b, i) => (
                  <InputNumber
                    aria-label={`收入段${i + 1}上限`}
                    min={0}
                    value={b.maxYuan}
                    onChange={(v) =>
                      setRubric({ ...rubric, incomeBands: rubric.incomeBands.map((x, k) => (k === i ? { ...x, maxYuan: v ?? 0 } : x)) })
                    }
                  />
                ),
              },
              {
                title: '分值',
                render: (_, b, i) =>
                  num(
                    b.points,
                    (v) => setRubric({ ...rubric, incomeBands: rubric.incomeBands.map((x, k) => (k === i ? { ...x, points: v } : x)) }),
                    `收入段${i + 1}分值`,
                  ),
              },
            ]}
          />
        </div>
        <div className="panel">
          <h4>特殊群体（取最高一项）</h4>
          {(Object.keys(PRIORITY_GROUPS) as PriorityGroup[]).map((g) => (
            <div key={g} className="rubric-row">
              {PRIORITY_GROUPS[g]}{' '}
              {num(
                rubric.groupPoints[g] ?? 0,
                (v) => setRubric({ ...rubric, groupPoints: { ...rubric.groupPoints, [g]: v } }),
                `${PRIORITY_GROUPS[g]}分值`,
              )}
            </div>
          ))}
        </div>
        <div className="panel">
          <h4>困难因素（累加）</h4>
          {(Object.keys(HARDSHIP_FACTOR_TEXT) as HardshipFactor[]).map((f) => (
            <div key={f} className="rubric-row">
              {HARDSHIP_FACTOR_TEXT[f]}{' '}
              {num(
                rubric.factorPoints[f],
                (v) => setRubric({ ...rubric, factorPoints: { ...rubric.factorPoints, [f]: v } }),
                `${HARDSHIP_FACTOR_TEXT[f]}分值`,
              )}
            </div>
          ))}
          <h4>家庭成员健康（每人，上限 {num(rubric.healthMax, (v) => setRubric({ ...rubric, healthMax: v }), '健康上限')}）</h4>
          {(['serious', 'deceased', 'missing', 'minor'] as Health[]).map((h) => (
            <div key={h} className="rubric-row">
              {HEALTH_TEXT[h]}{' '}
              {num(
                rubric.healthPoints[h] ?? 0,
                (v) => setRubric({ ...rubric, healthPoints: { ...rubric.healthPoints, [h]: v } }),
                `${HEALTH_TEXT[h]}分值`,
              )}
            </div>
          ))}
          <h4>在读子女</h4>
          <div className="rubric-row">
            除本人外每人 {num(rubric.perOtherChild, (v) => setRubric({ ...rubric, perOtherChild: v }), '每名子女分值')} 分，上限{' '}
            {num(rubric.childrenMax, (v) => setRubric({ ...rubric, childrenMax: v }), '子女上限')}
          </div>
        </div>
      </div>
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" onClick={() => void save(rubric)}>
          保存评分规则
        </Button>
        <Popconfirm title="恢复为默认评分规则？" onConfirm={() => void save(null)}>
          <Button>恢复默认</Button>
        </Popconfirm>
      </Space>
    </div>
  );
}

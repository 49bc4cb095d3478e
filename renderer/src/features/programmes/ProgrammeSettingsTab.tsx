import { App as AntApp, Alert, Button, Checkbox, Input, InputNumber, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { LEVEL_TEXT, type DifficultyLevel } from '../../../../shared/domain/identification';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../../shared/domain/priority-group';
import {
  BOARDING_RULE_TEXT,
  PROGRAMME_KIND_TEXT,
  TIER_TEXT,
  type ProgrammeDefinition,
  type Programme,
  type TierNumber,
} from '../../../../shared/domain/programme';
import { STAGE_TEXT, STAGES, type Stage } from '../../../../shared/domain/school';
import { client } from '../../api/client';
import { fenToYuan, yuanToFen } from '../../../../shared/rules/money';
import { useUnsaved } from '../../components/unsaved';

const definitionOf = ({ id: _i, code: _c, schoolYear: _y, builtIn: _b, ...d }: Programme): ProgrammeDefinition => d;

/** Everything about a programme for the year: stages, standard per tier and stage, who qualifies, what cannot be combined. */
export function ProgrammeSettingsTab({
  programme,
  catalogue,
  onSaved,
}: {
  programme: Programme;
  catalogue: Programme[];
  onSaved(p: Programme): void;
}) {
  const { message } = AntApp.useApp();
  const [d, setD] = useState<ProgrammeDefinition>(definitionOf(programme));
  useEffect(() => setD(definitionOf(programme)), [programme]);
  // Unsaved standards: switching tab, programme or term (ProgrammesPage) or leaving the page asks first.
  useUnsaved(JSON.stringify(d) !== JSON.stringify(definitionOf(programme)));
  const set = <K extends keyof ProgrammeDefinition>(k: K, v: ProgrammeDefinition[K]) => setD((x) => ({ ...x, [k]: v }));
  const save = async () => {
    try {
      const p = await client.invoke('programmes.save', { id: programme.id, schoolYear: programme.schoolYear, definition: d });
      message.success(`已保存“${p.name}”（${programme.schoolYear}学年）`);
      onSaved(p);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const setTier = (i: number, patch: Partial<ProgrammeDefinition['tiers'][number]>) =>
    set(
      'tiers',
      d.tiers.map((t, k) => (k === i ? { ...t, ...patch } : t)),
    );
  return (
    <div className="page-scroll">
      <Alert
        type="info"
        showIcon
        message={`${programme.schoolYear}学年的标准。改动只影响之后分配的档次金额，已通过的申请不变；下一学年的目录从本学年复制。`}
      />
      <div className="form-grid" style={{ marginTop: 12 }}>
        <label className="wide">
          项目名称
          <Input aria-label="项目名称" value={d.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label>
          性质
          <Select
            aria-label="项目性质"
            value={d.kind}
            onChange={(v) => set('kind', v)}
            options={Object.entries(PROGRAMME_KIND_TEXT).map(([value, label]) => ({ value, label }))}
          />
        </label>
        <label>
          寄宿要求
          <Select
            aria-label="寄宿要求"
            value={d.boarding}
            onChange={(v) => set('boarding', v)}
            options={Object.entries(BOARDING_RULE_TEXT).map(([value, label]) => ({ value, label }))}
          />
        </label>
        <label className="wide">
          学段
          <Checkbox.Group
            value={d.stages}
            onChange={(v) => set('stages', v as Stage[])}
            options={STAGES.map((s) => ({ value: s, label: STAGE_TEXT[s] }))}
          />
        </label>
        <label className="wide">
          <Checkbox aria-label="按户发放" checked={!!d.perHousehold} onChange={(e) => set('perHousehold', e.target.checked)}>
            按户发放（如疫情、灾害临时救助“每户 200 元”：在“学生名册 → 同户家庭”中确认的兄弟姐妹只建一份申请、只发一份）
          </Checkbox>
        </label>
        <label className="wide">
          <Checkbox checked={d.eligibility.everyone} onChange={(e) => set('eligibility', { ...d.eligibility, everyone: e.target.checked })}>
            该学段学生均可享受（不看认定等级）
          </Checkbox>
        </label>
        <label className="wide">
          可申请的认定等级
          <Select
            aria-label="可申请的认定等级"
            mode="multiple"
            value={d.eligibility.levels}
            onChange={(v) => set('eligibility', { ...d.eligibility, levels: v })}
            options={(Object.keys(LEVEL_TEXT) as DifficultyLevel[]).map((l) => ({ value: l, label: LEVEL_TEXT[l] }))}
          />
        </label>
        <label className="wide">
          <Checkbox
            aria-label="四类学生可申请"
            checked={!!d.eligibility.fourCategories}
            onChange={(e) => set('eligibility', { ...d.eligibility, fourCategories: e.target.checked })}
          >
            “四类”学生可申请（脱贫家庭含监测对象、家庭经济困难残疾学生、农村低保、农村特困供养；城市低保、特困不属于四类）
          </Checkbox>
        </label>
        <label className="wide">
          只资助这些年级（不选则该学段所有年级）
          <Select
            aria-label="只资助的年级"
            mode="tags"
            value={d.eligibility.grades ?? []}
            onChange={(v: string[]) => set('eligibility', { ...d.eligibility, grades: v })}
            options={[
              '小班',
              '中班',
              '大班',
              '一年级',
              '二年级',
              '三年级',
              '四年级',
              '五年级',
              '六年级',
              '七年级',
              '八年级',
              '九年级',
              '高一',
              '高二',
              '高三',
            ].map((g) => ({ value: g, label: g }))}
            placeholder="如：大班（免保育教育费只给最后一年）"
          />
        </label>
        <label className="wide">
          可直接申请的特殊群体
          <Select
            aria-label="可直接申请的特殊群体"
            mode="multiple"
            value={d.eligibility.groups}
            onChange={(v) => set('eligibility', { ...d.eligibility, groups: v })}
            options={(Object.keys(PRIORITY_GROUPS) as PriorityGroup[]).map((g) => ({ value: g, label: PRIORITY_GROUPS[g] }))}
          />
        </label>
        <label className="wide">
          优先、默认一档的特殊群体
          <Select
            aria-label="默认一档的特殊群体"
            mode="multiple"
            value={d.topTierGroups}
            onChange={(v) => set('topTierGroups', v)}
            options={(Object.keys(PRIORITY_GROUPS) as PriorityGroup[]).map((g) => ({ value: g, label: PRIORITY_GROUPS[g] }))}
          />
        </label>
        <label className="wide">
          不能兼得的项目
          <Select
            aria-label="不能兼得的项目"
            mode="multiple"
            value={d.exclusive}
            onChange={(v) => set('exclusive', v)}
            options={catalogue.filter((p) => p.id !== programme.id).map((p) => ({ value: p.code, label: p.name }))}
          />
        </label>
      </div>
      <h4>资助标准（每学期，元）</h4>
      <Table
        size="small"
        pagination={false}
        rowKey="tier"
        dataSource={d.tiers}
        columns={[
          { title: '档次', width: 70, render: (_, t) => TIER_TEXT[t.tier] },
          {
            title: '名额比例',
            width: 120,
            render: (_, t, i) => (
              <InputNumber
                aria-label={`${TIER_TEXT[t.tier]}比例`}
                min={0}
                max={100}
                value={t.proportion}
                addonAfter="%"
                onChange={(v) => setTier(i, { proportion: v ?? 0 })}
              />
            ),
          },
          ...d.stages.map((s) => ({
            title: STAGE_TEXT[s],
            render: (_: unknown, t: ProgrammeDefinition['tiers'][number], i: number) => (
              <InputNumber
                aria-label={`${TIER_TEXT[t.tier]}${STAGE_TEXT[s]}金额`}
                min={0}
                precision={2}
                value={t.amounts[s] === undefined ? null : fenToYuan(t.amounts[s]!)}
                onChange={(v) => setTier(i, { amounts: { ...t.amounts, [s]: v === null ? undefined : yuanToFen(v) } })}
              />
            ),
          })),
          {
            title: '',
            width: 60,
            render: (_, __, i) =>
              d.tiers.length > 1 && (
                <Button
                  type="link"
                  onClick={() =>
                    set(
                      'tiers',
                      d.tiers.filter((_t, k) => k !== i),
                    )
                  }
                >
                  删除
                </Button>
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        {d.tiers.length < 3 && (
          <Button onClick={() => set('tiers', [...d.tiers, { tier: (d.tiers.length + 1) as TierNumber, proportion: 0, amounts: {} }])}>
            增加档次
          </Button>
        )}
      </Space>
      <label style={{ display: 'block', marginTop: 12 }}>
        说明
        <Input.TextArea aria-label="项目说明" rows={2} value={d.note} onChange={(e) => set('note', e.target.value)} />
      </label>
      <Button type="primary" style={{ marginTop: 12 }} onClick={() => void save()}>
        保存项目设置
      </Button>
    </div>
  );
}

import { App as AntApp, Button, InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useUnsaved } from '../../components/unsaved';
import { TIER_TEXT, type Distribution, type DistributionBasis, type Programme, type TierNumber } from '../../../../shared/domain/programme';
import type { Term } from '../../../../shared/domain/school';
import { tierCounts } from '../../../../shared/rules/tiers';
import { client } from '../../api/client';
import { fenToYuan, yuanToFen } from '../../../../shared/rules/money';

/** The county's allocation for a programme and term: quota, optional tier counts and budget, distribution. */
export function QuotaTab({ programme, term, onSaved }: { programme: Programme; term: Term; onSaved(): void }) {
  const { message } = AntApp.useApp();
  const [count, setCount] = useState<number | null>(null);
  const [tiers, setTiers] = useState<Partial<Record<TierNumber, number | null>>>({});
  const [budget, setBudget] = useState<number | null>(null);
  const [distribution, setDistribution] = useState<Distribution>('none');
  const [basis, setBasis] = useState<DistributionBasis>('enrolment');
  // What was loaded or last saved: the tab has unsaved edits while the form differs from it.
  const [saved, setSaved] = useState<string | null>(null);
  const current = JSON.stringify([count, tiers, budget, distribution, basis]);
  useUnsaved(saved !== null && saved !== current);
  useEffect(() => {
    client.invoke('quotas.get', { programmeId: programme.id, term }).then(
      (q) => {
        setCount(q?.count ?? null);
        setTiers(q?.tierCounts ?? {});
        setBudget(q?.budget === null || q?.budget === undefined ? null : fenToYuan(q.budget));
        setDistribution(q?.distribution ?? 'none');
        setBasis(q?.basis ?? 'enrolment');
        setSaved(
          JSON.stringify([
            q?.count ?? null,
            q?.tierCounts ?? {},
            q?.budget === null || q?.budget === undefined ? null : fenToYuan(q.budget),
            q?.distribution ?? 'none',
            q?.basis ?? 'enrolment',
          ]),
        );
      },
      (e: Error) => message.error(e.message),
    );
  }, [programme.id, term, message]);
  const byProportion = count === null ? null : tierCounts(count, programme.tiers);
  const customTiers = Object.values(tiers).some((v) => v !== null && v !== undefined);
  const save = async () => {
    try {
      await client.invoke('quotas.save', {
        programmeId: programme.id,
        term,
        count: count ?? 0,
        budget: budget === null ? null : yuanToFen(budget),
        distribution,
        basis,
        tierCounts: customTiers ? Object.fromEntries(Object.entries(tiers).filter(([, v]) => v !== null && v !== undefined)) : null,
      });
      setSaved(current);
      message.success('名额已保存');
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <div className="panel" style={{ maxWidth: 720 }}>
      <div className="form-grid" style={{ gridTemplateColumns: '1fr 1fr' }}>
        <label>
          名额（控制数）
          <InputNumber aria-label="名额人数" min={0} value={count} onChange={setCount} addonAfter="人" />
        </label>
        <label>
          预算（可不填）
          <InputNumber aria-label="预算" min={0} precision={2} value={budget} onChange={setBudget} addonAfter="元" />
        </label>
        {programme.tiers.length > 1 &&
          programme.tiers.map((t) => (
            <label key={t.tier}>
              {TIER_TEXT[t.tier]}人数（县里指定时填写；按比例为 {byProportion?.[t.tier] ?? '—'}）
              <InputNumber
                aria-label={`${TIER_TEXT[t.tier]}人数`}
                min={0}
                value={tiers[t.tier] ?? null}
                onChange={(v) => setTiers({ ...tiers, [t.tier]: v })}
              />
            </label>
          ))}
        <label>
          名额分配
          <Select
            aria-label="名额分配"
            value={distribution}
            onChange={setDistribution}
            options={[
              { value: 'none', label: '全校统一排序' },
              { value: 'grade', label: '按年级分配' },
              { value: 'class', label: '按班级分配' },
            ]}
          />
        </label>
        <label>
          分配依据
          <Select
            aria-label="分配依据"
            value={basis}
            disabled={distribution === 'none'}
            onChange={setBasis}
            options={[
              { value: 'enrolment', label: '按在校人数比例' },
              { value: 'applicants', label: '按申请人数比例' },
            ]}
          />
        </label>
      </div>
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" onClick={() => void save()}>
          保存名额
        </Button>
      </Space>
    </div>
  );
}

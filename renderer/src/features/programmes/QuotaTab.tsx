import { Alert, App as AntApp, Button, Checkbox, InputNumber, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useUnsaved } from '../../components/unsaved';
import { useSchoolScope } from '../../components/SchoolScope';
import {
  TIER_TEXT,
  type Distribution,
  type DistributionBasis,
  type Programme,
  type Quota,
  type SchoolQuota,
  type TierNumber,
} from '../../../../shared/domain/programme';
import type { Term } from '../../../../shared/domain/school';
import { tierCounts } from '../../../../shared/rules/tiers';
import { client } from '../../api/client';
import { fenToYuan, yuanToFen } from '../../../../shared/rules/money';
import { schoolQuotaProblem, splitByEnrolment } from '../../../../shared/rules/school-quotas';

type Tiers = Partial<Record<TierNumber, number | null>>;
/** A school's row of the division as typed: blanks allowed until saved. */
interface Part {
  count: number | null;
  tiers: Tiers;
}

const filled = (t: Tiers) =>
  Object.fromEntries(Object.entries(t).filter(([, v]) => v !== null && v !== undefined)) as Partial<Record<TierNumber, number>>;

function formOf(q: Quota | null) {
  return {
    count: q?.count ?? null,
    tiers: (q?.tierCounts ?? {}) as Tiers,
    budget: q?.budget === null || q?.budget === undefined ? null : fenToYuan(q.budget),
    distribution: q?.distribution ?? ('none' as Distribution),
    basis: q?.basis ?? ('enrolment' as DistributionBasis),
    split: (q?.schools.length ?? 0) > 0,
    parts: Object.fromEntries((q?.schools ?? []).map((s) => [s.schoolId, { count: s.count, tiers: s.tierCounts ?? {} }])) as Record<
      number,
      Part
    >,
  };
}

/** The county's allocation for a programme and term: quota, optional tier counts and budget, distribution. */
export function QuotaTab({ programme, term, onSaved }: { programme: Programme; term: Term; onSaved(): void }) {
  const { message } = AntApp.useApp();
  const { schools, several } = useSchoolScope();
  const [count, setCount] = useState<number | null>(null);
  const [tiers, setTiers] = useState<Tiers>({});
  const [budget, setBudget] = useState<number | null>(null);
  const [distribution, setDistribution] = useState<Distribution>('none');
  const [basis, setBasis] = useState<DistributionBasis>('enrolment');
  // 名额分到校: only offered when the desk keeps more than one school.
  const [split, setSplit] = useState(false);
  const [parts, setParts] = useState<Record<number, Part>>({});
  // What was loaded or last saved: the tab has unsaved edits while the form differs from it.
  const [saved, setSaved] = useState<string | null>(null);
  const current = JSON.stringify([count, tiers, budget, distribution, basis, split, split ? parts : {}]);
  useUnsaved(saved !== null && saved !== current);
  useEffect(() => {
    client.invoke('quotas.get', { programmeId: programme.id, term }).then(
      (q) => {
        const f = formOf(q);
        setCount(f.count);
        setTiers(f.tiers);
        setBudget(f.budget);
        setDistribution(f.distribution);
        setBasis(f.basis);
        setSplit(f.split);
        setParts(f.parts);
        setSaved(JSON.stringify([f.count, f.tiers, f.budget, f.distribution, f.basis, f.split, f.split ? f.parts : {}]));
      },
      (e: Error) => message.error(e.message),
    );
  }, [programme.id, term, message]);
  const byProportion = count === null ? null : tierCounts(count, programme.tiers);
  const customTiers = Object.values(tiers).some((v) => v !== null && v !== undefined);
  const division: SchoolQuota[] = split
    ? schools.map((sc) => {
        const part = parts[sc.id];
        const t = filled(part?.tiers ?? {});
        return { schoolId: sc.id, count: part?.count ?? 0, tierCounts: Object.keys(t).length ? t : null };
      })
    : [];
  const names = new Map(schools.map((sc) => [sc.id, sc.name]));
  const problem = split
    ? schoolQuotaProblem(
        { count: count ?? 0, tierCounts: customTiers ? filled(tiers) : null },
        division,
        programme.tiers,
        (id) => names.get(id) ?? '',
      )
    : null;
  const setPart = (id: number, change: Partial<Part>) =>
    setParts({ ...parts, [id]: { count: parts[id]?.count ?? null, tiers: parts[id]?.tiers ?? {}, ...change } });
  const suggest = () =>
    setParts(
      Object.fromEntries(
        splitByEnrolment(
          count ?? 0,
          schools.map((sc) => ({ schoolId: sc.id, students: sc.studentCount })),
        ).map((x) => [x.schoolId, { count: x.count, tiers: {} }]),
      ),
    );
  const save = async () => {
    if (problem) {
      message.error(problem);
      return;
    }
    try {
      await client.invoke('quotas.save', {
        programmeId: programme.id,
        term,
        count: count ?? 0,
        budget: budget === null ? null : yuanToFen(budget),
        distribution,
        basis,
        tierCounts: customTiers ? filled(tiers) : null,
        // On a one-school desk the division is left as it is (there is none).
        ...(several ? { schools: division } : {}),
      });
      setSaved(current);
      message.success('名额已保存');
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const allotted = division.reduce((n, x) => n + x.count, 0);
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
      {several && (
        <div style={{ marginTop: 16 }} data-testid="school-quotas">
          <Checkbox checked={split} onChange={(e) => setSplit(e.target.checked)}>
            名额分到各校（各校在自己的名额内分别排序）
          </Checkbox>
          {split && (
            <>
              <Space style={{ margin: '8px 0' }}>
                <Button size="small" onClick={suggest} disabled={!count}>
                  按各校在校人数比例填入
                </Button>
                <span>
                  已分 {allotted} 人，名额 {count ?? 0} 人
                </span>
              </Space>
              <Table
                size="small"
                pagination={false}
                rowKey="id"
                dataSource={schools}
                columns={[
                  { title: '学校', dataIndex: 'name' },
                  { title: '在校人数', dataIndex: 'studentCount', align: 'right' },
                  {
                    title: '名额',
                    render: (_, sc) => (
                      <InputNumber
                        aria-label={`${sc.name}名额`}
                        min={0}
                        size="small"
                        value={parts[sc.id]?.count ?? null}
                        onChange={(v) => setPart(sc.id, { count: v })}
                      />
                    ),
                  },
                  ...(customTiers
                    ? programme.tiers.map((t) => ({
                        title: TIER_TEXT[t.tier],
                        key: `tier-${t.tier}`,
                        render: (_: unknown, sc: (typeof schools)[number]) => (
                          <InputNumber
                            aria-label={`${sc.name}${TIER_TEXT[t.tier]}人数`}
                            min={0}
                            size="small"
                            value={parts[sc.id]?.tiers[t.tier] ?? null}
                            onChange={(v) => setPart(sc.id, { tiers: { ...(parts[sc.id]?.tiers ?? {}), [t.tier]: v } })}
                          />
                        ),
                      }))
                    : []),
                ]}
              />
              {problem && <Alert style={{ marginTop: 8 }} type="warning" showIcon message={problem} />}
            </>
          )}
        </div>
      )}
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" onClick={() => void save()}>
          保存名额
        </Button>
      </Space>
    </div>
  );
}

/**
 * The rules a publicity is held to: how long it lasts at each level, when it may start and end, and when a
 * recipient it posted may be approved. The core applies them with its own today, never a client's date.
 */
import type { PublicityLevel } from '../domain/publicity';

/** The school's settings: minimum working days per level, and whether two-level publicity (班级, then 学校) is used. */
export interface PublicityRules {
  twoLevel: boolean;
  minDays: Record<PublicityLevel, number>;
}

export const DEFAULT_PUBLICITY_RULES: PublicityRules = { twoLevel: false, minDays: { school: 5, class: 2 } };

export const LEVEL_TEXT: Record<PublicityLevel, string> = { school: '学校', class: '班级' };

/** One posting of an application (or a decision) as the approval rule sees it: the latest at each level. */
export interface Posting {
  level: PublicityLevel;
  status: 'open' | 'closed';
  workingDays: number;
}

/** Why the postings do not yet allow approval, or null when they do. */
export function approvalRefusal(postings: Posting[], rules: PublicityRules): string | null {
  const levels: PublicityLevel[] = rules.twoLevel ? ['class', 'school'] : ['school'];
  for (const level of levels) {
    const p = postings.find((x) => x.level === level);
    const what = `${LEVEL_TEXT[level]}公示`;
    if (!p) return `还没有进行${what}`;
    if (p.status !== 'closed') return `${what}尚未结束（公示期未满或有未处理的异议）`;
    if (p.workingDays < rules.minDays[level]) return `${what}只有 ${p.workingDays} 个工作日，少于规定的 ${rules.minDays[level]} 个工作日`;
  }
  return null;
}

/**
 * Why a publicity may not start as asked, or null. `decidedOn` is the latest decision it publishes;
 * a start before today needs a reason, and no start may come before the decision.
 */
export function startRefusal(
  a: { startsOn: string; today: string; decidedOn: string | null; backdateReason: string; workingDays: number; level: PublicityLevel },
  rules: PublicityRules,
): string | null {
  if (a.decidedOn && a.startsOn < a.decidedOn) return `公示开始日期 ${a.startsOn} 早于所公示的决定（${a.decidedOn}），不能这样公示`;
  if (a.startsOn < a.today && a.backdateReason.trim().length < 2)
    return `公示开始日期 ${a.startsOn} 早于今天（${a.today}）：补登以前贴出的公示须写明原因`;
  const min = rules.minDays[a.level];
  if (a.workingDays < min) return `${LEVEL_TEXT[a.level]}公示至少 ${min} 个工作日（可在“设置 → 公示与节假日”中修改）`;
  return null;
}

import { Tag } from 'antd';
import { LEVEL_TEXT, type DifficultyLevel } from '../../../shared/domain/identification';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';

const LEVEL_COLOR: Record<DifficultyLevel, string> = { especially: 'red', difficult: 'orange', general: 'gold', none: 'default' };

export function LevelTag({ level }: { level: DifficultyLevel | null }) {
  return level ? <Tag color={LEVEL_COLOR[level]}>{LEVEL_TEXT[level]}</Tag> : null;
}

export function GroupTags({ groups }: { groups: PriorityGroup[] }) {
  return (
    <>
      {groups.map((g) => (
        <Tag key={g} color={g === 'leftBehind' || g === 'singleParent' ? 'default' : 'blue'}>
          {PRIORITY_GROUPS[g]}
        </Tag>
      ))}
    </>
  );
}

export const LEVEL_OPTIONS = (Object.keys(LEVEL_TEXT) as DifficultyLevel[]).map((l) => ({ value: l, label: LEVEL_TEXT[l] }));

/** 认定: the school's decision on a family's difficulty level, per student per school year. */
import type { PriorityGroup } from './priority-group';
import type { SchoolYear } from './school';

export type DifficultyLevel = 'especially' | 'difficult' | 'general' | 'none';
export const DIFFICULTY_LEVELS: DifficultyLevel[] = ['especially', 'difficult', 'general', 'none'];
export const LEVEL_TEXT: Record<DifficultyLevel, string> = {
  especially: '特别困难',
  difficult: '困难',
  general: '一般困难',
  none: '不困难',
};

/** open: being scored and reviewed; decided: the committee's level; superseded: kept as history. */
export type IdentificationStatus = 'open' | 'decided' | 'superseded';
export const IDENTIFICATION_STATUS_TEXT: Record<IdentificationStatus, string> = {
  open: '评议中',
  decided: '已认定',
  superseded: '已调整（历史）',
};

export interface ScoreLine {
  label: string;
  points: number;
}

export interface PanelVotes {
  agree: number;
  disagree: number;
  abstain: number;
}

export interface Identification {
  id: number;
  studentId: number;
  schoolYear: SchoolYear;
  status: IdentificationStatus;
  score: number | null;
  suggestedLevel: DifficultyLevel | null;
  scoreLines: ScoreLine[];
  /** Identified straight from an official list, without scoring. */
  direct: boolean;
  directGroups: PriorityGroup[];
  panelReviewId: number | null;
  panelHeldOn: string | null;
  votes: PanelVotes | null;
  panelLevel: DifficultyLevel | null;
  level: DifficultyLevel | null;
  /** Why the level differs from the score's suggestion, or why it was decided directly. */
  reason: string;
  decidedOn: string | null;
  decidedBy: string;
  reopenReason: string;
  previousId: number | null;
  createdAt: string;
}

export interface PanelReview {
  id: number;
  schoolYear: SchoolYear;
  classId: number;
  className: string;
  heldOn: string;
  members: string[];
}

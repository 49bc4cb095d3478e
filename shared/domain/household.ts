/**
 * 同户: siblings the clerk confirmed as one household, for aid paid per household (疫情、灾害 “每户 200 元”).
 * Suggestions come from the roster (the same guardian and address, or the same guardian and phone); the clerk
 * confirms each — a shared surname or village is never enough on its own.
 */
export interface HouseholdStudent {
  studentId: number;
  name: string;
  className: string;
}

export interface Household {
  id: number;
  guardian: string;
  note: string;
  students: HouseholdStudent[];
}

export type HouseholdReason = 'guardianAddress' | 'guardianPhone';
export const HOUSEHOLD_REASON_TEXT: Record<HouseholdReason, string> = {
  guardianAddress: '监护人和住址相同',
  guardianPhone: '监护人和联系电话相同',
};

export interface HouseholdSuggestion {
  guardian: string;
  students: HouseholdStudent[];
  reasons: HouseholdReason[];
}

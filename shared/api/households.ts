import { z } from 'zod';
import { id, shortText } from './common';
import { message } from './contract';
import type { Household, HouseholdSuggestion } from '../domain/household';

export const householdsApi = {
  /** The households the clerk confirmed (同户). */
  'households.list': message<Household[]>()(z.object({})),
  /** Students the roster suggests as one household (the same guardian and address or phone), not yet linked. */
  'households.suggest': message<HouseholdSuggestion[]>()(z.object({})),
  /** Confirms students as one household. */
  'households.link': message<Household>()(z.object({ studentIds: z.array(id).min(2).max(20), note: shortText(200).default('') })),
  /** Takes a student out of their household. */
  'households.unlink': message<null>()(z.object({ studentId: id })),
};

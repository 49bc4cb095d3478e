// Breaks the no-cycle rule on purpose (see tests/tools/lint.test.ts).
import { a } from './cycle-a';

export const b = (): number => (a.length > 0 ? 1 : 0);

// Breaks the no-cycle rule on purpose (see tests/tools/lint.test.ts).
import { b } from './cycle-b';

export const a = (): number => b() + 1;

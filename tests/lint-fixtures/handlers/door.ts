// Breaks the handlers-are-doors rule on purpose (see tests/tools/lint.test.ts).
import { other } from './other';

export const door = (): number => other() + 1;

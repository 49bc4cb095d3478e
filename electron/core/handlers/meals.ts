import type { Handlers } from '../../../shared/api/contract';
import type { mealsApi } from '../../../shared/api/meals';
import type { CoreContext } from '../context';
import { yearOf } from '../school/school';
import {
  excludeFromMeals,
  exportMealMonth,
  exportMealTerm,
  includeInMeals,
  mealMonth,
  mealTerm,
  saveMealSettings,
  setMealDay,
} from '../meals/meals';

export const mealsHandlers: Handlers<typeof mealsApi, CoreContext> = {
  'meals.month': (ctx, args) => mealMonth(ctx, args.month, args.schoolId),
  'meals.term': (ctx, args) => mealTerm(ctx, args.term, args.schoolId),
  'meals.setDay': (ctx, args) => setMealDay(ctx, args),
  'meals.saveSettings': (ctx, args) => saveMealSettings(ctx, args),
  'meals.exclude': async (ctx, args) => excludeFromMeals(ctx, { ...args, schoolYear: await yearOf(ctx, args.schoolYear) }),
  'meals.include': async (ctx, args) => includeInMeals(ctx, { ...args, schoolYear: await yearOf(ctx, args.schoolYear) }),
  'meals.exportMonth': (ctx, args) => exportMealMonth(ctx, args.month, args.schoolId),
  'meals.exportTerm': (ctx, args) => exportMealTerm(ctx, args.term, args.schoolId),
};

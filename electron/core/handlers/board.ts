import type { boardApi } from '../../../shared/api/board';
import type { Handlers } from '../../../shared/api/contract';
import { saveTermCalendar, termBoard } from '../board/board';
import type { CoreContext } from '../context';

export const boardHandlers: Handlers<typeof boardApi, CoreContext> = {
  'board.term': (ctx, args) => termBoard(ctx, args.term, args.schoolId),
  'board.saveCalendar': (ctx, args) => saveTermCalendar(ctx, args.term, args.items),
};

import type { Handlers } from '../../../shared/api/contract';
import type { fundsApi } from '../../../shared/api/funds';
import type { CoreContext } from '../context';
import { yearOf } from '../school/school';
import {
  addAllocation,
  carryOver,
  fundsGuard,
  ledger,
  ledgerBookOf,
  listAllocations,
  listMovements,
  programmeLedger,
  receiveFunds,
  removeFundEntry,
  returnFunds,
  saveFundsSettings,
  setAsideOf,
} from '../funds/funds';
import { exportFunds, printFunds, printFundsNotice } from '../funds/outputs';

export const fundsHandlers: Handlers<typeof fundsApi, CoreContext> = {
  'funds.ledger': (ctx, args) => ledger(ctx, args.term),
  'funds.programme': (ctx, args) => ({
    line: programmeLedger(ctx, args.programmeId, args.term),
    allocations: listAllocations(ctx, args.term, args.programmeId),
    movements: listMovements(ctx, args.term, args.programmeId),
    book: ledgerBookOf(ctx, args.programmeId, args.term),
  }),
  'funds.addAllocation': (ctx, args) => addAllocation(ctx, args),
  'funds.receive': (ctx, args) => receiveFunds(ctx, args),
  'funds.carryOver': (ctx, args) => carryOver(ctx, args),
  'funds.return': (ctx, args) => returnFunds(ctx, args),
  'funds.remove': (ctx, args) => {
    removeFundEntry(ctx, { kind: args.entry, id: args.entryId });
    return null;
  },
  'funds.settings': async (ctx, args) => {
    const year = await yearOf(ctx, args.schoolYear);
    return { guard: fundsGuard(ctx), setAside: setAsideOf(ctx, year) };
  },
  'funds.saveSettings': async (ctx, args) => saveFundsSettings(ctx, { ...args, schoolYear: await yearOf(ctx, args.schoolYear) }),
  'funds.print': (ctx, args) => printFunds(ctx, args.programmeId, args.term),
  'funds.export': (ctx, args) => exportFunds(ctx, args.programmeId, args.term),
  'funds.printNotice': (ctx, args) => printFundsNotice(ctx, args.term),
};

/**
 * A full garbage collection between the phases of a county-sized job. V8 collects its old generation only when
 * the heap reaches a limit set from the machine's memory: on a large machine the garbage of reading 300,000 rows
 * (230 MB) sits beside the plan and the database's page cache, and the import's peak is the sum. Collected between
 * phases, the peak is what is alive. The collector is reached as Node's documentation of v8.setFlagsFromString
 * shows (the flag set, `gc` read from a new context); where that is not possible nothing is done.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
}

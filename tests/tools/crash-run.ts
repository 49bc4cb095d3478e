/**
 * `npm run crash -- [kills per operation] [operation …]`: the crash harness with as many kills as asked,
 * printing what each kill found. The CI test runs a few per operation; this runs hundreds.
 */
import { crashCore, crashRun, OPERATIONS, type Operation } from '../helpers/crash';

const [count, ...names] = process.argv.slice(2);
const kills = Number(count ?? 50);
const ops = names.length ? (names as Operation[]) : OPERATIONS;
const started = Date.now();
const results = await crashRun(ops, kills, crashCore, Date.now() % 100_000);
for (const op of ops) {
  const mine = results.filter((r) => r.op === op);
  const before = mine.filter((r) => r.state === 'before').length;
  console.log(`${op.padEnd(8)} ${mine.length} 次强制结束：全部完整；停在操作前 ${before}，操作后 ${mine.length - before}`);
}
console.log(`共 ${results.length} 次，${Math.round((Date.now() - started) / 1000)} 秒`);

/**
 * 大写金额 as the payment-settlement rules write it: 人民币 first; 整 after 元 when there are no 角/分
 * and never after 分; a zero between digits is written once (零); a leading ten is 壹拾.
 */
import type { Fen } from './money';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL = ['', '拾', '佰', '仟'];
const BIG = ['', '万', '亿', '万亿'];

/** 0–9999 in capitals, with the zeros a cheque would write inside the group. */
function group(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + SMALL[i]!;
  }
  return out;
}

function yuanText(yuan: number): string {
  if (yuan === 0) return '';
  const groups: number[] = [];
  for (let v = yuan; v > 0; v = Math.floor(v / 10_000)) groups.push(v % 10_000);
  let out = '';
  let pendingZero = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) {
      if (out) pendingZero = true;
      continue;
    }
    // A zero where a group starts below 1000 (10,0500 → 壹拾万零伍佰), or after an empty group.
    if (out && (pendingZero || g < 1000)) out += '零';
    pendingZero = false;
    out += group(g) + BIG[i]!;
  }
  return out;
}

/**
 * @example toCapitalAmount(140950) === '人民币壹仟肆佰零玖元伍角'
 * @example toCapitalAmount(1280000) === '人民币壹万贰仟捌佰元整'
 */
export function toCapitalAmount(fen: Fen): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`金额应为非负整数（分）：${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cent = fen % 10;
  if (fen === 0) return '人民币零元整';
  let out = yuanText(yuan);
  if (out) out += '元';
  if (jiao === 0 && cent === 0) return `人民币${out}整`;
  if (jiao > 0) {
    // 1409.50: 元 directly followed by 角. 1680.32: the yuan end in 0, so 零 before 角.
    if (out && yuan % 10 === 0) out += '零';
    out += `${DIGITS[jiao]}角`;
  } else if (out) {
    out += '零';
  }
  if (cent > 0) out += `${DIGITS[cent]}分`;
  return `人民币${out}`;
}

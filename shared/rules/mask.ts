/** Masks for sensitive numbers on screen: shown in full only on a deliberate reveal. */

/** `maskIdNumber('433125201810218949')` → `'4331**********8949'` */
export function maskIdNumber(value: string | null): string | null {
  if (!value) return value;
  if (value.length <= 8) return '*'.repeat(value.length);
  return value.slice(0, 4) + '*'.repeat(value.length - 8) + value.slice(-4);
}

/** `maskPhone('13812345678')` → `'138****5678'` */
export function maskPhone(value: string | null): string | null {
  if (!value) return value;
  if (value.length < 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

/** Bank cards keep the last four digits: `'**** **** **** 4107'`-style, without spaces. */
export function maskBankCard(value: string | null): string | null {
  if (!value) return value;
  return '*'.repeat(Math.max(0, value.length - 4)) + value.slice(-4);
}

/** An address keeps its county/township part and hides the village and house. */
export function maskAddress(value: string | null): string | null {
  if (!value) return value;
  const cut = value.search(/[镇乡街]/);
  return cut > 0 ? `${value.slice(0, cut + 1)}****` : `${value.slice(0, Math.min(3, value.length))}****`;
}

/**
 * A cell's text as an error message may quote it: any run of 7 or more digits (a phone, an ID or card
 * number typed into the wrong column) is masked, and long text is cut.
 * @example quoteCell('13812345678') === '138****5678'
 */
export function quoteCell(text: string): string {
  const masked = text.replace(/\d{7,}[\dXx]?/g, (run) => maskIdNumber(run)!);
  return masked.length > 30 ? `${masked.slice(0, 30)}…` : masked;
}

/**
 * Two values of one field as shown masked. When the masks hide the only difference (a phone's middle digits,
 * an address past the township), both say so, so the clerk never chooses between two identical-looking texts.
 */
export function maskedPair(a: string | null, b: string | null, mask: (v: string | null) => string | null): [string | null, string | null] {
  const [x, y] = [mask(a), mask(b)];
  if (x !== null && x === y && a !== b) return [`${x}（打码部分不同）`, `${y}（打码部分不同）`];
  return [x, y];
}

/** Money is integer fen (分) everywhere; this module is the one place that parses and prints it. */
export type Fen = number;

/**
 * Parses an amount in yuan as people write it (`1250`, `1,250.5`, `１２５０元`, `¥312.50`) into fen.
 * Returns null for an empty value and 'invalid' for anything else that is not a non-negative amount
 * with at most two decimals.
 */
export function parseYuan(value: string | number): Fen | null | 'invalid' {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return 'invalid';
    const fen = Math.round(value * 100);
    return Math.abs(fen - value * 100) < 1e-6 ? fen : 'invalid';
  }
  const text = value.normalize('NFKC').replace(/[\s,，¥￥]|元$/g, '');
  if (text === '') return null;
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return 'invalid';
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** `¥1,250.00` as the UI shows money. */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** `1250` or `312.5`: an amount in yuan as a plain number, for forms and spreadsheets. */
export function fenToYuanText(fen: Fen): string {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2).replace(/0$/, '');
}

/** Fen as a yuan number, for a numeric input or a spreadsheet cell: 31250 → 312.5. */
export function fenToYuan(fen: Fen): number {
  return fen / 100;
}

/** A yuan number typed into a numeric input, to whole fen: 312.5 → 31250 (0.005 rounds to the nearest fen). */
export function yuanToFen(yuan: number): Fen {
  return Math.round(yuan * 100);
}

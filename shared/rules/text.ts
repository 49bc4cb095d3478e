/**
 * Characters nobody types into a name or a cell on purpose and that change what a screen or printer shows:
 * control characters (ANSI escapes start with one), zero-width characters, bidirectional overrides and
 * isolates (an RTL override reorders a printed name), the BOM. Tabs and line breaks are left to the callers
 * that split on them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** A terminal escape sequence (colour, cursor): removed whole, not just its ESC. */
// eslint-disable-next-line no-control-regex -- finding escape sequences is the point
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** The same characters, for a test (no `g`: no lastIndex carried from one call to the next). */
const ANY_INVISIBLE = new RegExp(INVISIBLE.source);

/** Whether a value holds characters normalizeText removes without a trace on screen. */
export function hasInvisible(value: string): boolean {
  return ANY_INVISIBLE.test(value);
}

/**
 * Text normalisation that is always safe for values typed into spreadsheets by hand:
 * full-width letters, digits and brackets become ASCII (NFKC), and the ends are trimmed.
 * `normalizeText(' ４３３１（1）班 ')` (full-width digits and brackets) → `'4331(1)班'`
 */
export function normalizeText(value: string): string {
  const text = value.normalize('NFKC');
  // An escape sequence starts with ESC, itself invisible: most cells have neither and skip both replacements.
  return (ANY_INVISIBLE.test(text) ? text.replace(ANSI_SEQUENCE, '').replace(INVISIBLE, '') : text).trim();
}

/** Invisible characters and escapes removed, spaces collapsed; the writer's own punctuation kept (no NFKC). */
export function cleanText(value: string): string {
  return value.replace(ANSI_SEQUENCE, '').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

const CJK = '\\u3400-\\u9fff';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');

/**
 * A person's name: trimmed, inner spaces between Chinese characters removed ("张 三" → "张三"),
 * the middle dot of minority names kept as one "·".
 */
export function normalizeName(value: string): string {
  return normalizeText(value)
    .replace(SPACE_BETWEEN_CJK, '')
    .replace(/\s*[·•・.．]\s*/g, '·')
    .replace(/\s+/g, ' ');
}

/** Only digits, for phone and card numbers typed with spaces or dashes. */
export function digitsOnly(value: string): string {
  return normalizeText(value).replace(/[\s-]/g, '');
}

/** A count as the clerk reads it: 40,000. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Text normalisation that is always safe for values typed into spreadsheets by hand:
 * full-width letters, digits and brackets become ASCII (NFKC), and the ends are trimmed.
 * `normalizeText(' ４３３１（1）班 ')` (full-width digits and brackets) → `'4331(1)班'`
 */
export function normalizeText(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\u200b\ufeff]/g, '')
    .trim();
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

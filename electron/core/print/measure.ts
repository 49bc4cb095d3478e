/**
 * Text measured before printing, so pages are cut by height and the preview's page count is the printed one.
 * Widths are estimated from each character's class (CJK full width, Latin digits and letters narrower) on the
 * wide side of the fonts the print CSS names (Microsoft YaHei, SimSun, Noto Sans CJK): an estimate that errs
 * wide can only leave a row a little taller than needed, never shorter.
 */

/** One typographic point in millimetres. */
export const PT_MM = 25.4 / 72;

/** Safety over the per-character estimates (kerning, bold, a font a little wider than the one measured). */
const SAFETY = 1.08;

/** Characters that may not begin a line (Chromium pulls the previous character down with them). */
const NO_LINE_START = new Set('）」』】〕〉》、，。；：！？％)]}.,;:!?%');

function emWidth(ch: string, mono: boolean): number {
  const code = ch.codePointAt(0)!;
  if (code > 0x2e7f) return 1; // CJK, full-width forms and punctuation, symbols
  if (mono) return 0.62;
  if (ch === ' ') return 0.32;
  if (/[0-9]/.test(ch)) return 0.6;
  if (/[MWmw@%]/.test(ch)) return 0.95;
  if (/[A-Z]/.test(ch)) return 0.74;
  if (/[ijlft'|.,:;!`]/.test(ch)) return 0.34;
  if (/[a-z]/.test(ch)) return 0.6;
  if (code < 0x80) return 0.6; // other ASCII punctuation
  return 1;
}

/** Width of a text on one line, in millimetres. */
export function textWidth(text: string, fontPt: number, mono = false): number {
  let em = 0;
  for (const ch of text) em += emWidth(ch, mono);
  return em * fontPt * PT_MM * SAFETY;
}

/** Lines a text takes in a box of `widthMm` when any character may break (word-break: break-all). */
export function lineCount(text: string, widthMm: number, fontPt: number, mono = false): number {
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    lines++;
    let used = 0;
    let previous = 0;
    for (const ch of paragraph) {
      const w = emWidth(ch, mono) * fontPt * PT_MM * SAFETY;
      if (used > 0 && used + w > widthMm) {
        lines++;
        // A closing mark cannot start a line: the character before it moves down too.
        used = NO_LINE_START.has(ch) ? previous : 0;
      }
      used += w;
      previous = w;
    }
  }
  return lines;
}

/** The largest size (in half points, from `maxPt` down to `minPt`) at which a text fits on one line. */
export function fitFont(text: string, widthMm: number, maxPt: number, minPt: number, mono = false): number {
  for (let pt = maxPt; pt > minPt; pt -= 0.5) if (textWidth(text, pt, mono) <= widthMm) return pt;
  return minPt;
}

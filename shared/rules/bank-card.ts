/**
 * The one rule for a bank card or social-security card number (银行卡号 / 社会保障卡号 / 一卡通账号): the
 * student form, the roster import, the card sheet import, the checks and the bank file all ask it.
 */
import { normalizeText } from './text';

/** Cards are 16 to 19 digits (19 for nearly all rural cards, 16 for some). */
export const CARD_LENGTH = { min: 16, max: 19 } as const;

export type CardCheck =
  | { ok: true; card: string; /** The check digit fails: a warning only, rural credit cooperatives vary. */ checkDigitWarning: boolean }
  | { ok: false; problem: 'empty' | 'format'; message: string };

export const CARD_FORMAT_TEXT = `银行卡号/社会保障卡号应为${CARD_LENGTH.min}到${CARD_LENGTH.max}位数字`;
export const CARD_CHECK_DIGIT_TEXT = '卡号的校验位不符，请对照卡片或存折核对（部分农村信用社的卡号例外）';

/** The Luhn check used by most bank cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Normalises (spaces, dashes, full-width digits) and checks a card number.
 * @example checkBankCard('6217 7848 0551 3270 633') → { ok: true, card: '6217784805513270633', checkDigitWarning: false }
 */
export function checkBankCard(raw: string | null | undefined): CardCheck {
  const card = normalizeText(raw ?? '').replace(/[\s\-－]/g, '');
  if (!card) return { ok: false, problem: 'empty', message: '没有填写卡号' };
  if (!/^\d+$/.test(card) || card.length < CARD_LENGTH.min || card.length > CARD_LENGTH.max) {
    return { ok: false, problem: 'format', message: CARD_FORMAT_TEXT };
  }
  return { ok: true, card, checkDigitWarning: !luhnValid(card) };
}

/**
 * Is a page's text layer Vietnamese as it was written, or the residue of a broken font mapping?
 * PDFs printed from old tools split letters from their marks ("ĐIỀ U", "nhiê ̣m"), map glyphs to
 * private-use code points or to nothing, and then search finds nothing on those pages. The share of
 * words that are valid Vietnamese syllables tells them apart: a real page of Vietnamese prose is
 * above 0.95 (abbreviations and numbers are not counted), a broken one far below.
 *
 * The syllable rules are syllables.ts's, which also picks the decoding of old 8-bit text.
 */
import { isVietnameseSyllable } from "./syllables.js";

export { isVietnameseSyllable };

/** What the check saw on one page. */
export interface PageQuality {
  /** Words counted (abbreviations, numbers and foreign words aside). */
  words: number;
  /** Share of them that are valid syllables (1 when no word was counted). */
  valid: number;
  /** Characters no text should hold: private-use, replacement, lone combining marks, controls. */
  junk: number;
  /** Letters on the page, all of them. */
  letters: number;
}

const JUNK = /[\uE000-\uF8FF\uFFFD]|(?![\t\n\r])\p{Cc}|(?:^|[^\p{L}])[\u0300-\u036f]/gu;

/** Measures a page's text. */
export function pageQuality(text: string): PageQuality {
  const nfc = text.normalize("NFC");
  const junk = (nfc.match(JUNK) ?? []).length;
  const letters = (nfc.match(/\p{L}/gu) ?? []).length;
  let words = 0;
  let valid = 0;
  for (const token of nfc.split(/[^\p{L}\p{M}\uE000-\uF8FF\uFFFD]+/u)) {
    if (!token) continue;
    // Abbreviations ("KL", "TW", "UBND") and words with no Vietnamese letter in them (foreign
    // words, Roman numerals) say nothing about the font mapping; a broken word always has one.
    const vietnamese = /[^a-z]/iu.test(token);
    if (!vietnamese && (token === token.toUpperCase() || token.length > 7)) continue;
    words += 1;
    if (isVietnameseSyllable(token)) valid += 1;
  }
  return { words, valid: words === 0 ? 1 : valid / words, junk, letters };
}

/** Below this share of valid syllables a page's text layer is taken as broken. */
export const MIN_VALID_SHARE = 0.9;
/** Fewer words than this and the share says nothing (a title page, a signature). */
const MIN_WORDS = 12;

/**
 * Why a page's text layer cannot be trusted ("no-text": nothing or almost nothing to read, as on
 * a scan; "broken": split or unmapped letters), or undefined when it reads as Vietnamese.
 */
export function textLayerProblem(text: string): "no-text" | "broken" | undefined {
  const q = pageQuality(text);
  if (q.letters < 10) return "no-text";
  if (q.junk > Math.max(3, q.letters * 0.02)) return "broken";
  if (q.words >= MIN_WORDS && q.valid < MIN_VALID_SHARE) return "broken";
  return undefined;
}

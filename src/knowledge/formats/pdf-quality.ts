/**
 * Is a page's text layer Vietnamese as it was written, or the residue of a broken font mapping?
 * PDFs printed from old tools split letters from their marks ("ĐIỀ U", "nhiê ̣m"), map glyphs to
 * private-use code points or to nothing, and then search finds nothing on those pages. The share of
 * words that are valid Vietnamese syllables tells them apart: a real page of Vietnamese prose is
 * above 0.95 (abbreviations and numbers are not counted), a broken one far below.
 *
 * A small validator of its own (initial, rhyme, one tone mark, the tones a stop final allows),
 * enough for this check; the structure and search code never depend on it.
 */

const INITIALS = [
  "ngh",
  "ng",
  "nh",
  "ch",
  "gh",
  "gi",
  "kh",
  "ph",
  "qu",
  "th",
  "tr",
  "b",
  "c",
  "d",
  "đ",
  "g",
  "h",
  "k",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "t",
  "v",
  "x",
  "",
];

/** Rhymes without their tone mark. */
const RHYMES = new Set(
  `a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
oe oen oeo oet ooc oong
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ up ut uy uya uych uyên uyêt uynh uyt uyu
uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu`
    .split(/\s+/)
    .filter(Boolean),
);

/** Combining tone marks: huyền, sắc, ngã, hỏi, nặng. */
const TONES = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const STOP_FINAL = /(c|ch|p|t)$/u;

/** True when `word` (letters only, any case) is one Vietnamese syllable. */
export function isVietnameseSyllable(word: string): boolean {
  const decomposed = word.toLowerCase().normalize("NFD");
  const tones = decomposed.match(TONES) ?? [];
  if (tones.length > 1) return false;
  const bare = decomposed.replace(TONES, "").normalize("NFC");
  if (!/^[a-zâăđêôơư]+$/u.test(bare)) return false;
  for (const initial of INITIALS) {
    if (!bare.startsWith(initial)) continue;
    let rhyme = bare.slice(initial.length);
    // "gì", "giữ": the i of gi is the vowel when nothing else is.
    if (initial === "gi" && (rhyme === "" || !RHYMES.has(rhyme))) rhyme = rhyme === "" ? "i" : `i${rhyme}`;
    if (!RHYMES.has(rhyme)) continue;
    // A syllable closed by c, ch, p or t takes only the sắc or nặng tone (or none: "các" yes, "càc" no).
    const tone = tones[0];
    if (tone && STOP_FINAL.test(rhyme) && tone !== "\u0301" && tone !== "\u0323") continue;
    return true;
  }
  return false;
}

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

/**
 * Is this a Vietnamese syllable? Onset + rhyme + tone, by the spelling rules of the language. Used
 * to tell which decoding of 8-bit text is the right one (legacy-encoding.ts) and, by the PDF reader,
 * whether a page's text layer is broken ("ĐIỀ U", marks split from their letters): the share of
 * valid syllables among a text's words says how readable it is.
 */

/** Initial consonants, longest first so "ngh" is tried before "ng" and "n". */
const ONSETS = [
  "ngh",
  "ch",
  "gh",
  "gi",
  "kh",
  "ng",
  "nh",
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

/** Every rhyme (vowels and final consonant) without its tone, as Vietnamese spells them. */
const RHYMES = new Set(
  [
    "a ac ach ai am an ang anh ao ap at au ay",
    "ă ăc ăm ăn ăng ăp ăt",
    "â âc âm ân âng âp ât âu ây",
    "e ec em en eng eo ep et",
    "ê êch êm ên ênh êp êt êu",
    "i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu",
    "o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt",
    "oe oen oeo oet oong ooc",
    "ô ôc ôi ôm ôn ông ôp ôt",
    "ơ ơi ơm ơn ơp ơt",
    "u uc ui um un ung up ut ua uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uyn uynh uyp uyt",
    "uyu uôc uôi uôm uôn uông uôt uơ",
    "ư ưc ưi ưm ưn ưng ưt ưu ưa ươc ươi ươm ươn ương ươp ươt ươu",
    "y yêm yên yêng yêt yêu",
  ]
    .join(" ")
    .split(" "),
);

/** Combining tone marks: huyền, sắc, ngã, hỏi, nặng. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
/** Sắc and nặng: the only tones a syllable closed by c, ch, p or t may carry. */
const STOP_TONES = new Set(["\u0301", "\u0323"]);

/**
 * True when `word` (one syllable, any case, composed or not) is spelled as a Vietnamese syllable:
 * a known onset, a known rhyme, at most one tone, and a closed rhyme only with sắc or nặng.
 */
export function isVietnameseSyllable(word: string): boolean {
  const nfd = word.normalize("NFD").toLowerCase();
  const tones = nfd.match(TONE_MARKS) ?? [];
  if (tones.length > 1) return false;
  const bare = nfd.replace(TONE_MARKS, "").normalize("NFC").replace(/Đ/g, "đ");
  if (bare.length === 0 || bare.length > 7 || !/^[a-zđăâêôơư]+$/u.test(bare)) return false;
  for (const onset of ONSETS) {
    if (!bare.startsWith(onset)) continue;
    const rhyme = bare.slice(onset.length);
    // "gi" alone is a syllable ("gì"); otherwise every syllable has a rhyme.
    if (rhyme === "" && onset !== "gi") continue;
    if (rhyme !== "" && !RHYMES.has(rhyme)) continue;
    if (!spelledRight(onset, rhyme)) continue;
    if (/(c|ch|p|t)$/.test(rhyme) && !STOP_TONES.has(tones[0] ?? "")) continue;
    return true;
  }
  return false;
}

/** Before e, ê, i, y Vietnamese writes k, gh, ngh; c, g, ng only before the other vowels. */
function spelledRight(onset: string, rhyme: string): boolean {
  const front = /^[eêiy]/.test(rhyme);
  if (onset === "c" || onset === "ng") return !front;
  if (onset === "g") return !/^[eê]/.test(rhyme);
  if (onset === "k" || onset === "gh" || onset === "ngh") return front;
  return true;
}

/** The words of a text: runs of letters and combining marks (digits and symbols split them). */
export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{M}]+/gu) ?? [];
}

/**
 * The share (0–1) of a text's words that are Vietnamese syllables, over at most `limit` words;
 * NaN when the text has no word. Vietnamese prose scores about 0.9 (names and loanwords fail);
 * mojibake ("Uû ban nh©n d©n" read as Latin-1) and split diacritics score far lower.
 */
export function syllableShare(text: string, limit = 5000): number {
  const words = wordsOf(text).slice(0, limit);
  if (words.length === 0) return Number.NaN;
  let valid = 0;
  for (const w of words) if (isVietnameseSyllable(w)) valid += 1;
  return valid / words.length;
}

/**
 * Quiz items drawn from the documents, verifiable by construction: each item blanks or changes
 * one fact of a real sentence (a date, a number with its unit, a body that issued or leads
 * something, a document number, a word of a motto), and every wrong option is a fact of the same
 * type taken from the corpus that is not also true there (the option put in the sentence's place,
 * with its neighbouring words, is found nowhere in the documents). Three forms: a cloze with
 * options, a multiple choice between short statements (one true), and true/false. Every item
 * carries the citation of its passage. Pure: no I/O; the texts a person reads around an item
 * (the "fill in the blank" line, "Đúng"/"Sai") are the study module's, from prompts/.
 */
import { createHash } from "node:crypto";
import { shortSection } from "../answer/citations.js";
import { citationPath, formatSectionPath } from "../knowledge/structure.js";
import type { Passage } from "../knowledge/types.js";
import { sentences } from "../text/sentences.js";
import { fold } from "../text/vietnamese.js";

/** The type of the fact an item asks about. */
export type SlotKind = "date" | "number" | "body" | "document" | "term";

/** A fact found in a sentence: where it is, what it says, and a key to compare facts by. */
export interface Slot {
  kind: SlotKind;
  start: number;
  end: number;
  value: string;
  /** Folded, normalised value: two slots with one key say the same thing. */
  key: string;
  /** Numbers: the unit ("ngày", "%"); the same unit is what makes two numbers the same type. */
  unit?: string;
}

/** Where an item comes from, as an answer cites it. */
export interface ItemSource {
  passageId: string;
  documentId: string;
  /** Short title of the document ("Kế hoạch thực hiện KL 43-KL/TW"). */
  title: string;
  /** Compact section label ("II.2, gạch đầu dòng 1"). */
  label: string;
  /** Full section path ("II. NHIỆM VỤ, GIẢI PHÁP › 2 › gạch đầu dòng 1"). */
  section: string;
  /** The sentence the item was made from, as the document has it. */
  sentence: string;
  /** The article the passage stands in, with its title ("Điều 20. Trách nhiệm của …"), if any. */
  article?: string;
}

export interface QuizItem {
  /** Stable id (passage, fact and form): previews discard items by it. */
  id: string;
  form: "cloze" | "choice" | "truefalse";
  slot: SlotKind;
  /**
   * cloze: the sentence (or its clause) with the fact replaced by "___"; choice: empty (the
   * options are the statements); truefalse: the statement to judge.
   */
  text: string;
  /** cloze: the facts; choice: the statements; truefalse: empty (the channel shows Đúng/Sai). */
  options: string[];
  /** Index of the right option (truefalse: 0 = true, 1 = false). */
  correct: number;
  /** The fact as the document states it (the blanked or changed words). */
  answer: string;
  source: ItemSource;
}

/** What the generator needs of a document. */
export interface QuizDocument {
  id: string;
  shortTitle: string;
}

/** Telegram's limits on a poll (question 300, option 100 characters), kept with room to spare. */
export const MAX_QUESTION_CHARS = 240;
export const MAX_OPTION_CHARS = 100;
const BLANK = "___";

const BODIES = [
  "Ban Chấp hành Trung ương Đảng",
  "Ban Chấp hành Trung ương",
  "Ban Bí thư",
  "Bộ Chính trị",
  "Ban Thường vụ Tỉnh ủy",
  "Ban Dân vận Trung ương",
  "Ban Dân vận Tỉnh ủy",
  "Ban Tuyên giáo Tỉnh ủy",
  "Tỉnh ủy",
  "Quốc hội",
  "Ủy ban Thường vụ Quốc hội",
  "Chính phủ",
  "Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
  "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
  "Ủy ban Mặt trận Tổ quốc Việt Nam",
  "Mặt trận Tổ quốc Việt Nam",
  "Hội đồng nhân dân",
  "Ủy ban nhân dân",
  "Ban Thanh tra nhân dân",
  "Ban Giám sát đầu tư của cộng đồng",
  "Ban công tác Mặt trận",
  "Hội Liên hiệp Phụ nữ Việt Nam",
  "Hội Nông dân Việt Nam",
  "Hội Cựu chiến binh Việt Nam",
  "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
  "Tổng Liên đoàn Lao động Việt Nam",
  "Tòa án nhân dân",
  "Viện kiểm sát nhân dân",
  "Kiểm toán nhà nước",
  "Bộ Nội vụ",
  "Bộ Tư pháp",
  "Sở Nội vụ",
];

/** Both tone placements of "ủy" ("ủy"/"uỷ") and of "hòa" ("hòa"/"hoà"), as documents spell them. */
const spellings = (s: string) =>
  s
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/Ủy/g, "(?:Ủy|Uỷ)")
    .replace(/ủy/g, "(?:ủy|uỷ)")
    .replace(/Tòa/g, "(?:Tòa|Toà)");
const BODY_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(${[...BODIES]
    .sort((a, b) => b.length - a.length)
    .map(spellings)
    .join("|")})(?![\\p{L}\\p{N}])`,
  "gu",
);
/** Bodies that exist at each level of government ("Ủy ban nhân dân cấp xã"), folded. */
const LEVELLED = new Set(
  [
    "Hội đồng nhân dân",
    "Ủy ban nhân dân",
    "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Ban Thanh tra nhân dân",
    "Tòa án nhân dân",
    "Viện kiểm sát nhân dân",
  ].map((b) => fold(b).toLowerCase()),
);
const INSIDE_NAME = /(?:ủy ban|uỷ ban|trung ương|thường trực|chủ tịch|thường vụ)\s+$/iu;
/** A body is asked about where the sentence says it issued, leads or owns something. */
const BODY_BEFORE = /(?:^|\s)(?:của|do)\s+$/u;
const BODY_AFTER = /^\s+(?:ban hành|chủ trì|quyết định|hướng dẫn|chỉ đạo|tổ chức thực hiện)/u;

const DATE_RE = /(?<![\p{L}\p{N}/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\p{N}/])/gu;
const DATE_WORDS_RE = /ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})/gu;
const DOCUMENT_RE =
  /(?<![\p{L}\p{N}/])\d{1,4}(?:\/\d{4})?[-/][A-ZĐ][A-Za-zĐđ]*(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9]*)*(?![\p{L}\p{N}&/-])/gu;
const UNITS = [
  "ngày làm việc",
  "ngày",
  "tháng",
  "năm",
  "giờ",
  "người",
  "thành viên",
  "lần",
  "hộ gia đình",
  "cử tri",
  "đại biểu",
  "phần trăm",
];
const NUMBER_RE = new RegExp(
  `(?<![\\p{L}\\p{N}/.,])(\\d{1,3}(?:,\\d+)?)(?:\\s+(${UNITS.join("|")})(?![\\p{L}])|\\s?(%))`,
  "gu",
);
/** Subjects of a motto's parts ("dân biết", "Nhà nước quản lý"): the rest is what is blanked. */
const MOTTO_SUBJECTS = ["nhan dan", "nha nuoc", "dang", "dan"];
const QUOTED_RE = /[“"]([^”"]{8,200})[”"]/gu;

/** Every fact the generator can ask about in one sentence, left to right, not overlapping. */
export function findSlots(sentence: string): Slot[] {
  const found: Slot[] = [];
  const add = (s: Slot) => {
    if (!found.some((o) => s.start < o.end && o.start < s.end)) found.push(s);
  };
  for (const m of sentence.matchAll(DATE_WORDS_RE)) {
    add({
      kind: "date",
      start: m.index,
      end: m.index + m[0].length,
      value: m[0],
      key: `${Number(m[1])}/${Number(m[2])}/${m[3]}`,
    });
  }
  for (const m of sentence.matchAll(DATE_RE)) {
    const [d, mo] = [Number(m[1]), Number(m[2])];
    if (d < 1 || d > 31 || mo < 1 || mo > 12) continue;
    add({ kind: "date", start: m.index, end: m.index + m[0].length, value: m[0], key: `${d}/${mo}/${m[3]}` });
  }
  for (const m of sentence.matchAll(DOCUMENT_RE)) {
    add({
      kind: "document",
      start: m.index,
      end: m.index + m[0].length,
      value: m[0],
      key: fold(m[0]).toUpperCase(),
    });
  }
  for (const m of sentence.matchAll(NUMBER_RE)) {
    const unit = m[2] ?? m[3] ?? "";
    // "ngày 18 tháng 11", "tháng 6 năm 2025": parts of a date, not a number of months or years.
    const after = sentence.slice(m.index + m[0].length);
    if (
      (unit === "tháng" || unit === "năm") &&
      (/^\s*\d/.test(after) || /ngày\s*$/u.test(sentence.slice(0, m.index)))
    )
      continue;
    add({
      kind: "number",
      start: m.index,
      end: m.index + m[0].length,
      value: m[0],
      key: `${Number((m[1] as string).replace(",", "."))} ${unit}`,
      unit,
    });
  }
  for (const m of sentence.matchAll(BODY_RE)) {
    const before = sentence.slice(0, m.index);
    const after = sentence.slice(m.index + m[0].length);
    if (!BODY_BEFORE.test(before) && !BODY_AFTER.test(after)) continue;
    // The end of a longer name ("Đoàn Chủ tịch Ủy ban trung ương Mặt trận …"): only that body fits there.
    if (INSIDE_NAME.test(before)) continue;
    add({
      kind: "body",
      start: m.index,
      end: m.index + m[0].length,
      value: m[0],
      key: fold(m[0]).toLowerCase(),
    });
  }
  for (const part of mottoParts(sentence)) add(part);
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The parts of a quoted motto ("Dân biết, dân bàn, dân làm, dân kiểm tra"): what follows each
 * part's subject, as a term slot; only in quotes of three or more comma-separated parts that
 * each open with a subject.
 */
function mottoParts(sentence: string): Slot[] {
  const out: Slot[] = [];
  for (const q of sentence.matchAll(QUOTED_RE)) {
    const inner = q[1] as string;
    const base = q.index + 1;
    const parts: Slot[] = [];
    let offset = 0;
    for (const raw of inner.split(",")) {
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      const folded = fold(text).toLowerCase();
      const subject = MOTTO_SUBJECTS.find((s) => folded.startsWith(`${s} `));
      if (subject) {
        const rest = text.slice(subject.length + 1).trim();
        const start = base + offset + lead + text.length - rest.length;
        const words = rest.split(/\s+/).length;
        if (rest.length > 0 && words <= 3 && !/[*_]/.test(rest))
          parts.push({
            kind: "term",
            start,
            end: start + rest.length,
            value: rest,
            key: fold(rest).toLowerCase(),
          });
      }
      offset += raw.length + 1;
    }
    if (parts.length >= 3 && parts.length === inner.split(",").length) out.push(...parts);
  }
  return out;
}

/** Folded, lower-case, punctuation as spaces, single spaces: how texts are compared. */
export function comparable(text: string): string {
  return ` ${fold(text.normalize("NFC"))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/%-]+/gu, " ")
    .trim()} `;
}

/** The corpus as one comparable text, to ask whether a phrase is said anywhere in it. */
export interface Corpus {
  /** Whether the phrase (compared folded, by whole words) occurs in some passage. */
  says(phrase: string): boolean;
}

export function corpusOf(passages: readonly Passage[]): Corpus {
  const text = passages.map((p) => comparable(p.text)).join("\n");
  return {
    says(phrase) {
      const c = comparable(phrase);
      return c.trim().length > 0 && text.includes(c);
    },
  };
}

/** Words only: a closing quote or a dash is not a word of the context. */
const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));

/**
 * Whether `value` put in the slot's place would be true somewhere in the documents: the value
 * with the two words before it, or the two after, is found in the corpus; at the end of a
 * sentence or a quote, with the one word on each side ("dân làm chủ" is said in "Nhân dân làm
 * chủ": not a wrong option for "dân ___”").
 */
export function saidElsewhere(corpus: Corpus, sentence: string, slot: Slot, value: string): boolean {
  const l = words(sentence.slice(0, slot.start));
  const r = words(sentence.slice(slot.end));
  const grams = [
    [...l.slice(-2), value],
    [value, ...r.slice(0, 2)],
  ];
  // At the end of a sentence or a quote, the one word on each side is all the context there is.
  if (l.length < 2 || r.length < 2) grams.push([...l.slice(-1), value, ...r.slice(0, 1)]);
  grams.splice(0, grams.length, ...grams.filter((g) => g.length > 1));
  return grams.length === 0 || grams.some((g) => corpus.says(g.join(" ")));
}

/** The quoted text a slot stands in ("“Dân biết, dân bàn, dân làm, dân kiểm tra”"). */
function quoteAround(sentence: string, slot: Slot): string {
  const open = Math.max(sentence.lastIndexOf("“", slot.start), sentence.lastIndexOf('"', slot.start - 1));
  const close = sentence.slice(slot.end).search(/[”"]/);
  return sentence.slice(Math.max(0, open), close < 0 ? sentence.length : slot.end + close);
}

const BOUND_BEFORE =
  /(?:ít nhất|không ít hơn|tối thiểu|tối đa|không quá|không vượt quá|chậm nhất|sớm nhất|dưới|trên|ít hơn|nhiều hơn|hơn|quá|đến|tới)(?:\s+là)?\s*$/u;
const BOUND_AFTER = /^\s*(?:trở lên|trở xuống|trở lại)/u;

/** Whether a number is a bound ("ít nhất 02 ngày", "từ 100 người trở lên"), not an exact figure. */
function isBound(sentence: string, slot: Slot): boolean {
  return BOUND_BEFORE.test(sentence.slice(0, slot.start)) || BOUND_AFTER.test(sentence.slice(slot.end));
}

/**
 * Bodies of one family are never wrong options for each other: "Ủy ban Mặt trận Tổ quốc Việt
 * Nam" and "Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam" may both be right.
 */
const FAMILIES = [" mat tran ", " quoc hoi ", " ban chap hanh trung uong "];
function sameFamily(a: string, b: string): boolean {
  const [x, y] = [comparable(a), comparable(b)];
  return FAMILIES.some((f) => x.includes(f) && y.includes(f));
}

/** Whether one fact's words hold the other's ("Ủy ban nhân dân" and "nhân dân"). */
function nested(a: string, b: string): boolean {
  const [x, y] = [comparable(a), comparable(b)];
  return x.includes(y) || y.includes(x);
}

/** The article heading among a passage's headings ("Điều 20. Trách nhiệm của Ủy ban thường vụ Quốc hội"). */
function articleOf(passage: Passage): { article?: string } {
  const article = passage.headings.split(" \n ").find((h) => /^Điều\s+\d/u.test(h.trim()));
  return article ? { article: article.trim() } : {};
}

/** A short stable id. */
function idOf(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 10);
}

/** A number from an id, to choose deterministically (the same items every run). */
function seedOf(id: string): number {
  return Number.parseInt(id.slice(0, 8), 16);
}

/**
 * The part of a sentence to show around a slot: the whole sentence when it is short, else the
 * clauses around the slot (cut at commas and semicolons) within `max` characters, with "…".
 */
export function windowAround(sentence: string, slot: Slot, max: number): { text: string; offset: number } {
  if (sentence.length <= max) return { text: sentence, offset: 0 };
  const cuts = [0];
  for (const m of sentence.matchAll(/[,;:]\s+/g)) cuts.push(m.index + m[0].length);
  cuts.push(sentence.length);
  let lo = cuts.filter((c) => c <= slot.start).pop() ?? 0;
  let hi = cuts.find((c) => c >= slot.end) ?? sentence.length;
  // Grow by whole clauses, the one before the slot first (it names what the fact is about).
  for (let grown = true; grown; ) {
    grown = false;
    const prev = cuts.filter((c) => c < lo).pop();
    if (prev !== undefined && hi - prev <= max) {
      lo = prev;
      grown = true;
    }
    const next = cuts.find((c) => c > hi);
    if (next !== undefined && next - lo <= max) {
      hi = next;
      grown = true;
    }
  }
  if (hi - lo > max) {
    // One clause longer than the limit: cut at spaces around the slot.
    const room = Math.max(0, max - (slot.end - slot.start));
    lo = Math.max(lo, slot.start - Math.floor(room / 2));
    hi = Math.min(hi, lo + max);
    const s = sentence.lastIndexOf(" ", lo);
    lo = s >= 0 && s < slot.start ? s + 1 : lo;
    const e = sentence.lastIndexOf(" ", hi);
    hi = e >= slot.end ? e : Math.max(hi, slot.end);
  }
  const text = sentence
    .slice(lo, hi)
    .trim()
    .replace(/[,;:]$/, "");
  const offset = lo + (sentence.slice(lo, hi).length - sentence.slice(lo, hi).trimStart().length);
  return {
    text: `${lo > 0 ? "… " : ""}${text}${hi < sentence.length ? " …" : ""}`,
    offset: offset - (lo > 0 ? 2 : 0),
  };
}

interface Found {
  passage: Passage;
  document: QuizDocument;
  sentence: string;
  slot: Slot;
}

/** Same-type facts for distractors: the pool of each kind (numbers: each unit), by key. */
type Pool = Map<string, Map<string, { value: string; documents: Set<string> }>>;

/** Numbers by unit, dates by how they are written ("07/01/2019" or "ngày 7 tháng 1 năm 2019"). */
const poolKey = (s: Slot) =>
  s.kind === "number"
    ? `number:${s.unit}`
    : s.kind === "date"
      ? `date:${s.value.startsWith("ngày")}`
      : s.kind;

export interface GenerateOptions {
  /** Forms to make (default all three). */
  forms?: readonly QuizItem["form"][];
  /** The corpus distractors must not be true in (default: the passages given). */
  corpus?: Corpus;
}

/**
 * Every item the passages allow: for each fact found, a cloze, and when the statement is short
 * enough a multiple choice, and a true/false question. A fact gets no item when fewer than two
 * same-type facts of the corpus can be wrong options.
 */
export function generateItems(
  passages: readonly Passage[],
  documents: readonly QuizDocument[],
  options: GenerateOptions = {},
): QuizItem[] {
  const forms = new Set(options.forms ?? ["cloze", "choice", "truefalse"]);
  const corpus = options.corpus ?? corpusOf(passages);
  const docs = new Map(documents.map((d) => [d.id, d]));
  const found: Found[] = [];
  const pool: Pool = new Map();
  for (const passage of passages) {
    const document = docs.get(passage.docId);
    if (!document) continue;
    for (const sentence of sentences(passage.text)) {
      // A sub-heading inside a passage ("2. Trách nhiệm của Sở Nội vụ") is not a statement.
      if (!/[.;:!?…”")]$/u.test(sentence.trim()) && words(sentence).length <= 8) continue;
      for (const slot of findSlots(sentence)) {
        found.push({ passage, document, sentence, slot });
        const k = poolKey(slot);
        const facts = pool.get(k) ?? new Map();
        pool.set(k, facts);
        const fact = facts.get(slot.key) ?? { value: slot.value, documents: new Set<string>() };
        fact.documents.add(passage.docId);
        facts.set(slot.key, fact);
      }
    }
  }
  const items: QuizItem[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    const { slot, sentence, passage, document } = f;
    const base = idOf(passage.id, sentence, String(slot.start), slot.value);
    if (seen.has(base)) continue;
    seen.add(base);
    const window = windowAround(sentence, slot, MAX_QUESTION_CHARS);
    // The answer said again elsewhere in what is shown ("kiến nghị của Ban Thanh tra nhân dân; …
    // kiến nghị của ___") gives itself away: no item (a motto's parts are all different).
    const rest = `${window.text.slice(0, slot.start - window.offset)} ${window.text.slice(slot.end - window.offset)}`;
    if (slot.kind !== "term" && comparable(rest).includes(comparable(slot.value))) continue;
    // A wrong option the question itself shows would give the answer away, or confuse.
    const levelled = /^\s+(?:cấp|các cấp|cùng cấp)(?![\p{L}])/u.test(sentence.slice(slot.end));
    // (A motto's other parts: only those of its own quote.)
    const shown = comparable(slot.kind === "term" ? quoteAround(sentence, slot) : window.text);
    const candidates = [...(pool.get(poolKey(slot)) ?? new Map()).entries()]
      .filter(([key, fact]) => key !== slot.key && !shown.includes(comparable(fact.value)))
      // "Mặt trận Tổ quốc Việt Nam" for "Ủy ban Mặt trận Tổ quốc Việt Nam" is not plainly wrong.
      .filter(([, fact]) => !nested(fact.value, slot.value) && !sameFamily(fact.value, slot.value))
      // "… của ___ cấp xã": only a body that has levels reads as a wrong option there.
      .filter(([key]) => slot.kind !== "body" || !levelled || LEVELLED.has(key))
      .map(([key, fact]) => ({ key, ...fact }))
      .filter((c) => c.value.length <= MAX_OPTION_CHARS)
      .filter((c) => !saidElsewhere(corpus, sentence, slot, c.value));
    if (candidates.length < 2) continue;
    const distractors = pick(candidates, slot, passage.docId, seedOf(base), 3).map((c) => c.value);
    const source: ItemSource = {
      passageId: passage.id,
      documentId: document.id,
      title: document.shortTitle,
      label: shortSection(citationPath(passage.sectionPath)),
      section: formatSectionPath(passage.sectionPath),
      sentence,
      ...articleOf(passage),
    };
    const at = slot.start - window.offset;
    const before = window.text.slice(0, at);
    const after = window.text.slice(at + slot.value.length);
    if (window.text.slice(at, at + slot.value.length) !== slot.value) continue;
    const seed = seedOf(base);
    if (forms.has("cloze")) {
      const opts = [slot.value, ...distractors];
      const order = shuffle(opts.length, seed);
      items.push({
        id: idOf(base, "cloze"),
        form: "cloze",
        slot: slot.kind,
        text: `${before}${BLANK}${after}`,
        options: order.map((i) => opts[i] as string),
        correct: order.indexOf(0),
        answer: slot.value,
        source,
      });
    }
    const short = windowAround(sentence, slot, MAX_OPTION_CHARS - 10);
    const sAt = slot.start - short.offset;
    const statement = (value: string) =>
      `${short.text.slice(0, sAt)}${value}${short.text.slice(sAt + slot.value.length)}`;
    const shortOk = short.text.slice(sAt, sAt + slot.value.length) === slot.value;
    // "không ít hơn 05 người": a smaller number would be true too, so only the cloze (what the
    // document says) is asked, never a statement to judge.
    const bound = slot.kind === "number" && isBound(sentence, slot);
    if (forms.has("choice") && shortOk && !bound) {
      const opts = [slot.value, ...distractors].map(statement);
      if (opts.every((o) => o.length <= MAX_OPTION_CHARS)) {
        const order = shuffle(opts.length, seed >>> 3);
        items.push({
          id: idOf(base, "choice"),
          form: "choice",
          slot: slot.kind,
          text: "",
          options: order.map((i) => opts[i] as string),
          correct: order.indexOf(0),
          answer: slot.value,
          source,
        });
      }
    }
    // A statement to judge needs its subject: only when the shown part opens the sentence.
    if (forms.has("truefalse") && !bound && !window.text.startsWith("…")) {
      const truth = seed % 2 === 0;
      const value = truth ? slot.value : (distractors[0] as string);
      items.push({
        id: idOf(base, "truefalse"),
        form: "truefalse",
        slot: slot.kind,
        text: `${before}${value}${after}`,
        options: [],
        correct: truth ? 0 : 1,
        answer: slot.value,
        source,
      });
    }
  }
  return items;
}

/**
 * Up to `n` distractors, deterministic: dates and bodies of the same document first (they read
 * as plausible), numbers nearest in value, the rest in a seeded order.
 */
function pick<T extends { key: string; documents: Set<string>; value: string }>(
  candidates: T[],
  slot: Slot,
  docId: string,
  seed: number,
  n: number,
): T[] {
  const order = shuffle(candidates.length, seed);
  const ranked = order.map((i) => candidates[i] as T);
  const num = (s: string) => Number.parseFloat(s.replace(",", "."));
  const target = num(slot.value);
  const kindOf = (v: string) => /[A-ZĐ][A-Za-zĐđ]*/u.exec(v)?.[0] ?? "";
  ranked.sort((a, b) => {
    if (slot.kind === "document")
      return Number(kindOf(b.value) === kindOf(slot.value)) - Number(kindOf(a.value) === kindOf(slot.value));
    if (slot.kind === "number") return Math.abs(num(a.value) - target) - Math.abs(num(b.value) - target);
    return Number(b.documents.has(docId)) - Number(a.documents.has(docId));
  });
  return ranked.slice(0, n);
}

/** A seeded permutation of 0..n-1. */
function shuffle(n: number, seed: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

/** The items of one passage (a lesson's check question): cloze first, the rest after. */
export function itemsOfPassage(items: readonly QuizItem[], passageId: string): QuizItem[] {
  const rank = { cloze: 0, choice: 1, truefalse: 2 } as const;
  return items.filter((i) => i.source.passageId === passageId).sort((a, b) => rank[a.form] - rank[b.form]);
}

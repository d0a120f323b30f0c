/**
 * Turns Vietnamese text into the terms the lexical index counts: syllables with and without
 * diacritics, syllable bigrams, and document-number terms ("43-KL/TW", "KL 43", "kết luận số 43",
 * "kl43" all give "#43kl"). Abbreviations are expanded to their full form on the way in, so
 * "MTTQ" and "Mặt trận Tổ quốc" are the same words to the index.
 */

import { createHash } from "node:crypto";
import abbreviationData from "./data/abbreviations.json" with { type: "json" };
import stopwordData from "./data/stopwords.json" with { type: "json" };
import { canonical, canonicalTone, fold } from "./vietnamese.js";

/** A fingerprint of the analysis data (abbreviations, question words): a change rebuilds indexes. */
export const ANALYSIS_DATA_HASH = createHash("sha256")
  .update(JSON.stringify([abbreviationData, stopwordData]))
  .digest("hex")
  .slice(0, 12);

interface AbbreviationEntry {
  abbr: string[];
  full: string;
  kind?: string;
  cased?: boolean;
  chat?: boolean;
}

/** One syllable of analysed text: canonical (lower-case, tone in place) and folded. */
export interface Syllable {
  word: string;
  folded: string;
}

export interface Analysis {
  syllables: Syllable[];
  /** Document-number terms such as "#43kl". */
  docNumbers: string[];
  /** True when the source text carries Vietnamese diacritics. */
  accented: boolean;
}

const entries = abbreviationData.entries as AbbreviationEntry[];

/** Exact-case matches (for entries marked `cased`) and lower-case matches for the rest. */
const casedMap = new Map<string, string[]>();
const lowerMap = new Map<string, string[]>();
/** Words and abbreviations that name a kind of document, mapped to its code ("kết luận" → "kl"). */
const kindByPhrase = new Map<string, string>();

for (const e of entries) {
  const full = canonical(e.full).split(/\s+/);
  for (const a of e.abbr) {
    if (e.cased) casedMap.set(a.normalize("NFC"), full);
    else lowerMap.set(canonical(a), full);
    if (e.kind) kindByPhrase.set(fold(canonical(a)), e.kind);
  }
  if (e.kind) kindByPhrase.set(fold(canonical(e.full)), e.kind);
}

const kindAlternatives = [...kindByPhrase.keys()]
  .sort((a, b) => b.length - a.length)
  .map((k) => k.replace(/\s+/g, "\\s+"))
  .join("|");
/** "kết luận số 43", "KL 43", "kl43", "nghị quyết 25" on folded lower-case text. */
const KIND_THEN_NUMBER = new RegExp(
  `(?<![\\p{L}])(${kindAlternatives})\\s*(?:so\\s*)?[-.:]?\\s*(\\d{1,5})(?!\\d)`,
  "gu",
);
/** "43-KL/TW", "25-NQ/TW", "33-CTr/TU" on folded lower-case text. */
const NUMBER_THEN_KIND = new RegExp(`(?<!\\d)(\\d{1,5})\\s*-\\s*(${kindAlternatives})(?![\\p{L}])`, "gu");

const STOP_ACCENTED = new Set(stopwordData.words.map((w) => canonical(w)));
const STOP_FOLDED = new Set(stopwordData.folded);

/** True when a syllable carries no topic (question word, particle, pronoun). */
export function isStopword(s: Syllable, accented: boolean): boolean {
  return accented ? STOP_ACCENTED.has(s.word) : STOP_FOLDED.has(s.folded);
}

const TOKEN_RE = /[\p{L}\p{M}]+|\p{N}+/gu;

/**
 * Analyses text into syllables (abbreviations expanded) and document-number terms.
 * `chat` enables chat abbreviations ("ko", "dc", "ntn"), meant for questions typed by people.
 */
export function analyze(text: string, options: { chat?: boolean } = {}): Analysis {
  const source = text.normalize("NFC");
  const syllables = syllablesOf(source, options);
  const foldedLower = fold(source.toLowerCase());
  const numbers = new Set<string>();
  for (const m of foldedLower.matchAll(KIND_THEN_NUMBER)) {
    const kind = kindByPhrase.get((m[1] ?? "").replace(/\s+/g, " "));
    if (kind) numbers.add(`#${Number(m[2])}${kind}`);
  }
  for (const m of foldedLower.matchAll(NUMBER_THEN_KIND)) {
    const kind = kindByPhrase.get((m[2] ?? "").replace(/\s+/g, " "));
    if (kind) numbers.add(`#${Number(m[1])}${kind}`);
  }
  return { syllables, docNumbers: [...numbers], accented: typedWithDiacritics(source, options) };
}

/**
 * Whether a text was typed with Vietnamese diacritics. In chat, an abbreviation such as "đc" or
 * "sđt" does not count: "dang ky ket hon đc ko" is a question typed without them.
 */
export function typedWithDiacritics(text: string, options: { chat?: boolean } = {}): boolean {
  for (const m of text.normalize("NFC").matchAll(TOKEN_RE)) {
    const token = m[0];
    if (fold(token) === token) continue;
    if (options.chat === true && isChatOnly(canonical(token))) continue;
    return true;
  }
  return false;
}

/** The syllables alone (abbreviations expanded), as `analyze` finds them. */
export function syllablesOf(text: string, options: { chat?: boolean } = {}): Syllable[] {
  const syllables: Syllable[] = [];
  const chat = options.chat === true;
  for (const m of text.normalize("NFC").matchAll(TOKEN_RE)) {
    for (const s of tokenSyllables(m[0], chat)) syllables.push(s);
  }
  if (chat) addOrdinals(syllables);
  return syllables;
}

const ORDINALS: Record<string, string> = {
  nhat: "1",
  hai: "2",
  ba: "3",
  tu: "4",
  nam: "5",
  sau: "6",
  bay: "7",
};

/**
 * "thứ nhất", "đầu tiên", "thứ hai", "thứ 3": people point at numbered items by their rank, the
 * documents by their number ("1.", "2."), so the number is added to the question.
 */
function addOrdinals(syllables: Syllable[]): void {
  const extra: string[] = [];
  for (let i = 0; i + 1 < syllables.length; i++) {
    const a = syllables[i]?.folded;
    const b = syllables[i + 1]?.folded ?? "";
    if (a === "dau" && b === "tien") extra.push("1");
    else if (a === "thu" && (ORDINALS[b] || /^\d{1,2}$/.test(b))) extra.push(ORDINALS[b] ?? b);
  }
  for (const n of extra) syllables.push({ word: n, folded: n });
}

/** Raw token → syllables; documents repeat their words, so this is cached (bounded). */
const tokenCache = [new Map<string, Syllable[]>(), new Map<string, Syllable[]>()];
const TOKEN_CACHE_MAX = 200_000;

function tokenSyllables(raw: string, chat: boolean): Syllable[] {
  const cache = tokenCache[chat ? 1 : 0] as Map<string, Syllable[]>;
  let hit = cache.get(raw);
  if (hit) return hit;
  const expansion = casedMap.get(raw) ?? expandLower(raw, chat);
  const words = expansion ?? [canonicalTone(raw.toLowerCase())];
  hit = words.map((word) => ({ word, folded: fold(word) }));
  if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
  cache.set(raw, hit);
  return hit;
}

function expandLower(raw: string, chat: boolean): string[] | undefined {
  const key = canonical(raw);
  const hit = lowerMap.get(key);
  if (!hit) return undefined;
  if (!chat && isChatOnly(key)) return undefined;
  return hit;
}

const chatOnly = new Set(entries.filter((e) => e.chat).flatMap((e) => e.abbr.map((a) => canonical(a))));
function isChatOnly(key: string): boolean {
  return chatOnly.has(key);
}

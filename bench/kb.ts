/**
 * The multi-document benchmark: the plan plus ../shared/knowledge-related (the laws and decrees a
 * province adds beside it), questions of bench/questions/kb-dev.jsonl (tuning) and kb-test.jsonl
 * (held out). Beside the bot, in the same run, a plain paragraph BM25 that never refuses (one unit
 * per blank-line paragraph of the files as received). Every citation the bot shows is checked
 * against the files themselves: the article it names must be the article its passage stands in.
 *
 * `tsx bench/kb.ts --dev` prints the dev figures and the dev misses (for tuning; never the test set).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Citation } from "../src/answer/citations.js";
import { percentile } from "../src/eval/metrics.js";
import {
  citedArticle,
  type EvalQuestion,
  evaluateQuestions,
  type GoldPlace,
  normaliseForMatch,
  type QuestionReport,
  readQuestions,
  summarise,
} from "../src/eval/question-eval.js";
import { loadKnowledge } from "../src/knowledge/loader.js";
import { indexInMemory } from "../src/search/index-store.js";
import type { KnowledgeIndex } from "../src/search/knowledge-index.js";
import { type Retriever, retrieverOf } from "../src/search/retriever.js";
import { fold } from "../src/text/vietnamese.js";
import { ReferenceBm25 } from "./reference-bm25.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const RELATED = join(ROOT, "..", "shared", "knowledge-related");
const QUESTIONS = join(ROOT, "bench", "questions");

/** A paragraph of a file as received, with the article it stands in (the document's own number). */
export interface RawUnit {
  file: string;
  article?: string;
  text: string;
  /** Normalised text, for locating passages. */
  norm: string;
}

const ARTICLE_HEADING = /^Điều\s+([0-9A-Za-zĐđ.]+?)\.(?:\s|$)/u;
const SOURCE_LINE = /^\(Điều\s+(\d+[a-zđ]?)\s/u;

/**
 * Blank-line paragraphs of a file, each with its article: a heading `Điều 44.13.LQ.63.` is the
 * document's Điều 63 (the source line under it says so and wins when present), `Điều 2.` is 2.
 * Deliberately independent of src/knowledge, so it can check the structure parser.
 */
export function rawUnits(file: string, text: string): RawUnit[] {
  const paras = text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const out: RawUnit[] = [];
  let article: string | undefined;
  paras.forEach((p, i) => {
    const plain = p.replace(/[*|]/g, "").trim();
    const heading = ARTICLE_HEADING.exec(plain);
    if (heading?.[1]) {
      const parts = heading[1].split(".").filter((x) => /^\d+[a-zđ]?$/u.test(x));
      article = parts[parts.length - 1] ?? article;
      const source = SOURCE_LINE.exec((paras[i + 1] ?? "").trim());
      if (source?.[1]) article = source[1];
    }
    out.push({ file, article, text: p, norm: normaliseForMatch(p) });
  });
  return out;
}

/**
 * Where a passage of `file` stands in the file as received: the paragraph its opening words are
 * in, the opening taken longer until one paragraph alone has it (many clauses open alike: "1. Cán
 * bộ, công chức, viên chức, người lao động…"); a passage joining a lead-in to its items spans
 * several paragraphs, so the opening stops growing when no paragraph has it any more.
 */
export function locate(
  units: readonly RawUnit[],
  file: string,
  passageText: string,
  leadIn?: string,
): RawUnit | undefined {
  const words = normaliseForMatch(passageText).split(" ");
  let candidates: RawUnit[] | undefined;
  for (const n of [4, 6, 10, 16, 24, 40]) {
    const head = words.slice(0, n).join(" ");
    const found = (candidates ?? units.filter((u) => u.file === file)).filter((u) => u.norm.includes(head));
    if (found.length === 0) break;
    candidates = found;
    if (found.length === 1 || n >= words.length) break;
  }
  if (candidates && candidates.length > 1 && leadIn) {
    // The same item under two lists (two articles repeat "c) Xem xét, giải quyết kịp thời…"):
    // the one after its own lead-in.
    const lead = locate(units, file, leadIn);
    const at = lead ? units.indexOf(lead) : -1;
    const after = candidates.find((u) => units.indexOf(u) > at);
    if (at >= 0 && after) return after;
  }
  if (candidates && candidates.length > 1) {
    // A subheading that several articles share ("3. Chế độ báo cáo"): the line after it decides.
    const rest = passageText.split("\n").slice(1).join("\n");
    const next = rest ? locate(units, file, rest) : undefined;
    if (next) {
      const at = units.indexOf(next);
      const before = candidates.filter((u) => units.indexOf(u) <= at);
      if (before.length > 0) return before[before.length - 1];
    }
  }
  return candidates?.[0];
}

/** The knowledge folder of the benchmark: the plan (with its metadata) and the related files. */
async function kbFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kb-bench-"));
  for (const f of await readdir(join(ROOT, "knowledge"))) {
    if (f.toLowerCase() === "readme.md") continue;
    await symlink(join(ROOT, "knowledge", f), join(dir, f));
  }
  for (const f of await readdir(RELATED))
    if (f.endsWith(".txt")) await symlink(join(RELATED, f), join(dir, f));
  return dir;
}

export interface KbBench {
  retriever: Retriever;
  index: KnowledgeIndex;
  units: RawUnit[];
  peer: ReferenceBm25;
  buildMs: number;
}

export async function openKbBench(): Promise<KbBench> {
  const dir = await kbFolder();
  const { documents } = await loadKnowledge(dir);
  const t0 = performance.now();
  const loaded = await indexInMemory(documents);
  const buildMs = performance.now() - t0;
  const units: RawUnit[] = [];
  for (const d of documents) {
    const text = await readFile(join(dir, d.source), "utf8");
    units.push(...rawUnits(basename(d.source), text));
  }
  return {
    retriever: retrieverOf(loaded),
    index: loaded.index,
    units,
    peer: new ReferenceBm25(units.map((u) => u.text)),
    buildMs,
  };
}

/**
 * A raw paragraph is a gold place when it is in the file and article and holds the phrase (at the
 * article level, the article alone decides when the gold names one).
 */
function unitMatches(gold: readonly GoldPlace[], u: RawUnit, articleLevel = false): boolean {
  return gold.some(
    (g) =>
      g.file === u.file &&
      (g.article === undefined || g.article === u.article) &&
      ((articleLevel && g.article !== undefined) ||
        g.phrase === undefined ||
        u.norm.includes(normaliseForMatch(g.phrase))),
  );
}

/** The paragraph BM25 peer: never refuses, hit@k on the same gold places. */
export function peerReport(b: KbBench, questions: readonly EvalQuestion[]) {
  const answerable = questions.filter((q) => q.expect === "answer");
  const ranks = answerable.map((q) => {
    const top = b.peer.search(q.question, 5);
    return {
      q,
      rank: top.findIndex((i) => unitMatches(q.gold, b.units[i] as RawUnit)) + 1,
      articleRank: top.findIndex((i) => unitMatches(q.gold, b.units[i] as RawUnit, true)) + 1,
    };
  });
  const at = (k: number, rs = ranks) =>
    rs.length === 0 ? 0 : rs.filter((r) => r.rank > 0 && r.rank <= k).length / rs.length;
  const styles = [...new Set(answerable.map((q) => q.style ?? "other"))];
  return {
    hit1: at(1),
    hit3: at(3),
    hit5: at(5),
    articleHit3:
      ranks.length === 0
        ? 0
        : ranks.filter((r) => r.articleRank > 0 && r.articleRank <= 3).length / ranks.length,
    byStyle: Object.fromEntries(
      styles.map((s) => [
        s,
        at(
          3,
          ranks.filter((r) => (r.q.style ?? "other") === s),
        ),
      ]),
    ),
  };
}

export interface CitationCheck {
  checked: number;
  wrongArticle: { question: string; cited: string; actual: string | undefined; section: string }[];
  unlocated: number;
}

/** The bot's report on a question set, with every shown citation checked against the files. */
export async function botReport(
  b: KbBench,
  questions: readonly EvalQuestion[],
): Promise<{ report: QuestionReport; check: CitationCheck }> {
  const check: CitationCheck = { checked: 0, wrongArticle: [], unlocated: 0 };
  const report = await evaluateQuestions(b.retriever, questions, (q, citations: Citation[]) => {
    for (const c of citations.slice(0, 3)) {
      const passage = b.index.passage(c.passageId);
      const file = b.index.documents.find((d) => d.id === c.documentId)?.source;
      if (!passage || !file) continue;
      check.checked += 1;
      const unit = locate(b.units, basename(file), passage.text, passage.leadIn);
      if (!unit) {
        check.unlocated += 1;
        continue;
      }
      const cited = citedArticle(passage);
      if (cited !== undefined && cited !== unit.article && !standsIn(b.units, basename(file), cited, passage))
        check.wrongArticle.push({ question: q.id, cited, actual: unit.article, section: c.section });
    }
  });
  return { report, check };
}

/**
 * True when the cited article of the file holds the passage's words too (and its lead-in's): the
 * same item stands in two articles ("a) Niêm yết thông tin;" under "Các hình thức công khai thông
 * tin bao gồm:" in Điều 12 and Điều 65), and citing either is right.
 */
function standsIn(
  units: readonly RawUnit[],
  file: string,
  article: string,
  passage: { text: string; leadIn?: string },
): boolean {
  const opening = (text: string) => normaliseForMatch(text).split(" ").slice(0, 12).join(" ");
  const inArticle = units.filter((u) => u.file === file && u.article === article);
  const has = (text: string) => inArticle.some((u) => u.norm.includes(opening(text)));
  return has(passage.text) && (!passage.leadIn || has(passage.leadIn));
}

export const byStyle = (r: QuestionReport) => {
  const styles = [...new Set(r.outcomes.filter((o) => o.expect === "answer").map((o) => o.style ?? "other"))];
  return Object.fromEntries(
    styles.map((s) => [
      s,
      summarise(r.outcomes.filter((o) => o.expect === "answer" && (o.style ?? "other") === s)),
    ]),
  );
};

export async function readKbQuestions(
  set: "dev" | "dev2" | "dev3" | "test",
): Promise<EvalQuestion[] | undefined> {
  const path = join(QUESTIONS, `kb-${set}.jsonl`);
  return existsSync(path) ? readQuestions(path) : undefined;
}

const f3 = (x: number) => x.toFixed(3);

/** Prints the dev figures and misses (tuning aid). */
async function printDev(): Promise<void> {
  const b = await openKbBench();
  // Tuning aids: `--article-weight 0.5` tries another article weight on the dev set,
  // `--per-article 1` another PER_ARTICLE.
  const aw = process.argv.indexOf("--article-weight");
  if (aw >= 0) b.index.articleWeight = Number(process.argv[aw + 1]);
  const dw = process.argv.indexOf("--definition-weight");
  if (dw >= 0) b.index.definitionWeight = Number(process.argv[dw + 1]);
  const qw = process.argv.indexOf("--quoted-weight");
  if (qw >= 0) b.index.quotedWeight = Number(process.argv[qw + 1]);
  const pa = process.argv.indexOf("--per-article");
  if (pa >= 0) b.index.perArticle = Number(process.argv[pa + 1]);
  if (process.argv.includes("--no-vectors")) b.index.setVectorWeights({ cosine: 0, lead: 0 });
  if (process.argv.includes("--no-aliases")) b.index.setLexiconWeights({ expansion: 0.5, aliases: 0 });
  if (process.argv.includes("--no-lexicon")) b.index.setLexiconWeights({ expansion: 0, aliases: 0 });
  // `--open`: nothing refused, to judge the ranking alone.
  if (process.argv.includes("--open")) b.index.setPolicy({ minCoverage: 0, partialCoverage: 0 });
  const set = process.argv.includes("--dev3") ? "dev3" : process.argv.includes("--dev2") ? "dev2" : "dev";
  const read = await readKbQuestions(set);
  if (!read) throw new Error(`bench/questions/kb-${set}.jsonl is missing`);
  // `--fold`: the same questions typed without diacritics.
  const dev = process.argv.includes("--fold")
    ? read.map((q) => ({ ...q, question: fold(q.question) }))
    : read;
  const { report, check } = await botReport(b, dev);
  const peer = peerReport(b, dev);
  const g = report.grades;
  console.log(
    `dev: hit@1 ${f3(report.hit1)} hit@3 ${f3(report.hit3)} hit@5 ${f3(report.hit5)} (peer hit@3 ${f3(peer.hit3)}); article level hit@3 ${f3(report.articleHit3)} (peer ${f3(peer.articleHit3)})`,
  );
  console.log(
    `answerable: answered ${g.answerable.answered} partial ${g.answerable.partial} not found ${g.answerable.not_found}; unanswerable: answered ${g.unanswerable.answered} partial ${g.unanswerable.partial} not found ${g.unanswerable.not_found}`,
  );
  console.log(
    `median excerpt ${percentile(
      report.outcomes.flatMap((o) => o.excerptChars),
      50,
    )} chars; citations checked ${check.checked}, wrong article ${check.wrongArticle.length}, unlocated ${check.unlocated}; build ${(b.buildMs / 1000).toFixed(1)} s`,
  );
  for (const [s, r] of Object.entries(byStyle(report)))
    console.log(`  ${s}: hit@3 ${f3(r.hit3)} (${r.answerable}), peer ${f3(peer.byStyle[s] ?? 0)}`);
  for (const w of check.wrongArticle.slice(0, 10)) console.log("  wrong article:", JSON.stringify(w));
  const verbose = process.argv.includes("--verbose");
  for (const o of report.outcomes) {
    const q = dev.find((x) => x.id === o.id) as EvalQuestion;
    const miss = o.expect === "answer" ? o.hitRank === 0 || o.hitRank > 3 : o.grade === "answered";
    if (!miss && !verbose) continue;
    const r = await b.retriever.search(q.question, 3);
    console.log(
      `${miss ? "MISS" : "ok  "} ${o.id} [${o.style ?? o.topic}] ${o.grade} cov ${o.coverage.toFixed(2)} rank ${o.hitRank}: ${q.question}`,
    );
    if (o.expect === "answer") console.log(`     gold ${JSON.stringify(q.gold)}`);
    for (const h of r.hits)
      console.log(
        `     → ${h.document.source} ${h.passage.sectionPath.join(" › ").slice(0, 80)} | ${h.passage.text.slice(0, 90)}`,
      );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes("--dev")) {
  await printDev();
}

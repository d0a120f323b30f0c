/**
 * Structure on real files: the plan and the laws and decrees in ../shared/knowledge-related, as
 * they came (codification numbers, source lines, cross-reference notes, conversion residue). The
 * articles are parsed here independently of the chunker, from the raw text.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chunkDocument } from "../../src/knowledge/structure.js";
import type { Passage } from "../../src/knowledge/types.js";

const RELATED = new URL("../../../shared/knowledge-related/", import.meta.url).pathname;
const PLAN = new URL("../../knowledge/000_3cba0417107b8cbb.txt", import.meta.url).pathname;

const squash = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

/** The lines of a passage as they stand in the document (a grouped list puts items on lines). */
const linesOf = (p: Passage) =>
  p.text
    .split("\n")
    .map((l) => squash(l.replace(/^- /, "")))
    .filter(Boolean);

/** "Điều 63" in a section path → "63". */
const articleIn = (p: Passage) => p.sectionPath.map((l) => /^Điều (\d+[a-zđ]?)$/u.exec(l)?.[1]).find(Boolean);

interface Article {
  heading: string;
  /** The number its source line gives. */
  source: string;
  body: string;
}

/**
 * Articles of a codified file, read from the raw text: "Điều 44.13.LQ.63. …", its source line
 * "(Điều 63 Luật số …)", and the body up to the next article, chapter or section heading.
 */
function codifiedArticles(raw: string): Map<string, Article> {
  const articles = new Map<string, Article>();
  let current: { heading: string; source?: string; lines: string[] } | undefined;
  const close = () => {
    if (!current) return;
    expect(current.source, `source line under ${current.heading}`).toBeDefined();
    const source = current.source as string;
    expect(articles.has(source), `one article numbered ${source}`).toBe(false);
    articles.set(source, { heading: current.heading, source, body: squash(current.lines.join(" ")) });
  };
  for (const line of raw.normalize("NFC").split("\n")) {
    const t = line.trim();
    if (/^Điều \d+(\.[\dA-ZĐ]+)+\. /u.test(t)) {
      close();
      current = { heading: t, lines: [] };
      continue;
    }
    if (/^(Chương|Mục|Tiểu mục) [IVXLC\d]+$/u.test(t)) {
      close();
      current = undefined;
      continue;
    }
    if (!current || t.length === 0) continue;
    const source = /^\(Điều (\d+[a-zđ]?) (Luật|Nghị định|Nghị quyết liên tịch) số /u.exec(t);
    if (source && current.source === undefined && current.lines.length === 0) {
      current.source = source[1];
      continue;
    }
    current.lines.push(t);
  }
  close();
  return articles;
}

/** The articles of the Cần Thơ decision and of the Quy định it issues, from the raw text. */
function decisionArticles(raw: string): { decision: Map<string, string>; rules: Map<string, string> } {
  const clean = raw
    .normalize("NFC")
    .replace(/\*+/g, " ")
    .replace(/(^|\s)\|(?=\s|$)/gm, " ");
  const at = clean.search(/\n\s*QUY ĐỊNH\s*\n/u);
  const split = (part: string) => {
    const out = new Map<string, string>();
    const pieces = part.split(/\n\s*Điều (\d+)\.\s/u);
    for (let i = 1; i < pieces.length; i += 2) out.set(pieces[i] as string, squash(pieces[i + 1] ?? ""));
    return out;
  };
  return { decision: split(clean.slice(0, at)), rules: split(clean.slice(at)) };
}

/**
 * What must never be in a quoted passage. `opening` allows the document's opening paragraph to
 * end with ":" ("… xây dựng kế hoạch thực hiện như sau:"): it introduces the whole document.
 */
function expectClean(p: Passage, opening = false): void {
  const where = `${p.id}: ${p.text.slice(0, 80)}`;
  expect(p.text, where).not.toContain("(Điều này có nội dung liên quan");
  expect(p.text, where).not.toMatch(
    /\(Điều \d+[a-zđ]? (Luật|Nghị định|Nghị quyết liên tịch|Nghị quyết) số /u,
  );
  expect(p.text, where).not.toMatch(/(^|\s)\|(\s|$)/);
  expect(p.text, where).not.toContain("**");
  expect(p.text, where).not.toMatch(/\.docx?$/);
  expect(p.text.normalize("NFC"), where).toBe(p.text);
  // A heading alone: capitals only, a bare structural heading, or a short line with no sentence in it.
  const t = p.text.trim();
  expect(t === t.toUpperCase(), where).toBe(false);
  expect(t, where).not.toMatch(/^(Chương|Mục|Phần|Điều)\s+[\dIVXLC][\d.A-ZĐ]*\.?(\s+[^.;:!?…]*)?$/u);
  expect(t.length < 100 && !/[.;:!?…]/u.test(t), where).toBe(false);
  // A list's lead-in is never quoted without its list.
  if (!(opening && p.sectionPath.length === 0)) expect(t, where).not.toMatch(/:$/);
}

const CODIFIED = [
  "luat-10-2022-qh15.txt",
  "luat-75-2015-qh13-mttq.txt",
  "nd-59-2023-nd-cp.txt",
  "nd-61-2023-nd-cp.txt",
  "nqlt-403-2017.txt",
];

describe.skipIf(!existsSync(RELATED))(
  "the related documents in ../shared/knowledge-related (skipped when that folder is absent)",
  () => {
    const files = existsSync(RELATED) ? readdirSync(RELATED).filter((f) => f.endsWith(".txt")) : [];
    const chunked = (f: string) => {
      const raw = readFileSync(join(RELATED, f), "utf8");
      return { raw, passages: chunkDocument("x", "T", raw) };
    };

    it("are the six files this test knows", () => {
      expect(files.sort()).toEqual([...CODIFIED, "qd-2579-2025-ubnd-cantho.txt"].sort());
    });

    describe.each(CODIFIED)("%s", (f) => {
      const { raw, passages } = chunked(f);
      const articles = codifiedArticles(raw);

      it("cites every passage under the article it stands in, by the source line's number", () => {
        expect(articles.size).toBeGreaterThan(20);
        for (const p of passages) {
          const n = articleIn(p);
          expect(n, `${p.id} has an article`).toBeDefined();
          const article = articles.get(n as string);
          expect(article, `${p.id}: Điều ${n} exists`).toBeDefined();
          for (const line of linesOf(p))
            expect(article?.body, `${p.id} (${p.sectionPath.join(" › ")}): ${line.slice(0, 60)}`).toContain(
              line,
            );
        }
        // Every article is quotable, and none is cited under another number.
        expect(new Set(passages.map(articleIn))).toEqual(new Set(articles.keys()));
      });

      it("keeps codification notes, residue and bare headings out of every passage", () => {
        for (const p of passages) expectClean(p);
      });

      it("names chapters with their titles, and articles by their own number with their titles in the headings", () => {
        const first = passages[0] as Passage;
        if (f.startsWith("luat-")) expect(first.sectionPath[0]).toBe("Chương I. NHỮNG QUY ĐỊNH CHUNG");
        const n = articleIn(first) as string;
        expect(first.headings).toContain(`Điều ${n}. ${articles.get(n)?.heading.replace(/^Điều \S+ /u, "")}`);
      });
    });

    describe("qd-2579-2025-ubnd-cantho.txt (converted from an office file)", () => {
      const { raw, passages } = chunked("qd-2579-2025-ubnd-cantho.txt");
      const { decision, rules } = decisionArticles(raw);

      it("cites every passage under the article it stands in, the decision's or the Quy định's", () => {
        expect(decision.size).toBe(4);
        expect(rules.size).toBe(10);
        for (const p of passages) {
          const n = articleIn(p);
          if (n === undefined) {
            // Only the preamble ("Căn cứ …") is outside an article, in "phần mở đầu".
            expect(p.sectionPath, p.id).toEqual([]);
            expect(p.text).toMatch(/^(Căn cứ|Theo đề nghị)/u);
            continue;
          }
          const body = (p.sectionPath[0] === "Quy định" ? rules : decision).get(n);
          for (const line of linesOf(p)) expect(body, `${p.id}: ${line.slice(0, 60)}`).toContain(line);
        }
      });

      it("leaves out the header block, the signature and the residue", () => {
        for (const p of passages) expectClean(p);
        const all = passages.map((p) => p.text).join("\n");
        for (const gone of [
          "CỘNG HÒA",
          "Độc lập - Tự do",
          "Số: 2579",
          "Nơi nhận",
          "Trương Cảnh Tuyên",
          "Lưu: VT",
        ])
          expect(all).not.toContain(gone);
      });

      it("joins lines broken in mid-sentence and headings broken over lines", () => {
        expect(
          passages.some((p) => p.text.includes("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6")),
        ).toBe(true);
        expect(passages.some((p) => p.text.includes("quốc phòng - an ninh; trên cơ sở đánh giá"))).toBe(true);
        expect(
          passages.find((p) => p.text.includes("Xét tối đa 15 tập thể"))?.sectionPath.slice(0, 2),
        ).toEqual(["Quy định", "Chương III. KHEN THƯỞNG"]);
        expect(
          passages.some((p) =>
            p.sectionPath.includes("Chương II. TIÊU CHÍ, THANG ĐIỂM VÀ PHƯƠNG PHÁP ĐÁNH GIÁ, XẾP LOẠI"),
          ),
        ).toBe(true);
      });
    });
  },
);

describe("the plan", () => {
  const passages = chunkDocument("kh", "T", readFileSync(PLAN, "utf8"));

  it("quotes no heading alone and no lead-in without its list", () => {
    for (const p of passages) expectClean(p, true);
  });

  it("gives the list split from its lead-in the lead-in to show", () => {
    const items = passages.filter((p) => p.sectionPath[1] === "2" && p.sectionPath[0]?.startsWith("II."));
    expect(items.map((p) => p.sectionPath[2])).toEqual([
      "gạch đầu dòng 1",
      "gạch đầu dòng 2",
      "gạch đầu dòng 3",
    ]);
    for (const p of items)
      expect(p.leadIn).toBe("2. Tập trung làm tốt công tác dân vận của các cơ quan Nhà nước, trọng tâm là:");
  });
});

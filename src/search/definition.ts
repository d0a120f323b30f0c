/**
 * Questions asking what something is ("Hương ước, quy ước của cộng đồng dân cư được hiểu là gì?",
 * "phan bien xa hoi cua mat tran la gi") are answered by a definition, which Vietnamese legal and
 * administrative texts write one way: the term, then "là" ("1. Cơ sở là xã, phường, thị trấn…").
 * This finds the term a question asks about and whether a passage opens by defining it.
 */
import { fold } from "../text/vietnamese.js";

const words = (s: string) => fold(s.toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * "… là gì", "… là tổ chức gì", "… là cơ quan nào", "… được hiểu là gì", "… được hiểu như thế
 * nào", "khái niệm …", "thế nào là …".
 */
const KIND = "(?:to chuc|co quan|van ban|hinh thuc|loai|nguoi|chuc danh)";
const ASKS_AFTER = new RegExp(
  `^(.*?)\\s+(?:duoc hieu|duoc dinh nghia|co nghia|nghia)?\\s*(?:la gi|la cai gi|la ${KIND} (?:gi|nao)|nhu the nao|the nao|la sao)\\b`,
  "u",
);
const ASKS_BEFORE = /^(?:.*?\b)?(?:khai niem|dinh nghia|the nao la|the nao duoc goi la)\s+(.+)$/u;
/** Words that open a question without being part of the term ("theo Luật …", "cho hỏi"). */
const LEADING = /^(?:cho (?:toi |em |minh )?hoi|xin hoi|theo [^,]+,)\s*/u;

/**
 * The folded words of the term a question asks to be defined, or undefined when it asks something
 * else. A term in quotation marks wins ("“cơ sở” được hiểu gồm…").
 */
export function definedTerm(question: string): string[] | undefined {
  const quoted = /[“"«‘']([^”"»’']{2,60})[”"»’']/u.exec(question)?.[1];
  const q = words(question).join(" ");
  if (
    !/\b(?:la gi|la cai gi|duoc hieu|khai niem|dinh nghia|the nao la|co nghia|nghia la)\b/u.test(q) &&
    !new RegExp(`\\bla ${KIND} (?:gi|nao)\\b`, "u").test(q)
  )
    return undefined;
  if (quoted) return words(quoted);
  const before = ASKS_BEFORE.exec(q)?.[1];
  const after = ASKS_AFTER.exec(q)?.[1];
  const term = (before ?? after ?? "").replace(LEADING, "").trim();
  const w = term.split(" ").filter((x) => x.length > 0);
  return w.length > 0 && w.length <= 12 ? w : undefined;
}

/**
 * True when `text`, or one of its lines, opens by defining the term: its words before the first
 * "là" (after a list number) are mostly the term's ("Hương ước, quy ước của cộng đồng dân cư (sau đây gọi chung…)
 * là…"), and they start the same way.
 */
export function definesTerm(text: string, term: readonly string[]): boolean {
  // A list kept in one passage has an item per line: any item may be the definition.
  // A clause may define it too, after a preamble ("Kế thừa vai trò lịch sử…, Mặt trận Tổ quốc
  // Việt Nam là tổ chức liên minh chính trị…").
  return text
    .split("\n")
    .some(
      (line) =>
        opensWithDefinition(line, term) ||
        line.split(/[,;]\s+/u).some((clause, i) => i > 0 && opensWithDefinition(clause, term)),
    );
}

function opensWithDefinition(line: string, term: readonly string[]): boolean {
  const opening = words(line.replace(/^\s*(?:\d{1,3}|[a-zđ])[.)]\s*/u, "")).slice(0, 16);
  const at = opening.indexOf("la");
  if (at <= 0) return false;
  const lead = opening.slice(0, at);
  if (lead[0] !== term[0]) return false;
  const inTerm = new Set(term);
  const shared = lead.filter((w) => inTerm.has(w)).length;
  return shared / lead.length >= 0.6 && shared >= Math.min(term.length, 2) * 0.5;
}

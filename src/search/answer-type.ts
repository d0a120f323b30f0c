/**
 * What kind of answer a question asks for, and whether a passage can hold it. "Nghị quyết 25 có
 * mấy chương?" shares every topic word with the plan, but the plan never counts chapters: a
 * question asking for a quantity needs a number next to the thing counted, one asking "when"
 * needs a date. Other questions are not checked.
 */
import { fold } from "../text/vietnamese.js";

const NUMBER_WORDS = new Set(
  "mot hai ba bon tu nam sau bay tam chin muoi muoi tram nghin ngan trieu ty nua".split(" "),
);
const ROMAN = /^[ivxlc]+$/;
const DATE =
  /\b\d{1,2}\/\d{1,2}(\/\d{2,4})?\b|\bnam \d{4}\b|\bngay \d{1,2}\b|\bthang \d{1,2}\b|\b(19|20)\d{2}\b/;
const ASKS_DATE =
  /\b(ngay nao|ngay bao nhieu|khi nao|bao gio|nam nao|thoi gian nao|luc nao|thoi diem nao|hom nao)\b/;
/**
 * "mấy chương", "bao nhiêu trang". Questions with the count after the noun ("khóa mấy", "Trung
 * ương lần thứ mấy") are not checked: the noun there is often a phrase the text words differently.
 */
const ASKS_COUNT_AFTER = /\b(?:may|bao nhieu)\s+(\p{L}+)/u;
/** Words after "bao nhiêu" that do not name what is counted. */
const NOT_A_UNIT = new Set(["la", "thi", "vay", "the", "a", "nhi", "ha", "khong", "con", "duoc", "roi"]);

export type AnswerType = { kind: "date" } | { kind: "count"; unit: string } | { kind: "any" };

const tokens = (s: string) => fold(s.toLowerCase()).match(/[\p{L}\p{N}/]+/gu) ?? [];

/** What the question asks for, read from its folded words. */
export function answerType(question: string): AnswerType {
  const q = tokens(question).join(" ");
  if (ASKS_DATE.test(q)) return { kind: "date" };
  const after = ASKS_COUNT_AFTER.exec(q)?.[1];
  if (after && !NOT_A_UNIT.has(after)) return { kind: "count", unit: after };
  return { kind: "any" };
}

/** True when the passage contains what the question asks for (always true for other questions). */
export function canAnswer(type: AnswerType, passage: string): boolean {
  if (type.kind === "any") return true;
  const words = tokens(passage);
  if (type.kind === "date") return DATE.test(words.join(" "));
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== type.unit) continue;
    // A number just before the unit ("06 tháng", "sáu mươi ngày") or just after it ("khoá XI",
    // "lần thứ XVI"), not one further on ("chương trình số 33" counts no chapters).
    const before = [words[i - 1], words[i - 2]];
    const after = words[i + 1] === "thu" || words[i + 1] === "so" ? words[i + 2] : words[i + 1];
    if ([...before, after].some((w) => w !== undefined && isNumber(w))) return true;
  }
  return false;
}

function isNumber(w: string): boolean {
  return /^\d/.test(w) || NUMBER_WORDS.has(w) || (ROMAN.test(w) && w.length <= 5);
}

/**
 * What kind of answer a question asks for, and whether a passage can hold it. "Nghị quyết 25 có
 * mấy chương?" shares every topic word with the plan, but the plan never counts chapters: a
 * question asking for a quantity needs a number next to the thing counted, one asking "when"
 * needs a date, "where" a named place, "who signed" a person's name. Other questions are not checked.
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

/** "ở đâu", "tỉnh nào": the answer is a named place. */
// ("quận nào" is left out: folded it is "quan nao", as in "cơ quan nào".)
const ASKS_PLACE = /\b(o dau|tai dau|cho nao|noi nao|(?:tinh|huyen|xa|phuong|thanh pho|nuoc) nao)\b/;
/**
 * "Ai ký…", "Ai là Bí thư…", "Trưởng ban là ai?", "gồm những ai": the answer is a person's name.
 * "Những ai phải…" asks for groups ("cấp ủy, chính quyền…") and is not checked.
 */
const ASKS_PERSON =
  /\b(?:ai ky|nguoi ky|gom nhung ai|ai la (?:bi thu|chu tich|truong|pho|giam doc)|(?:bi thu|chu tich|truong|giam doc)\b.* la ai)\b/;
/** Common Vietnamese family names: a person's name starts with one. */
const FAMILY_NAMES = new Set(
  "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh doan lam mai truong ha cao luu ta quach".split(
    " ",
  ),
);
/** Words that name a kind of place, before its proper name ("tỉnh Lâm Đồng", "tại Hà Nội"). */
const PLACE_WORDS = new Set(["tinh", "huyen", "xa", "phuong", "thanh", "quan", "tai", "o", "thi"]);

export type AnswerType =
  | { kind: "date" }
  | { kind: "money" }
  | { kind: "count"; unit: string }
  | { kind: "place" }
  | { kind: "person" }
  | { kind: "any" };

const tokens = (s: string) => fold(s.toLowerCase()).match(/[\p{L}\p{N}/]+/gu) ?? [];
/** A question's folded words, with the chat shorthand of "bao nhiêu" ("bn") spelled out. */
const questionWords = (s: string) => tokens(s).flatMap((w) => (w === "bn" ? ["bao", "nhieu"] : [w]));

/** Units that make a count a sum of money ("bao nhiêu tiền", "mấy triệu"). */
const MONEY_UNITS = new Set(["tien", "dong", "trieu", "ty", "nghin", "ngan", "phi"]);
/** An amount of money in a passage: "1.000.000 đồng", "02 triệu", "năm trăm nghìn đồng". */
const MONEY =
  /\b(?:\d[\d.,]*|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|tram)\s*(?:dong|trieu|ty|nghin|ngan)\b/;
/** "phạt tiền bao nhiêu": the thing counted stands before the question word. */
const ASKS_COUNT_BEFORE = /\b(\p{L}+)\s+(?:bao nhieu|may)\s*$/u;

/** What the question asks for, read from its folded words. */
export function answerType(question: string): AnswerType {
  const q = questionWords(question).join(" ");
  if (ASKS_DATE.test(q)) return { kind: "date" };
  const after = ASKS_COUNT_AFTER.exec(q)?.[1];
  // Before the question word only money is read ("phạt tiền bao nhiêu"): other nouns there ("khóa
  // mấy", "mức lương là bao nhiêu") are often worded otherwise in the text.
  const before = ASKS_COUNT_BEFORE.exec(q)?.[1];
  if ((after && MONEY_UNITS.has(after)) || (before && MONEY_UNITS.has(before))) return { kind: "money" };
  if (after && !NOT_A_UNIT.has(after)) return { kind: "count", unit: after };
  if (ASKS_PLACE.test(q)) return { kind: "place" };
  if (ASKS_PERSON.test(q)) return { kind: "person" };
  return { kind: "any" };
}

/** True when the passage contains what the question asks for (always true for other questions). */
export function canAnswer(type: AnswerType, passage: string): boolean {
  if (type.kind === "any") return true;
  if (type.kind === "place" || type.kind === "person") return hasName(passage, type.kind);
  const words = tokens(passage);
  if (type.kind === "date") return DATE.test(words.join(" "));
  if (type.kind === "money") return MONEY.test(words.join(" "));
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

/**
 * A proper name in the passage: for a place, capitalised words after a place word ("tỉnh Lâm
 * Đồng", "tại Hà Nội"); for a person, two or more capitalised words starting with a family name
 * ("Nguyễn Văn Linh"). Capitalised institutions ("Ban Thường vụ Tỉnh ủy") are neither.
 */
function hasName(passage: string, kind: "place" | "person"): boolean {
  const words = passage.normalize("NFC").match(/[\p{L}]+/gu) ?? [];
  const capital = (w: string | undefined) => w !== undefined && /^\p{Lu}\p{Ll}*$/u.test(w);
  for (let i = 0; i + 1 < words.length; i++) {
    const w = words[i] as string;
    const key = fold(w.toLowerCase());
    if (
      kind === "place" &&
      PLACE_WORDS.has(key) &&
      !capital(w) &&
      capital(words[i + 1]) &&
      capital(words[i + 2])
    ) {
      // "tỉnh Lâm Đồng": two capitalised syllables; "Tỉnh ủy" (capital place word) is an institution.
      return true;
    }
    if (
      kind === "person" &&
      capital(w) &&
      FAMILY_NAMES.has(key) &&
      capital(words[i + 1]) &&
      capital(words[i + 2])
    ) {
      return true;
    }
  }
  return false;
}

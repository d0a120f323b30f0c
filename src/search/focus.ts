/**
 * The thing a question asks for: the noun just before its question word ("bằng những hình thức
 * nào" → "hình thức", "có những nghĩa vụ gì" → "nghĩa vụ", "có quyền gì" → "quyền"). Laws title
 * their articles by that noun ("Hình thức giám sát", "Nghĩa vụ của công dân…"), so an article
 * whose title has it is the likelier answer among articles sharing the question's other words.
 */
import { fold } from "../text/vietnamese.js";

const QUESTION_WORDS = new Set(["nao", "gi", "j"]);
/** Words between the noun and the question word, or before the noun, that are not the noun. */
const DETERMINERS = new Set([
  "nhung",
  "cac",
  "cai",
  "la",
  "co",
  "duoc",
  "theo",
  "bang",
  "voi",
  "ve",
  "nay",
  "do",
]);

/** "khi nào", "ngày nào", "chỗ nào": questions of time or place name no thing. */
const TIME_OR_PLACE = new Set(["khi", "luc", "hoi", "ngay", "nam", "thang", "cho", "noi", "dau"]);

/** The folded syllables (one or two) of the noun a question asks for, or undefined. */
export function focusOf(question: string): string[] | undefined {
  const w = fold(question.toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? [];
  const at = w.findIndex((x, i) => QUESTION_WORDS.has(x) && i > 0);
  if (at < 0) return undefined;
  if (TIME_OR_PLACE.has(w[at - 1] as string)) return undefined;
  const noun: string[] = [];
  for (let i = at - 1; i >= 0 && noun.length < 2; i--) {
    const x = w[i] as string;
    if (DETERMINERS.has(x)) break;
    noun.unshift(x);
  }
  return noun.length > 0 ? noun : undefined;
}

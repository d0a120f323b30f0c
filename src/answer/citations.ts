/** Citations: what a user is shown of a passage, and where it comes from. */
import { citationPath, formatSectionPath } from "../knowledge/structure.js";
import type { Passage } from "../knowledge/types.js";
import type { Hit, KnowledgeIndex } from "../search/knowledge-index.js";
import { plain, type Segment } from "./extract.js";

export interface Citation {
  passageId: string;
  documentId: string;
  /** Short document title, e.g. "Kế hoạch thực hiện KL 43-KL/TW". */
  title: string;
  /** Full section path, e.g. "II. NHIỆM VỤ, GIẢI PHÁP › 2 › gạch đầu dòng 1". */
  section: string;
  /** Compact section label for a citation line, e.g. "II.2, gạch đầu dòng 1". */
  label: string;
  /** The quoted sentence(s), with the question's words marked. */
  quote: Segment[];
  /** The whole passage, shown on request ("xem nguồn 2"). */
  passage: string;
  score: number;
}

/** The quoted text of a citation, as a user reads it. */
export function excerptOf(c: Citation): string {
  return plain(c.quote);
}

/**
 * A compact label for a section path: numerals joined with dots, words after a comma.
 * ["II. NHIỆM VỤ, GIẢI PHÁP", "2", "gạch đầu dòng 3"] → "II.2, gạch đầu dòng 3";
 * ["Chương I", "Điều 2", "khoản 1"] → "Chương I, Điều 2, khoản 1"; [] → "phần mở đầu".
 */
export function shortSection(path: readonly string[]): string {
  if (path.length === 0) return "phần mở đầu";
  const parts: string[] = [];
  let numeral = "";
  for (const label of path) {
    const m = /^([IVXLC]+|\d+(?:\.\d+)*|[a-zđ])(?:\.\s|$)/u.exec(label);
    if (m?.[1]) numeral = numeral ? `${numeral}.${m[1]}` : m[1];
    else {
      if (numeral) parts.push(numeral);
      numeral = "";
      parts.push(label);
    }
  }
  if (numeral) parts.push(numeral);
  return parts.join(", ");
}

export function citationOf(hit: Hit, quote: Segment[]): Citation {
  return {
    passageId: hit.passage.id,
    documentId: hit.document.id,
    title: hit.document.shortTitle,
    section: formatSectionPath(hit.passage.sectionPath),
    // "Điều 43, khoản 2, điểm b": the article is the address; chapters and sections are in `section`.
    label: shortSection(citationPath(hit.passage.sectionPath)),
    quote,
    passage: hit.passage.text,
    score: Math.round(hit.score * 1000) / 1000,
  };
}

/** A citation of a whole passage by id (a source button pressed long after the answer). */
export function citationOfPassage(index: KnowledgeIndex, passageId: string): Citation | undefined {
  const passage = index.passage(passageId);
  const document = passage && index.documents.find((d) => d.id === passage.docId);
  if (!passage || !document) return undefined;
  return citationOf({ passage, document, score: 0 }, [{ text: passage.text, mark: false }]);
}

export type { Passage };

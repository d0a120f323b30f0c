/** Citations: what a user is shown of a passage, and where it comes from. */
import { formatSectionPath } from "../knowledge/structure.js";
import type { Hit, SearchResult } from "../search/knowledge-index.js";

export interface Citation {
  passageId: string;
  documentId: string;
  /** Short document title, e.g. "Kế hoạch thực hiện KL 43-KL/TW". */
  title: string;
  /** Section path for people, e.g. "II. NHIỆM VỤ, GIẢI PHÁP › 2 › gạch đầu dòng 1". */
  section: string;
  /** The text a user is shown. */
  excerpt: string;
  score: number;
}

/** Turns a hit into a citation quoting its passage. */
export function citationOf(hit: Hit, excerpt = hit.passage.text): Citation {
  return {
    passageId: hit.passage.id,
    documentId: hit.document.id,
    title: hit.document.shortTitle,
    section: formatSectionPath(hit.passage.sectionPath),
    excerpt,
    score: Math.round(hit.score * 1000) / 1000,
  };
}

/** The best `max` hits as citations, best first; nothing when the question is not answered. */
export function citationsOf(result: SearchResult, max = 3): Citation[] {
  if (!result.answered) return [];
  return result.hits.slice(0, max).map((h) => citationOf(h));
}

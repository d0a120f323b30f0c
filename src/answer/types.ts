import type { Citation } from "./citations.js";

/** What the bot answers to a question, before any channel renders it. */
export interface Answer {
  question: string;
  /**
   * "answered": the citations answer the question; "partial": the documents do not say this
   * exactly and the citations are the closest passages; "not_found": nothing close, no citations.
   */
  status: "answered" | "partial" | "not_found";
  /** Prose written by the language model from the citations, with [1], [2] markers; extractive answers have none. */
  text?: string;
  citations: Citation[];
  /** Share of the question's topic found in the best passage (0..1), for the question log. */
  coverage: number;
  topScore: number;
}

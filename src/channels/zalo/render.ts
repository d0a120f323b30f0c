/**
 * Reply → Zalo messages: plain text (Zalo has no formatting, buttons or editing), the quoted
 * excerpts numbered with their citations, "xem nguồn 2" instead of buttons, and messages split
 * under 2,000 UTF-16 units at paragraph, then sentence, then word boundaries.
 */
import type { Reply } from "../../bot/types.js";
import type { Replies } from "../../prompts.js";
import { renderReply } from "../plain-text.js";

export const ZALO_MAX = 2000;

export function renderZalo(reply: Reply, r: Replies): string[] {
  return splitText(renderReply(reply, r, { color: false }), ZALO_MAX);
}

/** Splits text into pieces of at most `max` UTF-16 units, at the largest boundary that fits. */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let current = "";
  const flush = () => {
    if (current.trim().length > 0) out.push(current.trim());
    current = "";
  };
  for (const para of text.split(/\n{2,}/)) {
    const joined = current ? `${current}\n\n${para}` : para;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    flush();
    let rest = para;
    while (rest.length > max) {
      const window = rest.slice(0, max);
      const at = Math.max(window.lastIndexOf(". "), window.lastIndexOf("\n"), window.lastIndexOf("; "));
      const cut = at > max / 2 ? at + 1 : Math.max(window.lastIndexOf(" "), 1);
      out.push(rest.slice(0, cut).trim());
      rest = rest.slice(cut).trimStart();
    }
    current = rest;
  }
  flush();
  return out;
}

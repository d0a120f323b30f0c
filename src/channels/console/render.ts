/** Renders Reply objects as terminal text: colours on a TTY, plain lines when piped. */
import { excerptOf } from "../../answer/citations.js";
import type { Segment } from "../../answer/extract.js";
import type { Answer } from "../../answer/types.js";
import type { Reply } from "../../bot/types.js";
import { fill, type Replies } from "../../prompts.js";
import type { DocumentSummary } from "../../search/knowledge-index.js";

export interface RenderOptions {
  color: boolean;
}

const ansi = (code: string, on: boolean) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

function quote(segments: readonly Segment[], color: boolean): string {
  const mark = ansi("1;33", color);
  return segments.map((s) => (s.mark ? mark(s.text) : s.text)).join("");
}

/** An answer: the written prose if any, then each quoted excerpt with its citation. */
export function renderAnswerText(
  answer: Answer,
  r: Replies,
  documents: readonly Pick<DocumentSummary, "shortTitle">[],
  o: RenderOptions,
  firstNumber = 1,
): string {
  if (answer.status === "not_found") {
    if (documents.length === 0) return r.no_documents;
    return fill(r.not_found, { documents: documents.map((d) => d.shortTitle).join("; ") });
  }
  const dim = ansi("2", o.color);
  const bold = ansi("1", o.color);
  const lines: string[] = [];
  if (answer.text) lines.push(bold(r.written_label), answer.text, "", bold(r.sources_label));
  else lines.push(answer.status === "partial" ? r.answer_partial_intro : r.answer_intro);
  answer.citations.forEach((c, i) => {
    lines.push("", `[${firstNumber + i}] «${o.color ? quote(c.quote, true) : excerptOf(c)}»`);
    lines.push(dim(`    — ${fill(r.citation, { title: c.title, section: c.label })}`));
  });
  lines.push("", dim(fill(r.source_hint, { n: firstNumber })));
  return lines.join("\n");
}

export function renderReply(
  reply: Reply,
  r: Replies,
  documents: readonly Pick<DocumentSummary, "shortTitle">[],
  o: RenderOptions,
): string {
  switch (reply.kind) {
    case "answer":
      return renderAnswerText(reply.answer, r, documents, o, reply.firstNumber);
    case "source": {
      const c = reply.citation;
      const header = ansi(
        "1",
        o.color,
      )(fill(r.source_header, { n: reply.number, title: c.title, section: c.section }));
      return `${header}\n${c.passage}`;
    }
    case "documents":
      return [
        r.documents_header,
        ...reply.documents.flatMap((d, i) => [
          fill(r.documents_line, { n: i + 1, title: d.title, passages: d.passages }),
          ...(d.details ? [fill(r.documents_details, { details: d.details })] : []),
        ]),
      ].join("\n");
    case "text":
      return reply.text;
    case "preview":
      return [
        fill(r.notice_preview, { id: reply.broadcastId, recipients: reply.recipients }),
        "",
        reply.text,
        "",
        fill(r.notice_confirm_hint, { id: reply.broadcastId }),
      ].join("\n");
  }
}

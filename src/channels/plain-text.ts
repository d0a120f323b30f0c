/**
 * Reply objects as plain text, for every channel without markup: the terminal (colours on a
 * TTY, plain lines when piped) and Zalo (plain, then split under its message size).
 */
import { excerptOf } from "../answer/citations.js";
import type { Segment } from "../answer/extract.js";
import type { Answer } from "../answer/types.js";
import type { Reply } from "../bot/types.js";
import { fill, type Replies } from "../prompts.js";

export interface RenderOptions {
  color: boolean;
}

const ansi = (code: string, on: boolean) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

function quote(segments: readonly Segment[], color: boolean): string {
  const mark = ansi("1;33", color);
  return segments.map((s) => (s.mark ? mark(s.text) : s.text)).join("");
}

/**
 * An answer: the written prose if any, then each quoted excerpt with its citation; when the
 * documents do not answer, `notFound` (the engine's finished reply, see notFoundText).
 */
export function renderAnswerText(
  answer: Answer,
  r: Replies,
  o: RenderOptions,
  firstNumber = 1,
  notFound = r.no_documents,
): string {
  if (answer.status === "not_found") return notFound;
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

/** One reply as plain text. */
export function renderReply(reply: Reply, r: Replies, o: RenderOptions): string {
  switch (reply.kind) {
    case "answer":
      return renderAnswerText(reply.answer, r, o, reply.firstNumber, reply.notFound);
    case "source": {
      const c = reply.citation;
      const header = ansi(
        "1",
        o.color,
      )(fill(r.source_header, { n: reply.number, title: c.title, section: c.section }));
      return reply.note ? `${header}\n${reply.note}\n${c.passage}` : `${header}\n${c.passage}`;
    }
    case "choices":
      // No buttons here: the text alone (documents are managed on Telegram or the web page).
      return reply.text;
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
    case "question":
      return reply.plain;
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

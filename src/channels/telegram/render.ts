/**
 * Reply → Telegram messages: HTML parse mode with every piece of user or document text escaped,
 * excerpts as blockquotes with the citation under each, messages split between blocks under the
 * 4,096-character limit (never inside a tag or an entity), and inline buttons for sources and
 * feedback whose callback data stays far under 64 bytes (ids kept server-side).
 */
import type { Segment } from "../../answer/extract.js";
import type { Action, Reply } from "../../bot/types.js";
import { fill, type Replies } from "../../prompts.js";

/** Telegram's limit on a message's text. */
export const MAX_MESSAGE = 4096;
/** Room kept under the limit for safety (entities count as their visible text). */
const BUDGET = 4000;

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface TelegramMessage {
  html: string;
  keyboard?: InlineButton[][];
}

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const UPLOAD_CHOICES = { add: "a", replace: "r", cancel: "x" } as const;
const LIBRARY_OPS = { remove: "rm", remove_yes: "ok", replace: "rp", cancel: "no" } as const;
const byValue = <T extends string>(o: Record<T, string>, v: string) =>
  (Object.keys(o) as T[]).find((k) => o[k] === v);

/**
 * Callback data: `s:<questionId>:<n>` shows source n, `f:<questionId>:<+1|-1>` records feedback,
 * `b:<id>:go|no` a notice's ✅/❌, `u:<token>:a|r|x` a sent document's add/replace/cancel (the
 * staged upload's token), `l:<key>:rm|ok|rp|no` a listed document's remove/confirm/replace/cancel,
 * `lp:<n>` the list's page n.
 */
export const callbackData = {
  source: (questionId: number, n: number) => `s:${questionId}:${n}`,
  feedback: (questionId: number, value: 1 | -1) => `f:${questionId}:${value > 0 ? "+1" : "-1"}`,
  notice: (broadcastId: number, send: boolean) => `b:${broadcastId}:${send ? "go" : "no"}`,
  /** Any button press the engine routes. */
  of(action: Action): string {
    switch (action.kind) {
      case "source":
        return callbackData.source(action.questionId, action.n);
      case "feedback":
        return callbackData.feedback(action.questionId, action.value);
      case "notice":
        return callbackData.notice(action.broadcastId, action.send);
      case "upload":
        return `u:${action.token}:${UPLOAD_CHOICES[action.choice]}`;
      case "library":
        return action.op === "page" ? `lp:${action.page}` : `l:${action.key}:${LIBRARY_OPS[action.op]}`;
    }
  },
  parse(
    data: string,
  ):
    | { kind: "source"; questionId: number; n: number }
    | { kind: "feedback"; questionId: number; value: 1 | -1 }
    | { kind: "notice"; broadcastId: number; send: boolean }
    | Extract<Action, { kind: "upload" | "library" }>
    | undefined {
    const b = /^b:(\d{1,15}):(go|no)$/.exec(data);
    if (b) return { kind: "notice", broadcastId: Number(b[1]), send: b[2] === "go" };
    const u = /^u:([\w-]{20,48}):([arx])$/.exec(data);
    const choice = u && byValue(UPLOAD_CHOICES, u[2] as string);
    if (u && choice) return { kind: "upload", token: u[1] as string, choice };
    const l = /^l:([\w-]{12}):(rm|ok|rp|no)$/.exec(data);
    const op = l && byValue(LIBRARY_OPS, l[2] as string);
    if (l && op) return { kind: "library", key: l[1] as string, op };
    const lp = /^lp:(\d{1,4})$/.exec(data);
    if (lp) return { kind: "library", op: "page", page: Number(lp[1]) };
    const m = /^([sf]):(\d{1,15}):([+-]?\d{1,2})$/.exec(data);
    if (!m) return undefined;
    const questionId = Number(m[2]);
    if (m[1] === "s") return { kind: "source", questionId, n: Number(m[3]) };
    return { kind: "feedback", questionId, value: Number(m[3]) > 0 ? 1 : -1 };
  },
};

function quoteHtml(segments: readonly Segment[]): string {
  return segments.map((s) => (s.mark ? `<b>${escapeHtml(s.text)}</b>` : escapeHtml(s.text))).join("");
}

/** Renders one reply as one or more messages; buttons go under the last one. */
export function renderTelegram(reply: Reply, r: Replies): TelegramMessage[] {
  switch (reply.kind) {
    case "text":
      return pack(plainBlocks(reply.text));
    case "question":
      // Sent as a quiz poll by the bot (sendPoll), not as a message.
      return [];
    case "documents":
      return pack([
        `<b>${escapeHtml(r.documents_header)}</b>`,
        ...reply.documents.map(
          (d, i) =>
            escapeHtml(fill(r.documents_line, { n: i + 1, title: d.title, passages: d.passages })) +
            (d.details
              ? `\n<i>${escapeHtml(fill(r.documents_details, { details: d.details }).trim())}</i>`
              : ""),
        ),
      ]);
    case "source": {
      const c = reply.citation;
      const header = `<b>${escapeHtml(fill(r.source_header, { n: reply.number, title: c.title, section: c.section }))}</b>`;
      const note = reply.note ? [`<i>${escapeHtml(reply.note)}</i>`] : [];
      return pack([header, ...note, ...plainBlocks(c.passage)]);
    }
    case "choices": {
      const messages = pack(plainBlocks(reply.text));
      const last = messages[messages.length - 1];
      if (last)
        last.keyboard = reply.buttons.map((row) =>
          row.map((b) => ({ text: b.label, callback_data: callbackData.of(b.action) })),
        );
      return messages;
    }
    case "preview": {
      const messages = pack([
        `<b>${escapeHtml(fill(r.notice_preview, { id: reply.broadcastId, recipients: reply.recipients }))}</b>`,
        ...plainBlocks(reply.text),
      ]);
      const last = messages[messages.length - 1];
      if (last) {
        last.keyboard = [
          [
            { text: r.button_send, callback_data: callbackData.notice(reply.broadcastId, true) },
            { text: r.button_cancel, callback_data: callbackData.notice(reply.broadcastId, false) },
          ],
        ];
      }
      return messages;
    }
    case "answer": {
      const a = reply.answer;
      if (a.status === "not_found") return pack(plainBlocks(reply.notFound ?? r.no_documents));
      const blocks: string[] = [];
      if (a.text) blocks.push(`<b>${escapeHtml(r.written_label)}</b>\n${escapeHtml(a.text)}`);
      else blocks.push(escapeHtml(a.status === "partial" ? r.answer_partial_intro : r.answer_intro));
      a.citations.forEach((c, i) => {
        const n = reply.firstNumber + i;
        // A quote longer than a message is cut at a space; the full passage is one button away.
        const quote = quoteHtml(c.quote);
        const body =
          quote.length > BUDGET - 300 ? `${escapeHtml(cutAt(plainOf(c.quote), BUDGET - 400))} …` : quote;
        blocks.push(
          `[${n}] <blockquote>${body}</blockquote>\n<i>— ${escapeHtml(fill(r.citation, { title: c.title, section: c.label }))}</i>`,
        );
      });
      const messages = pack(blocks);
      const last = messages[messages.length - 1];
      if (last && reply.questionId !== undefined && a.citations.length > 0) {
        const qid = reply.questionId;
        const sources = a.citations.map((_, i) => ({
          text: fill(r.button_source, { n: reply.firstNumber + i }),
          callback_data: callbackData.source(qid, reply.firstNumber + i),
        }));
        last.keyboard = [
          sources,
          [
            { text: r.button_like, callback_data: callbackData.feedback(qid, 1) },
            { text: r.button_dislike, callback_data: callbackData.feedback(qid, -1) },
          ],
        ];
      }
      return messages;
    }
  }
}

function plainOf(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join("");
}

/** Plain text as escaped blocks: paragraphs, and paragraphs too long for a message cut at spaces. */
function plainBlocks(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n{2,}/)) {
    let rest = para;
    while (rest.length > BUDGET) {
      const piece = cutAt(rest, BUDGET);
      out.push(escapeHtml(piece));
      rest = rest.slice(piece.length).trimStart();
    }
    if (rest.trim().length > 0) out.push(escapeHtml(rest));
  }
  return out;
}

/** The longest prefix of `text` within `max` characters that ends at a sentence end or a space. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const window = text.slice(0, max);
  const sentence = Math.max(window.lastIndexOf(". "), window.lastIndexOf("; "));
  if (sentence > max / 2) return window.slice(0, sentence + 1);
  const space = window.lastIndexOf(" ");
  return space > 0 ? window.slice(0, space) : window;
}

/** Packs blocks into messages under the budget, joining blocks with a blank line. */
function pack(blocks: string[]): TelegramMessage[] {
  const messages: TelegramMessage[] = [];
  let current = "";
  for (const b of blocks) {
    if (current && current.length + 2 + b.length > BUDGET) {
      messages.push({ html: current });
      current = b;
    } else current = current ? `${current}\n\n${b}` : b;
  }
  if (current) messages.push({ html: current });
  return messages;
}

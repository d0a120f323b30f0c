/** The channel-neutral conversation model: what comes in from any channel and what goes out. */
import type { Citation } from "../answer/citations.js";
import type { Answer } from "../answer/types.js";
import type { Logger } from "../logger.js";

export type ChannelName = "console" | "telegram" | "zalo";
export type ChatType = "private" | "group";

/** A button pressed under one of the bot's messages: what the person asks the engine to do. */
export type Action =
  /** "📄 Nguồn n" under an answer. */
  | { kind: "source"; questionId: number; n: number }
  /** 👍/👎 under an answer. */
  | { kind: "feedback"; questionId: number; value: 1 | -1 }
  /** ✅ Gửi / ❌ Huỷ under a notice's preview; `report` is the message that will show progress. */
  | { kind: "notice"; broadcastId: number; send: boolean; report?: { chat: string; message: string } }
  /** Under the preview of a document an administrator sent: add it, replace the matched one, or cancel. */
  | { kind: "upload"; token: string; choice: "add" | "replace" | "cancel" }
  /**
   * Under the administrators' list of documents (`key`: a short hash of the file's name): remove
   * (asks first), remove confirmed, replace (waits for the new file), cancel.
   */
  | { kind: "library"; key: string; op: "remove" | "remove_yes" | "replace" | "cancel" }
  /** ‹ › under the list: its page `page` (from 0; Telegram shows about 100 buttons at most). */
  | { kind: "library"; op: "page"; page: number };

/** A message from a person, as any channel adapter delivers it. */
export interface Incoming {
  channel: ChannelName;
  chatId: string;
  chatType: ChatType;
  userId: string;
  userName?: string;
  text: string;
  /** In groups: whether the bot was addressed (command, mention, reply to the bot). Always true in private chats. */
  addressed: boolean;
  chatTitle?: string;
  /** Text of the message this one replies to (a notice sent by replying /thongbao to it). */
  replyToText?: string;
  /** A button press (the text is then empty): the engine routes it instead of reading a text. */
  action?: Action;
  /** The channel's logger for this update (its channel and update id bound), for what the engine logs about it. */
  logger?: Logger;
  /** Asks the platform whether the sender administers this group. */
  isChatAdmin?: () => Promise<boolean>;
}

/** What the bot says back; channels render these, the engine never writes markup. */
export type Reply =
  | {
      kind: "answer";
      answer: Answer /** Number of the first citation (1 unless a follow-up shows more). */;
      firstNumber: number;
      questionId?: number;
      /** When the documents do not answer (status not_found): the finished reply, naming the documents known. */
      notFound?: string;
    }
  | {
      kind: "source";
      number: number;
      citation: Citation;
      /** Said above the passage when it is quoted from a replaced or removed document's old text. */
      note?: string;
    }
  | {
      kind: "documents";
      /** `details`: kind, number, issuer and date when known ("Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022"). */
      documents: { title: string; shortTitle: string; passages: number; details: string }[];
    }
  | { kind: "text"; text: string }
  /**
   * A quiz question (a lesson's check question, a quiz's): a quiz poll where the platform has
   * them (Telegram: the explanation is shown after answering), else `plain`, the question with
   * numbered options, answered by number.
   */
  | {
      kind: "question";
      question: string;
      options: string[];
      correct: number;
      explanation: string;
      plain: string;
    }
  | { kind: "preview"; broadcastId: number; recipients: number; text: string }
  /** A text with buttons, each a button press the engine routes (a channel without buttons shows the text). */
  | { kind: "choices"; text: string; buttons: { label: string; action: Action }[][] };

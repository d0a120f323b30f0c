/** The channel-neutral conversation model: what comes in from any channel and what goes out. */
import type { Citation } from "../answer/citations.js";
import type { Answer } from "../answer/types.js";

export type ChannelName = "console" | "telegram" | "zalo";
export type ChatType = "private" | "group";

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
    }
  | { kind: "source"; number: number; citation: Citation }
  | {
      kind: "documents";
      /** `details`: kind, number, issuer and date when known ("Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022"). */
      documents: { title: string; shortTitle: string; passages: number; details: string }[];
    }
  | { kind: "text"; text: string }
  | { kind: "preview"; broadcastId: number; recipients: number; text: string };

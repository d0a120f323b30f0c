/** Zalo updates → Incoming, validated with zod and lenient where the platform is inconsistent. */
import { z } from "zod";
import type { Incoming } from "../../bot/types.js";

const Id = z.union([z.string(), z.number()]).transform(String);

const Message = z.looseObject({
  from: z.looseObject({ id: Id, display_name: z.string().optional(), is_bot: z.boolean().optional() }),
  chat: z.looseObject({ id: Id, chat_type: z.string().optional() }),
  text: z.string().optional(),
  message_id: Id.optional(),
  date: z.number().optional(),
});

const Update = z.looseObject({ event_name: z.string(), message: Message.optional() });

export interface ParsedUpdate {
  event: string;
  messageId?: string;
  incoming?: Incoming;
  /**
   * A message that is not text (an image, a sticker, a file the API reports as unsupported): who
   * sent it and where. The Zalo Bot API delivers no file to a bot (a file arrives as
   * "message.unsupported.received", without its content), so documents cannot be added here.
   */
  nonText?: Pick<Incoming, "chatId" | "chatType" | "userId">;
}

/** Unwraps `{ok, result}` when present; returns undefined for what is not an update at all. */
export function parseZaloUpdate(raw: unknown): ParsedUpdate | undefined {
  const body =
    raw && typeof raw === "object" && "result" in raw && "ok" in raw
      ? (raw as { result: unknown }).result
      : raw;
  const parsed = Update.safeParse(body);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  const m = u.message;
  if (!m) return { event: u.event_name };
  const group = (m.chat.chat_type ?? "PRIVATE").toUpperCase() === "GROUP";
  const base = { event: u.event_name, messageId: m.message_id };
  if (m.from.is_bot) return base;
  if (/^message\.(image|sticker|unsupported)\.received$/.test(u.event_name))
    return {
      ...base,
      nonText: { chatId: m.chat.id, chatType: group ? "group" : "private", userId: m.from.id },
    };
  if (u.event_name !== "message.text.received" || !m.text) return base;
  return {
    ...base,
    incoming: {
      channel: "zalo",
      chatId: m.chat.id,
      chatType: group ? "group" : "private",
      userId: m.from.id,
      userName: m.from.display_name,
      // In groups the bot only sees messages that mention it; the mention itself is dropped.
      text: group ? m.text.replace(/^@\S+\s*/, "") : m.text,
      addressed: true,
    },
  };
}

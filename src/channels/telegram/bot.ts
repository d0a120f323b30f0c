/**
 * The Telegram channel (grammY): updates → Incoming → engine → Reply → HTML messages.
 *
 * Private chats: any text is a question. Groups: the bot answers a command, an @mention or a
 * reply to one of its messages, and stays silent otherwise. A file or a photo an administrator
 * sends in a private chat is a document to add (size checked first, then getFile and the download
 * through the configured API root, read in the background and previewed with buttons: see
 * src/bot/library.ts); anyone else's gets a polite note and nothing is downloaded. Stickers,
 * voice and the like get a short reply in private chats and are ignored in groups; edited
 * messages and channel posts are ignored. Answers in one chat are handled in order (sequentialize), chats concurrently
 * (@grammyjs/runner); 429s are waited out (@grammyjs/auto-retry); one error boundary (polling
 * and webhook alike) logs a summary of the error and the update's id and chat, never the token
 * or the message, and tells the user something went wrong, without details.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context, GrammyError, HttpError, type Transformer } from "grammy";
import type { Engine } from "../../bot/engine.js";
import { commandMenu } from "../../bot/features/index.js";
import type { Library } from "../../bot/library.js";
import type { ChatType, Incoming, Reply } from "../../bot/types.js";
import { errorSummary, type Logger, redact } from "../../logger.js";
import { fill, type Replies } from "../../prompts.js";
import type { QuizStore, StudyStore, SubscriptionStore } from "../../storage/ports.js";
import { sendQuizPoll } from "./poll.js";
import { callbackData, renderTelegram, type TelegramMessage } from "./render.js";

export interface TelegramDeps {
  token: string;
  /** Bot API root (a self-hosted Bot API server, or the tests' fake one). */
  apiRoot?: string;
  engine: Engine;
  replies: Replies;
  logger: Logger;
  /** Kept true by membership updates (blocked, removed, migrated). */
  subscriptions?: SubscriptionStore;
  /** A group turned supergroup keeps its study series memberships and its quizzes too. */
  study?: Pick<StudyStore, "migrateChat">;
  quizzes?: Pick<QuizStore, "migrateChat">;
  /** Documents administrators send and manage in chat; without it a file gets the text-only note. */
  library?: Library;
  /** A person answered a quiz poll (study: scores are kept). */
  onPollAnswer?: (a: { pollId: string; userId: string; userName: string; option: number }) => Promise<void>;
}

export function createTelegramBot(deps: TelegramDeps): Bot {
  const bot = new Bot(deps.token, { client: deps.apiRoot ? { apiRoot: deps.apiRoot } : {} });
  const apiRoot = deps.apiRoot ?? "https://api.telegram.org";
  // Installed first, so it sees every try auto-retry makes: an outage of the Bot API is logged.
  bot.api.config.use(getUpdatesWatch(deps.logger));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 }));
  // Answers in one chat never overtake each other; different chats run concurrently.
  bot.use(sequentialize((ctx: Context) => String(ctx.chat?.id ?? ctx.from?.id ?? "")));

  /** Everything logged about an update carries its channel and id. */
  const updateLogger = (ctx: Context) =>
    deps.logger.child({ channel: "telegram", update: ctx.update.update_id });

  const send = async (ctx: Context, replies: Reply[]) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    const replyTo = ctx.chat?.type === "private" ? undefined : ctx.msg?.message_id;
    for (const reply of replies) {
      if (reply.kind === "question") {
        await sendQuizPoll(ctx.api, chatId, reply);
        continue;
      }
      const messages: TelegramMessage[] = renderTelegram(reply, deps.replies);
      for (const [i, m] of messages.entries()) {
        await ctx.api.sendMessage(chatId, m.html, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...(m.keyboard ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
          ...(i === 0 && replyTo
            ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
            : {}),
        });
      }
    }
  };

  /**
   * Work that may take a minute (reading a scan, rebuilding the index), run outside the chat's
   * queue so the person can go on asking; a failure is logged (a chosen summary) and answered.
   */
  const background = (ctx: Context, work: () => Promise<void>) => {
    const chatId = ctx.chat?.id;
    const log = updateLogger(ctx);
    void work().catch(async (err: unknown) => {
      log.error({ err: errorFields(err) }, "lỗi khi xử lý tài liệu gửi qua Telegram");
      if (chatId !== undefined) await ctx.api.sendMessage(chatId, deps.replies.error).catch(() => undefined);
    });
  };

  bot.on("message:text", async (ctx) => {
    const msg = ctx.message;
    const chatType: ChatType = msg.chat.type === "private" ? "private" : "group";
    const { text, addressed } = addressing(
      msg.text,
      chatType,
      ctx.me.username,
      ctx.me.id,
      msg.reply_to_message?.from?.id,
    );
    if (chatType === "group" && !addressed) return;
    const incoming: Incoming = {
      channel: "telegram",
      chatId: String(msg.chat.id),
      chatType,
      userId: String(msg.from.id),
      userName: msg.from.first_name,
      text,
      addressed,
      chatTitle: "title" in msg.chat ? msg.chat.title : undefined,
      replyToText: msg.reply_to_message?.text ?? msg.reply_to_message?.caption,
      logger: updateLogger(ctx),
      isChatAdmin: async () => {
        const member = await ctx.api.getChatMember(msg.chat.id, msg.from.id);
        return member.status === "creator" || member.status === "administrator";
      },
    };
    // "typing…" while the answer is prepared; it is cosmetic, so its failure is ignored.
    ctx.replyWithChatAction("typing").catch(() => undefined);
    await send(ctx, await deps.engine.handle(incoming));
  });

  // A button press is an Incoming action the engine routes; the bot only does what is
  // Telegram's: the callback answer, the preview's buttons, the progress message.
  bot.on("callback_query:data", async (ctx) => {
    const action = callbackData.parse(ctx.callbackQuery.data);
    if (!action) {
      await ctx.answerCallbackQuery();
      return;
    }
    const from = ctx.callbackQuery.from;
    const chat = ctx.chat;
    const m: Incoming = {
      channel: "telegram",
      chatId: String(chat?.id ?? from.id),
      chatType: chat?.type === "private" || !chat ? "private" : "group",
      userId: String(from.id),
      text: "",
      addressed: true,
      action,
      logger: updateLogger(ctx),
    };
    if (action.kind === "upload" || action.kind === "library") {
      // Someone else pressing an administrator's button (in a group): told privately, in an
      // alert only they see; the preview keeps its buttons and nothing is said to the group.
      if (!deps.engine.isAdmin(m)) {
        await ctx.answerCallbackQuery({ text: deps.replies.admin_only, show_alert: true });
        return;
      }
      await ctx.answerCallbackQuery();
      if (action.kind === "library" && action.op === "page") {
        // The list turns its page in place: the same message, the next documents and their buttons.
        const replies = await deps.engine.handle(m);
        const [list] = replies;
        const messages = list && list.kind !== "question" ? renderTelegram(list, deps.replies) : [];
        const [only] = messages;
        if (replies.length === 1 && messages.length === 1 && only) {
          const edited = await ctx
            .editMessageText(only.html, {
              parse_mode: "HTML",
              link_preview_options: { is_disabled: true },
              ...(only.keyboard ? { reply_markup: { inline_keyboard: only.keyboard } } : {}),
            })
            .then(
              () => true,
              () => false,
            );
          if (edited) return;
        }
        await send(ctx, replies);
        return;
      }
      const lasting =
        (action.kind === "upload" && action.choice !== "cancel") ||
        (action.kind === "library" && action.op === "remove_yes");
      // A preview or a question answered once loses its buttons (not pressed twice); the list keeps them.
      if (action.kind === "upload" || action.op === "remove_yes" || action.op === "cancel")
        await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
      if (!lasting) {
        await send(ctx, await deps.engine.handle(m));
        return;
      }
      await ctx.api.sendMessage(m.chatId, deps.replies.upload_updating);
      background(ctx, async () => send(ctx, await deps.engine.handle(m)));
      return;
    }
    if (action.kind === "feedback") {
      const [said] = await deps.engine.handle(m);
      await ctx.answerCallbackQuery({ text: said?.kind === "text" ? said.text : undefined });
      return;
    }
    await ctx.answerCallbackQuery();
    if (action.kind === "notice" && deps.engine.isAdmin(m)) {
      // The preview's buttons go away so a notice cannot be confirmed twice from it (someone
      // else pressing in a group is refused by the engine, and leaves them to the administrator).
      await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
      if (action.send) {
        // The progress message is sent first, then edited by the worker as deliveries go out.
        const progress = await ctx.api.sendMessage(m.chatId, deps.replies.notice_sending, {});
        const report = { chat: `telegram:${m.chatId}`, message: String(progress.message_id) };
        const [first] = await deps.engine.handle({ ...m, action: { ...action, report } });
        if (first?.kind === "text")
          await ctx.api.editMessageText(m.chatId, progress.message_id, first.text).catch(() => undefined);
        return;
      }
    }
    await send(ctx, await deps.engine.handle(m));
  });

  // An answer to a quiz poll (retracted votes come with no option and are ignored).
  bot.on("poll_answer", async (ctx) => {
    const a = ctx.pollAnswer;
    const option = a.option_ids[0];
    if (option === undefined || !a.user || !deps.onPollAnswer) return;
    await deps.onPollAnswer({
      pollId: a.poll_id,
      userId: String(a.user.id),
      userName: a.user.first_name,
      option,
    });
  });

  // The subscription list follows the bot's membership: blocked or removed → inactive (kept);
  // a private chat that unblocks the bot is active again; a group that re-adds it must /dangky
  // again (whoever re-adds it may not want announcements). A group turned supergroup keeps it,
  // and its study series memberships (with their progress) and quizzes.
  bot.on("my_chat_member", async (ctx) => {
    const update = ctx.myChatMember;
    const chatId = String(update.chat.id);
    const status = update.new_chat_member.status;
    if (status === "kicked" || status === "left") {
      await deps.subscriptions?.deactivate(
        "telegram",
        chatId,
        update.chat.type === "private" ? "blocked" : "removed",
      );
    } else if ((status === "member" || status === "administrator") && update.chat.type === "private") {
      await deps.subscriptions?.reactivate("telegram", chatId, "blocked");
    }
  });
  bot.on("message:migrate_to_chat_id", async (ctx) => {
    const [from, to] = [String(ctx.chat.id), String(ctx.message.migrate_to_chat_id)];
    await deps.subscriptions?.migrate("telegram", from, to);
    await deps.study?.migrateChat("telegram", from, to, new Date().toISOString());
    await deps.quizzes?.migrateChat("telegram", from, to);
  });

  // A document or a photo of a page: an administrator's in a private chat is read and previewed.
  bot.on(["message:document", "message:photo"], async (ctx) => {
    const msg = ctx.message;
    const library = deps.library;
    const m: Incoming = {
      channel: "telegram",
      chatId: String(msg.chat.id),
      chatType: msg.chat.type === "private" ? "private" : "group",
      userId: String(msg.from.id),
      userName: msg.from.first_name,
      text: "",
      addressed: msg.chat.type === "private",
      logger: updateLogger(ctx),
    };
    const admin = deps.engine.isAdmin(m);
    if (m.chatType === "group") {
      if (admin && library) await ctx.reply(deps.replies.upload_group);
      return;
    }
    if (!library) {
      await ctx.reply(deps.replies.text_only);
      return;
    }
    if (!admin) {
      // Nothing is downloaded or kept: only the fact, never the file's name or caption.
      m.logger?.info(
        { channel: "telegram", kind: msg.document ? "document" : "photo" },
        "người không phải quản trị viên gửi tệp",
      );
      await ctx.reply(deps.replies.upload_not_admin);
      return;
    }
    const photo = msg.photo?.[msg.photo.length - 1];
    const file = msg.document ?? photo;
    if (!file?.file_id) {
      m.logger?.warn({ update: ctx.update.update_id }, "tin nhắn tệp Telegram không có file_id");
      await ctx.reply(deps.replies.upload_download_failed);
      return;
    }
    const name = msg.document?.file_name?.split(/[/\\]/).pop() || `anh-${msg.date}.jpg`;
    // The Bot API lets a bot download 20 MB at most (or MAX_DOCUMENT_BYTES is lower): said before anything is fetched.
    if (file.file_size !== undefined && file.file_size > library.maxBytes) {
      await ctx.reply(library.tooBig(name, file.file_size));
      return;
    }
    await ctx.reply(fill(deps.replies.upload_reading, { file: name }));
    background(ctx, async () => {
      let bytes: Uint8Array;
      try {
        bytes = await downloadFile(ctx, { apiRoot, token: deps.token }, file.file_id, library.maxBytes);
      } catch (err) {
        m.logger?.warn({ err: errorFields(err) }, "không tải được tệp từ Telegram");
        await ctx.reply(
          err instanceof FileTooLargeError
            ? library.tooBig(name, err.bytes)
            : deps.replies.upload_download_failed,
        );
        return;
      }
      await send(ctx, await library.preview(m, { bytes, name }));
    });
  });

  // Not text: a short useful reply in private chats, silence in groups.
  bot.on(["message:sticker", "message:voice", "message:video", "message:audio"], async (ctx) => {
    if (ctx.chat.type === "private") await ctx.reply(deps.replies.text_only);
  });

  bot.catch(async (err) => {
    const e = err.error;
    // A chosen summary only: the error's context holds the API token and the user's update.
    deps.logger.error(
      {
        err: errorFields(e),
        update: {
          update_id: err.ctx.update.update_id,
          chat: err.ctx.chat?.id,
          kind: Object.keys(err.ctx.update).filter((k) => k !== "update_id"),
        },
      },
      "lỗi khi xử lý tin nhắn Telegram",
    );
    const chatId = err.ctx.chat?.id;
    if (chatId !== undefined)
      await err.ctx.api.sendMessage(chatId, deps.replies.error).catch(() => undefined);
  });
  return bot;
}

/** A chosen summary of an error for the logs: never the token, the file URL or a message text. */
function errorFields(e: unknown): Record<string, unknown> {
  if (e instanceof GrammyError)
    return { method: e.method, code: e.error_code, description: redact(e.description) };
  if (e instanceof HttpError) return { http: errorSummary(e) };
  if (e instanceof DownloadError) return { download: e.message };
  return errorSummary(e);
}

/** A file could not be downloaded; the message says why without the URL (it holds the token). */
class DownloadError extends Error {
  override readonly name: string = "DownloadError";
}

/** The file is larger than the bot takes (found by getFile or while downloading). */
class FileTooLargeError extends DownloadError {
  override readonly name = "FileTooLargeError";
  /** `bytes`: its size, when known. */
  constructor(readonly bytes?: number) {
    super(`tệp lớn hơn giới hạn (${bytes ?? "?"} byte)`);
  }
}

/**
 * Downloads a file a person sent: getFile, then `<apiRoot>/file/bot<token>/<file_path>` (the
 * Bot API's download route; a self-hosted Bot API server and the tests' fake one serve it too),
 * read up to `maxBytes` within two minutes.
 */
async function downloadFile(
  ctx: Context,
  where: { apiRoot: string; token: string },
  fileId: string,
  maxBytes: number,
): Promise<Uint8Array> {
  let file: Awaited<ReturnType<Context["api"]["getFile"]>>;
  try {
    file = await ctx.api.getFile(fileId);
  } catch (err) {
    // The Bot API's own refusal of a file over its limit ("Bad Request: file is too big").
    if (err instanceof GrammyError && /too big/i.test(err.description)) throw new FileTooLargeError();
    throw err;
  }
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new FileTooLargeError(file.file_size);
  if (!file.file_path) throw new DownloadError("getFile không trả về file_path");
  const path = file.file_path.split("/").map(encodeURIComponent).join("/");
  let res: Response;
  try {
    res = await fetch(`${where.apiRoot}/file/bot${where.token}/${path}`, {
      signal: AbortSignal.timeout(120_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new DownloadError(`không kết nối được (${cause ?? (err as Error).name})`);
  }
  if (!res.ok || !res.body) throw new DownloadError(`HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new FileTooLargeError(total);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * An API transformer that logs failed getUpdates calls (long polling) as a warning: the first of
 * a run of failures at once, then at most one line every `everyMs` with the count since, and
 * once when the Bot API answers again. Only a redacted summary: never the token.
 */
export function getUpdatesWatch(logger: Logger, everyMs = 60_000): Transformer {
  let failures = 0;
  let lastWarn = 0;
  const failed = (summary: Record<string, unknown>) => {
    failures += 1;
    if (failures > 1 && Date.now() - lastWarn < everyMs) return;
    lastWarn = Date.now();
    logger.warn({ err: summary, failures }, "getUpdates Telegram lỗi, đang thử lại (Bot API không trả lời)");
  };
  return async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok) failed({ error_code: res.error_code, description: redact(res.description) });
      else if (failures > 0) {
        logger.info({ failures }, "Bot API Telegram đã trả lời lại");
        failures = 0;
      }
      return res;
    } catch (err) {
      if (!signal?.aborted) failed(errorSummary(err));
      throw err;
    }
  };
}

/**
 * Registers the Vietnamese command menu (the feature registry's), and the administrators' menu
 * (theirs too) in their private chats.
 */
export async function registerCommands(bot: Bot, adminIds: readonly number[], r: Replies): Promise<void> {
  const everyone = commandMenu(r, false);
  await bot.api.setMyCommands(everyone, { language_code: "vi" });
  await bot.api.setMyCommands(everyone);
  const admins = commandMenu(r, true);
  for (const id of adminIds) {
    await bot.api.setMyCommands(admins, { scope: { type: "chat", chat_id: id } }).catch(() => undefined);
  }
}

/**
 * Whether a message addresses the bot, and its text without the address: a command (with
 * @thisbot or no @), an @mention, or a reply to the bot. Private chats are always addressed.
 */
export function addressing(
  text: string,
  chatType: ChatType,
  botUsername: string,
  botId: number,
  replyToUserId?: number,
): { text: string; addressed: boolean } {
  const mention = new RegExp(`@${botUsername}\\b`, "gi");
  const command = /^\/[\p{L}\d_]+(?:@(\w+))?/u.exec(text);
  if (command) {
    const target = command[1];
    if (target && target.toLowerCase() !== botUsername.toLowerCase()) return { text, addressed: false };
    return { text: text.replace(`@${target ?? ""}`, "").trim(), addressed: true };
  }
  if (chatType === "private") return { text, addressed: true };
  if (mention.test(text))
    return { text: text.replace(mention, " ").replace(/\s+/g, " ").trim(), addressed: true };
  return { text, addressed: replyToUserId === botId };
}

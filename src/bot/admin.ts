/**
 * Subscriptions and administrators' commands, channel-neutral: /dangky, /huydangky, /trangthai
 * for everyone (in groups only the group's administrators), and for the bot's administrators
 * /thongbao (preview, then confirm), /hengio (schedule, Asia/Ho_Chi_Minh), /lichhen, /huyhen,
 * /xacnhan, /huy and /thongke.
 */
import type { BroadcastService } from "../broadcast/service.js";
import type { Logger } from "../logger.js";
import { fill, type Replies } from "../prompts.js";
import type { BroadcastStatus, QuestionLog, SubscriptionStore } from "../storage/ports.js";
import { type AdminCommand, COMMANDS } from "./features/index.js";
import type { ChannelName, Incoming, Reply } from "./types.js";

export interface AdminDeps {
  subscriptions: SubscriptionStore;
  broadcasts: BroadcastService;
  questionLog: QuestionLog;
  /** Administrators' user ids per channel. */
  admins: Partial<Record<ChannelName, ReadonlySet<string>>>;
  replies: Replies;
  logger: Logger;
  now?: () => Date;
  /** One-time sign-in links to the administrators' web page; without them /quantri says the page is off. */
  webLinks?: { issue(admin: string): Promise<string>; readonly minutes: number };
}

/** Commands only the bot's administrators may use, as the feature registry declares them. */
const ADMIN_ONLY = new Set<string>(COMMANDS.filter((c) => c.access === "admin").map((c) => c.action));

const VN_OFFSET_MS = 7 * 3600_000;

/** "01/12/2026 08:00" in Vietnam's time (UTC+7, no daylight saving) → the instant. */
export function parseVietnamTime(date: string, time: string): Date | undefined {
  const d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date);
  const t = /^(\d{1,2})[:hg](\d{2})$/.exec(time);
  if (!d || !t) return undefined;
  const [day, month, year, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as number[];
  const utc = Date.UTC(year as number, (month as number) - 1, day, hour, minute) - VN_OFFSET_MS;
  const check = new Date(utc + VN_OFFSET_MS);
  if (
    check.getUTCDate() !== day ||
    check.getUTCMonth() !== (month as number) - 1 ||
    (hour as number) > 23 ||
    (minute as number) > 59
  )
    return undefined;
  return new Date(utc);
}

/** An instant shown in Vietnam's time: "01/12/2026 08:00". */
export function formatVietnamTime(d: Date): string {
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`;
}

export interface Admin {
  /** Whether the sender is one of the bot's administrators: decided here, and only here. */
  isAdmin(m: Incoming): boolean;
  handle(command: AdminCommand, arg: string, m: Incoming): Promise<Reply[]>;
  confirm(id: number, m: Incoming, report?: { chat: string; message?: string }): Promise<Reply[]>;
  cancel(id: number, m: Incoming): Promise<Reply[]>;
}

export function createAdmin(deps: AdminDeps): Admin {
  const r = deps.replies;
  const now = deps.now ?? (() => new Date());
  const text = (t: string): Reply[] => [{ kind: "text", text: t }];
  const isAdmin = (m: Incoming) => deps.admins[m.channel]?.has(m.userId) === true;
  const where = (m: Incoming) => (m.chatType === "group" ? r.where_group : r.where_private);

  const refuse = (m: Incoming, command: string): Reply[] => {
    (m.logger ?? deps.logger).warn(
      { channel: m.channel, userId: m.userId, command },
      "người không phải quản trị viên dùng lệnh quản trị",
    );
    return text(r.admin_only);
  };

  // A group's administrators (asked from the platform), or the bot's own administrators: Zalo
  // has no way to ask who administers a group.
  const canManage = async (m: Incoming) =>
    m.chatType === "private" || isAdmin(m) || (await m.isChatAdmin?.().catch(() => false)) === true;

  /**
   * A command given without a number: the administrator's own notice when exactly one is
   * waiting, else the list of them (number and first words), else a plain "none".
   */
  const pick = async (
    m: Incoming,
    statuses: readonly BroadcastStatus[],
    command: string,
    act: (id: number) => Promise<Reply[]>,
  ): Promise<Reply[]> => {
    const mine = await deps.broadcasts.pendingOf(`${m.channel}:${m.userId}`, statuses);
    const [only] = mine;
    if (!only) return text(r.notice_none_pending);
    if (mine.length === 1) return act(only.id);
    return text(
      [
        fill(r.notice_pick, { count: mine.length, command, example: only.id }),
        ...mine.map((b) => fill(r.notice_pick_line, { id: b.id, text: firstWords(b.text) })),
      ].join("\n"),
    );
  };

  const admin: Admin = {
    isAdmin,
    async handle(command, arg, m) {
      if (ADMIN_ONLY.has(command) && !isAdmin(m)) return refuse(m, command);
      switch (command) {
        case "subscribe": {
          if (!(await canManage(m))) return text(r.group_admin_only);
          const result = await deps.subscriptions.subscribe({
            channel: m.channel,
            chatId: m.chatId,
            chatType: m.chatType,
            title: m.chatTitle,
          });
          const template =
            result === "new" ? r.subscribed : result === "again" ? r.subscribed_again : r.already_subscribed;
          return text(fill(template, { where: where(m) }));
        }
        case "unsubscribe": {
          if (!(await canManage(m))) return text(r.group_admin_only);
          const s = await deps.subscriptions.get(m.channel, m.chatId);
          if (!s?.active) return text(fill(r.not_subscribed, { where: where(m) }));
          await deps.subscriptions.unsubscribe(m.channel, m.chatId);
          return text(fill(r.unsubscribed, { where: where(m) }));
        }
        case "status": {
          const s = await deps.subscriptions.get(m.channel, m.chatId);
          return text(
            s?.active
              ? fill(r.status_on, { where: where(m), since: formatVietnamTime(new Date(s.subscribedAt)) })
              : fill(r.status_off, { where: where(m) }),
          );
        }
        case "notice": {
          const body = arg || m.replyToText || "";
          if (body.trim().length === 0) return text(r.notice_empty);
          const { id, recipients } = await deps.broadcasts.draft(body.trim(), `${m.channel}:${m.userId}`);
          return [{ kind: "preview", broadcastId: id, recipients, text: body.trim() }];
        }
        case "schedule": {
          const mm = /^(\S+)\s+(\S+)\s+([\s\S]+)$/.exec(arg);
          const when = mm && parseVietnamTime(mm[1] as string, mm[2] as string);
          if (!mm || !when) return text(r.schedule_usage);
          if (when.getTime() <= now().getTime())
            return text(fill(r.schedule_past, { when: formatVietnamTime(when) }));
          const { id } = await deps.broadcasts.draft((mm[3] as string).trim(), `${m.channel}:${m.userId}`);
          await deps.broadcasts.schedule(id, when);
          return text(fill(r.scheduled, { id, when: formatVietnamTime(when) }));
        }
        case "schedules": {
          const list = await deps.broadcasts.scheduled();
          if (list.length === 0) return text(r.schedule_list_empty);
          return text(
            [
              r.schedule_list_header,
              ...list.map((b) =>
                fill(r.schedule_list_line, {
                  id: b.id,
                  when: formatVietnamTime(new Date(b.scheduledFor ?? 0)),
                  text: b.text.length > 80 ? `${b.text.slice(0, 80)}…` : b.text,
                }),
              ),
            ].join("\n"),
          );
        }
        case "unschedule":
        case "cancel": {
          const id = Number.parseInt(arg, 10);
          if (Number.isFinite(id)) return admin.cancel(id, m);
          const statuses =
            command === "cancel" ? (["draft", "scheduled"] as const) : (["scheduled"] as const);
          return pick(m, statuses, command === "cancel" ? "/huy" : "/huyhen", (x) => admin.cancel(x, m));
        }
        case "confirm": {
          const id = Number.parseInt(arg, 10);
          if (Number.isFinite(id)) return admin.confirm(id, m);
          return pick(m, ["draft"], "/xacnhan", (x) => admin.confirm(x, m));
        }
        case "stats":
          return text(await stats(deps));
        case "web": {
          // A link in a group could be opened by anyone in it.
          if (m.chatType !== "private") return text(r.web_private_only);
          if (!deps.webLinks) return text(r.web_not_configured);
          try {
            const url = await deps.webLinks.issue(`${m.channel}:${m.userId}`);
            (m.logger ?? deps.logger).info(
              { admin: `${m.channel}:${m.userId}` },
              "đã gửi liên kết đăng nhập trang quản trị",
            );
            return text(fill(r.web_link, { url, minutes: deps.webLinks.minutes }));
          } catch (err) {
            (m.logger ?? deps.logger).error(
              { err: (err as Error).message },
              "không tạo được liên kết đăng nhập",
            );
            return text(r.web_link_error);
          }
        }
      }
    },
    async confirm(id, m, report) {
      if (!isAdmin(m)) return refuse(m, "confirm");
      if (!Number.isFinite(id)) return pick(m, ["draft"], "/xacnhan", (x) => admin.confirm(x, m, report));
      const b = await deps.broadcasts.get(id);
      // The report goes to the chat that confirmed, on its channel (a message to edit, if any).
      const to = report ?? { chat: `${m.channel}:${m.chatId}` };
      if (!b || !(await deps.broadcasts.confirm(id, to))) return text(fill(r.notice_not_found, { id }));
      (m.logger ?? deps.logger).info(
        { broadcast: id, by: `${m.channel}:${m.userId}` },
        "thông báo đã được xác nhận gửi",
      );
      return text(fill(r.notice_queued, { id, recipients: (await deps.broadcasts.counts(id)).total }));
    },
    async cancel(id, m) {
      if (!isAdmin(m)) return refuse(m, "cancel");
      if (!Number.isFinite(id)) return pick(m, ["draft", "scheduled"], "/huy", (x) => admin.cancel(x, m));
      if (!(await deps.broadcasts.cancel(id))) return text(fill(r.notice_not_found, { id }));
      return text(fill(r.notice_cancelled, { id }));
    },
  };
  return admin;
}

/** The first words of a notice, to tell it from the others in a list. */
function firstWords(text: string, words = 8): string {
  const all = text.trim().split(/\s+/);
  return all.length > words ? `${all.slice(0, words).join(" ")}…` : all.join(" ");
}

async function stats(deps: AdminDeps): Promise<string> {
  const r = deps.replies;
  const lines = [`${r.stats_header}:`, r.stats_subscribers];
  for (const c of await deps.subscriptions.counts()) {
    const kind = c.chatType === "group" ? r.stats_kind_group : r.stats_kind_private;
    lines.push(
      fill(r.stats_subscriber_line, { channel: c.channel, kind, active: c.active, inactive: c.inactive }),
    );
  }
  // Study lessons go out as notices too (created by "study:<series>"): only administrators' notices are listed.
  const recent = await deps.broadcasts.recent(5, { withoutLessons: true });
  if (recent.length > 0) lines.push(r.stats_recent);
  for (const b of recent)
    lines.push(fill(r.stats_broadcast_line, { id: b.id, status: r[`status_${b.status}`], ...b.counts }));
  lines.push(fill(r.stats_questions, { count: await deps.questionLog.count() }));
  const top = await deps.questionLog.topUnanswered(5);
  if (top.length > 0) lines.push(r.stats_top);
  for (const q of top) lines.push(fill(r.stats_top_line, { question: q.question, count: q.count }));
  return lines.join("\n");
}

/**
 * The storage ports: what the bot keeps, as async interfaces, so that a server database
 * (PostgreSQL, for several instances) can replace the SQLite one in ./sqlite/ without the rules
 * changing. Every backend passes the same contract suite (test/storage/contract.ts). Times the
 * rules depend on (the worker's clock) are passed in; record-keeping times (when a chat
 * subscribed) are the backend's.
 */

/** One question as the engine logs it. */
export interface QuestionRecord {
  channel: string;
  chatId: string;
  userId: string;
  question: string;
  /** The answer's grade ("partial": only the closest passages were shown), or "error". */
  status: "answered" | "partial" | "not_found" | "error";
  topScore: number;
  coverage: number;
  latencyMs: number;
  /** Passage ids cited, best first. */
  citations: string[];
}

export interface LoggedQuestion extends QuestionRecord {
  id: number;
  askedAt: string;
  feedback: -1 | 1 | null;
}

/** The question log: every question with its outcome, for the administrators' "not answered" view. */
export interface QuestionLog {
  /** Logs a question; its id (for sources and feedback later). */
  record(q: QuestionRecord): Promise<number>;
  get(id: number): Promise<LoggedQuestion | undefined>;
  /** The latest questions, newest first. */
  recent(limit: number): Promise<LoggedQuestion[]>;
  /** How many questions the log holds. */
  count(): Promise<number>;
  /** The questions most often not answered (not found, or only the closest passages) since `since` (ISO time), most frequent first. */
  topUnanswered(
    limit: number,
    since?: string,
  ): Promise<{ question: string; count: number; lastAskedAt: string }[]>;
}

/** 👍/👎 on a logged question. */
export interface FeedbackStore {
  /** False when there is no such question. */
  set(questionId: number, value: -1 | 1): Promise<boolean>;
}

export interface Subscription {
  channel: string;
  chatId: string;
  chatType: "private" | "group";
  title: string | null;
  active: boolean;
  subscribedAt: string;
  updatedAt: string;
  inactiveReason: string | null;
}

/**
 * Subscriptions to announcements: one per (channel, chat), kept when a chat leaves (marked
 * inactive with the reason) so the history stays true.
 */
export interface SubscriptionStore {
  /** "new", "again" (was inactive) or "already". */
  subscribe(s: {
    channel: string;
    chatId: string;
    chatType: "private" | "group";
    title?: string;
  }): Promise<"new" | "again" | "already">;
  /** True when the chat was subscribed. */
  unsubscribe(channel: string, chatId: string): Promise<boolean>;
  get(channel: string, chatId: string): Promise<Subscription | undefined>;
  /** Marks a subscription inactive (blocked, removed from a group…); false when there is none active. */
  deactivate(channel: string, chatId: string, reason: string): Promise<boolean>;
  /** Re-activates a subscription made inactive for `reason`; true when it did. */
  reactivate(channel: string, chatId: string, reason: string): Promise<boolean>;
  /** A group that became a supergroup keeps its subscription under the new id. */
  migrate(channel: string, fromChatId: string, toChatId: string): Promise<boolean>;
  counts(): Promise<{ channel: string; chatType: string; active: number; inactive: number }[]>;
  /** Active subscriptions, on `channels` only when given. */
  countActive(channels?: readonly string[]): Promise<number>;
}

export type BroadcastStatus = "draft" | "scheduled" | "queued" | "running" | "done" | "cancelled";

/** An administrator's notice to every subscribed chat. */
export interface Broadcast {
  id: number;
  text: string;
  createdBy: string;
  createdAt: string;
  status: BroadcastStatus;
  scheduledFor: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  reportChat: string | null;
  reportMessage: string | null;
}

export interface BroadcastCounts {
  total: number;
  /** Pending or being sent. */
  pending: number;
  sent: number;
  failed: number;
  blocked: number;
  cancelled: number;
}

/** One notice to one chat, as the worker claims it. */
export interface Delivery {
  broadcastId: number;
  channel: string;
  chatId: string;
  chatType: "private" | "group";
  /** Tries so far, this claim included. */
  attempts: number;
}

/**
 * Notices and their deliveries (one per notice and chat, unique). The worker claims one delivery
 * at a time (`sending`) and settles it; deliveries left `sending` by a process that died are
 * put back by `resumeSending`.
 */
export interface NoticeStore {
  /** A new draft; its id. */
  create(text: string, createdBy: string, at: string): Promise<number>;
  get(id: number): Promise<Broadcast | undefined>;
  /**
   * A draft or scheduled notice becomes queued, with one pending delivery per active
   * subscription on `channels` (at once, or not at all); false for any other notice. `report`
   * (the chat, and the message to edit if any) replaces the notice's report place when given.
   */
  queue(
    id: number,
    channels: readonly string[],
    report: { chat: string; message?: string } | undefined,
    at: string,
  ): Promise<boolean>;
  /** A draft becomes scheduled for `when` (ISO time); false otherwise. */
  schedule(id: number, when: string): Promise<boolean>;
  /** A draft, scheduled, queued or running notice is cancelled, its pending deliveries too. */
  cancel(id: number, at: string): Promise<boolean>;
  counts(id: number): Promise<BroadcastCounts>;
  /** Scheduled notices, soonest first. */
  scheduled(): Promise<Broadcast[]>;
  /** Notices made by `createdBy` in one of `statuses`, oldest first. */
  byCreator(createdBy: string, statuses: readonly BroadcastStatus[]): Promise<Broadcast[]>;
  /** The latest notices that are not drafts, newest first, with their counts. */
  recent(limit: number): Promise<(Broadcast & { counts: BroadcastCounts })[]>;
  /** Queued notices start running. */
  startQueued(at: string): Promise<void>;
  running(): Promise<Broadcast[]>;
  /** A running notice is done. */
  finish(id: number, at: string): Promise<void>;
  /** Deliveries left `sending` go back to pending; how many. */
  resumeSending(at: string): Promise<number>;
  /** The next pending delivery on `channel` due by `nowMs` of a queued or running notice, now `sending`. */
  claim(channel: string, nowMs: number, at: string): Promise<Delivery | undefined>;
  /** A claimed delivery's outcome; `nextAtMs` is when a pending one may be tried again. */
  settle(
    d: Pick<Delivery, "broadcastId" | "channel" | "chatId">,
    outcome: { status: "sent" | "pending" | "blocked" | "failed"; error: string | null; nextAtMs: number },
    at: string,
  ): Promise<void>;
  /** Whether a queued or running notice has deliveries left. */
  hasWork(): Promise<boolean>;
}

/** A named lease with an expiry, so one worker sends at a time across processes. */
export interface LeaseStore {
  /** Takes or renews `name` for `holder` until `untilMs`, unless another holder's has not expired by `nowMs`. */
  hold(name: string, holder: string, untilMs: number, nowMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/** Messages sent per channel and month, for platforms that cap them (Zalo's free plan). */
export interface UsageCounter {
  add(channel: string, n?: number): Promise<void>;
  /** Messages sent on `channel` this month (Vietnam's time). */
  used(channel: string): Promise<number>;
}

/** Per-chat state kept between messages (the conversation: follow-ups, sources), as JSON. */
export interface SessionStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Everything the bot keeps, from one backend. */
export interface Storage {
  questions: QuestionLog;
  feedback: FeedbackStore;
  subscriptions: SubscriptionStore;
  notices: NoticeStore;
  lease: LeaseStore;
  usage: UsageCounter;
  sessions: SessionStore;
  /** The administrators' web page: sign-in links and sessions, audit log, the pages' queries. */
  webSignIn: WebSignInStore;
  audit: AuditLog;
  questionInsights: QuestionInsights;
  subscriberDirectory: SubscriberDirectory;
  noticeInsights: NoticeInsights;
  sessionRetention: SessionRetention;
  close(): Promise<void>;
}

// ─── Administrators' web page (issue 14) ────────────────────────────────────────────────────

/**
 * A session of the administrators' web page. Only hashes of the secrets are kept (a copy of the
 * database opens no session); `admin` is the administrator's identity, "telegram:123",
 * "zalo:abc" or "console:<user>".
 */
export interface WebSession {
  idHash: string;
  admin: string;
  /** The token every form of this session carries (CSRF). */
  csrf: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end of the session, whatever its activity. */
  expiresAt: string;
}

/** One-time sign-in links and sessions of the administrators' web page. */
export interface WebSignInStore {
  /** Keeps a one-time link (its token's hash) for `admin`, usable until `expiresAt`. */
  createLink(tokenHash: string, admin: string, createdAt: string, expiresAt: string): Promise<void>;
  /** The administrator of a link neither used nor expired at `at`, without using it. */
  peekLink(tokenHash: string, at: string): Promise<string | undefined>;
  /** Uses a link once (atomically): its administrator when it was unused and unexpired at `at`. */
  useLink(tokenHash: string, at: string): Promise<string | undefined>;
  createSession(s: WebSession): Promise<void>;
  getSession(idHash: string): Promise<WebSession | undefined>;
  /** Records activity (for the idle expiry). */
  touchSession(idHash: string, at: string): Promise<void>;
  endSession(idHash: string): Promise<void>;
  /** Drops links and sessions expired by `at` (sessions idle since before `idleBefore` too); how many. */
  prune(at: string, idleBefore: string): Promise<number>;
}

export interface AuditEntry {
  id: number;
  at: string;
  /** Who: the administrator's identity ("telegram:123"). */
  actor: string;
  /** What, as a short machine name: "sign-in", "notice-send", "questions-export"… */
  action: string;
  /** The object of the action and its figures (a notice's id, a filter), never a secret. */
  detail: string;
}

/** What administrators did on the web page (who, what, when), kept for accountability. */
export interface AuditLog {
  record(e: { actor: string; action: string; detail: string; at: string }): Promise<void>;
  /** The latest entries, newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
}

/** What the Questions page filters by; every field optional. */
export interface QuestionFilter {
  /**
   * Words the question contains, case and diacritics aside: each word typed begins one of its words
   * ("ket lu" finds "Kết luận"); text of symbols only is matched as typed.
   */
  text?: string;
  statuses?: readonly QuestionRecord["status"][];
  feedback?: -1 | 1;
  channel?: string;
  /** ISO times: asked at or after `from`, before `to`. */
  from?: string;
  to?: string;
}

/** Questions of one day (Vietnam's time) by outcome, for the overview chart. */
export interface QuestionDay {
  /** yyyy-mm-dd in Vietnam's time. */
  day: string;
  answered: number;
  partial: number;
  notFound: number;
  liked: number;
  disliked: number;
}

/** The question log as the web page reads it: search, daily figures, and retention. */
export interface QuestionInsights {
  /** Questions matching `filter`, newest first, and how many match in all. */
  search(
    filter: QuestionFilter,
    limit: number,
    offset: number,
  ): Promise<{ total: number; rows: LoggedQuestion[] }>;
  /** Only the wording and time of the questions matching `filter`, newest first (the gaps of the knowledge base). */
  texts(filter: QuestionFilter, limit: number): Promise<{ question: string; askedAt: string }[]>;
  /** Questions per day asked at or after `since` (ISO time), oldest day first; days without questions are absent. */
  daily(since: string): Promise<QuestionDay[]>;
  /** Deletes the questions asked before `before` (ISO time); how many. */
  prune(before: string): Promise<number>;
}

/** Which subscriptions the Subscribers page lists. */
export interface SubscriberFilter {
  channel?: string;
  chatType?: "private" | "group";
  active?: boolean;
}

/** Subscriptions as the web page lists them. */
export interface SubscriberDirectory {
  /** Subscriptions matching `filter`, most recently changed first, and how many match. */
  list(
    filter: SubscriberFilter,
    limit: number,
    offset: number,
  ): Promise<{ total: number; rows: Subscription[] }>;
}

/** A notice's deliveries counted per channel (its report on the web page). */
export interface NoticeChannelCounts extends BroadcastCounts {
  channel: string;
}

/** Retention of the chats' conversations (they hold the last question asked, a user's words). */
export interface SessionRetention {
  /** Deletes the sessions last written before `before` (ISO time); how many. */
  prune(before: string): Promise<number>;
}

/** Notices as the web page reports them. */
export interface NoticeInsights {
  /** A notice's deliveries per channel, in channel order. */
  countsByChannel(id: number): Promise<NoticeChannelCounts[]>;
}

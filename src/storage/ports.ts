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
  /** Several instances (issue 16). */
  claims: UpdateClaims;
  rateLimits: RateLimitStore;
  knowledge: KnowledgeVersions;
  /** Which backend this is, and a round trip to it (throws when the database cannot be reached). */
  ping(): Promise<{ backend: "sqlite" | "postgres" }>;
  close(): Promise<void>;
}

// ── Several instances (issue 16): what instances behind one webhook address share ──────────

/**
 * Incoming updates claimed by id (Telegram's update_id, Zalo's message_id), so that an update
 * delivered to two instances, or twice to one, is answered once.
 */
export interface UpdateClaims {
  /** True for the first claim of (`channel`, `id`) only; `atMs` is kept for pruning. */
  claim(channel: string, id: string, atMs: number): Promise<boolean>;
  /** Forgets claims older than `beforeMs` (platforms stop retrying within hours); how many. */
  prune(beforeMs: number): Promise<number>;
}

/** Per-key sliding-window counters (questions per user per minute), the same for every instance. */
export interface RateLimitStore {
  /** Takes one of `limit` units per `windowMs` for `key` at `nowMs`: 0 when allowed, else ms to wait. */
  take(key: string, limit: number, windowMs: number, nowMs: number): Promise<number>;
}

/** The version of the shared documents: bumped by whoever changes them, watched by every instance. */
export interface KnowledgeVersions {
  /** The current version (0 before any change was announced) and when it last changed. */
  current(): Promise<{ version: number; changedAt: string | null }>;
  /** Announces a change of the documents; the new version. */
  bump(at: string): Promise<number>;
}

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
  /**
   * The latest notices that are not drafts, newest first, with their counts; with
   * `withoutLessons`, administrators' notices only (not the lessons of study series, created by
   * "study:<series>"), so that lessons cannot crowd them out of a list.
   */
  recent(
    limit: number,
    options?: { withoutLessons?: boolean },
  ): Promise<(Broadcast & { counts: BroadcastCounts })[]>;
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

// ─── Study series and quizzes (issue 15) ───────────────────────────────────────────────────

export type SeriesStatus = "draft" | "active" | "paused" | "stopped";

/** A study series: one document's passages (or chosen sections), one lesson per scheduled send. */
export interface StudySeries {
  id: number;
  title: string;
  documentId: string;
  /** The lessons' passage ids, in reading order. */
  passages: string[];
  /** A cron expression read in Asia/Ho_Chi_Minh ("0 7 * * 1-5"). */
  schedule: string;
  status: SeriesStatus;
  createdBy: string;
  createdAt: string;
  /** The due time of the last scheduled send queued (ISO), null before the first. */
  lastRunAt: string | null;
}

/** A lesson's check question as it is sent: quiz poll fields, and the numbered form for channels without polls. */
export interface LessonQuestion {
  question: string;
  options: string[];
  correct: number;
  explanation: string;
  plain: string;
}

/** A lesson as queued: its text, and its check question when it has one. */
export interface QueuedLesson {
  text: string;
  question?: LessonQuestion;
}

/** A chat following a series, with its own progress. */
export interface StudyMember {
  seriesId: number;
  channel: string;
  chatId: string;
  chatType: "private" | "group";
  title: string | null;
  active: boolean;
  /** Lessons this chat has been given: its next lesson is `done + 1`. */
  done: number;
  joinedAt: string;
  /** When it last joined, left or was given a lesson. */
  updatedAt: string;
}

/**
 * Series, the chats that follow them and their progress. A scheduled send is queued as notices
 * of the broadcast worker (one per lesson number, created by `study:<series id>`), so lessons
 * share the announcements' pacing, crash safety, blocked-chat handling and counts.
 */
export interface StudyStore {
  createSeries(
    s: { title: string; documentId: string; passages: string[]; schedule: string; createdBy: string },
    at: string,
  ): Promise<number>;
  getSeries(id: number): Promise<StudySeries | undefined>;
  /** Series in one of `statuses` (every series without), oldest first. */
  listSeries(statuses?: readonly SeriesStatus[]): Promise<StudySeries[]>;
  /**
   * A series in one of `from` gets status `to`; false otherwise. One that becomes active counts
   * its runs from `at` (ISO): a send missed while it was paused is not made when it resumes.
   */
  setStatus(id: number, to: SeriesStatus, from: readonly SeriesStatus[], at: string): Promise<boolean>;
  /** "new", "again" (had left: progress kept) or "already". */
  join(
    seriesId: number,
    chat: { channel: string; chatId: string; chatType: "private" | "group"; title?: string },
    at: string,
  ): Promise<"new" | "again" | "already">;
  /** True when the chat was following the series. */
  leave(seriesId: number, channel: string, chatId: string, at: string): Promise<boolean>;
  member(seriesId: number, channel: string, chatId: string): Promise<StudyMember | undefined>;
  /** The series a chat follows (active memberships), the most recently given a lesson first. */
  membershipsOf(channel: string, chatId: string): Promise<StudyMember[]>;
  /** Active members of a series. */
  members(seriesId: number): Promise<StudyMember[]>;
  /** Every active membership of a chat (blocked, removed from a group) ends; how many did. */
  deactivateChat(channel: string, chatId: string, at: string): Promise<number>;
  /**
   * A group that became a supergroup (Telegram gives it a new id) keeps its memberships and
   * progress under the new id; a series the new id already follows keeps that membership, and
   * the old one ends. How many memberships moved.
   */
  migrateChat(channel: string, fromChatId: string, toChatId: string, at: string): Promise<number>;
  /** A chat at `done` lessons moves on by one (a lesson shown on request); false if it was not at `done`. */
  advance(seriesId: number, channel: string, chatId: string, done: number, at: string): Promise<boolean>;
  /**
   * One scheduled send, at once or not at all: unless the series is no longer active (paused or
   * stopped since it was listed) or its last run is at or after `runAt`, each active member on `channels` whose next lesson exists (`lessons[i]` is lesson
   * i + 1) gets it as a pending delivery of that lesson's notice (its text; its question kept
   * with it), moves on by one, and `runAt` becomes the last run. The notices queued, by lesson
   * (none when already run).
   */
  queueRun(
    seriesId: number,
    runAt: string,
    lessons: readonly QueuedLesson[],
    channels: readonly string[],
    at: string,
  ): Promise<{ broadcastId: number; lesson: number; chats: number }[]>;
  /** The series, lesson (from 1) and check question a lesson notice carries. */
  lessonOf(
    broadcastId: number,
  ): Promise<{ seriesId: number; lesson: number; question?: LessonQuestion } | undefined>;
}

/** A quiz question as sent: rendered texts, the right option, and the explanation with its citation. */
export interface QuizQuestion {
  /** The generated item's id (discarded items are named by it). */
  itemId: string;
  question: string;
  options: string[];
  correct: number;
  /** Shown after an answer: the right option and the citation. */
  explanation: string;
}

export type QuizStatus = "draft" | "scheduled" | "running" | "done" | "cancelled";

/** A quiz for one chat: questions asked one at a time, `seconds` each. */
export interface Quiz {
  id: number;
  channel: string;
  chatId: string;
  chatType: "private" | "group";
  createdBy: string;
  status: QuizStatus;
  questions: QuizQuestion[];
  seconds: number;
  /** The question being asked (from 0), -1 before the first. */
  current: number;
  /** When the next question is due (ms since the epoch), while running. */
  nextAtMs: number;
  /** When a scheduled quiz starts (ISO). */
  scheduledFor: string | null;
  /** A cron expression (Asia/Ho_Chi_Minh) for a quiz that comes back (weekly), else null. */
  repeat: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One person's answer to one question. */
export interface QuizAnswer {
  quizId: number;
  question: number;
  channel: string;
  chatId: string;
  userId: string;
  userName: string | null;
  option: number;
  correct: boolean;
  answeredAt: string;
}

/** The quizzes and answers of one channel and chat, when given (every chat without). */
export interface QuizFilter {
  channel?: string;
  chatId?: string;
}

/** One chat's quiz figures: quizzes run there, the people who answered and their answers. */
export interface QuizChatFigures {
  channel: string;
  chatId: string;
  quizzes: number;
  people: number;
  answers: number;
  correct: number;
}

/** One person's quiz figures (a person is a user id on a channel). */
export interface QuizPersonFigures {
  channel: string;
  userId: string;
  /** The latest name they answered under. */
  name: string | null;
  answered: number;
  correct: number;
  /** Quizzes they answered in, and the quizzes run in the chats they answered in. */
  quizzes: number;
  run: number;
}

/** One question's answers. */
export interface QuizQuestionFigures {
  quizId: number;
  question: number;
  /** The question as it was asked. */
  text: string;
  answers: number;
  correct: number;
}

/** Quizzes, their polls (Telegram) and the answers: one answer per person and question. */
export interface QuizStore {
  create(
    q: {
      channel: string;
      chatId: string;
      chatType: "private" | "group";
      createdBy: string;
      questions: QuizQuestion[];
      seconds: number;
      scheduledFor?: string;
      repeat?: string;
    },
    at: string,
  ): Promise<number>;
  get(id: number): Promise<Quiz | undefined>;
  /** A chat's quizzes in one of `statuses`, oldest first. */
  ofChat(channel: string, chatId: string, statuses: readonly QuizStatus[]): Promise<Quiz[]>;
  /** Replaces the questions of a draft or scheduled quiz (an item discarded); false otherwise. */
  setQuestions(id: number, questions: QuizQuestion[]): Promise<boolean>;
  /** A draft or scheduled quiz starts: running, its first question due at `nowMs`. */
  start(id: number, nowMs: number): Promise<boolean>;
  /** Running quizzes whose next step is due by `nowMs`. */
  due(nowMs: number): Promise<Quiz[]>;
  /** Scheduled quizzes whose time has come by `at` (ISO). */
  dueScheduled(at: string): Promise<Quiz[]>;
  /** A running quiz at question `from` moves to `from + 1`, the next step at `nextAtMs`; false if it was not at `from`. */
  step(id: number, from: number, nextAtMs: number): Promise<boolean>;
  /** A running quiz is done. */
  finish(id: number, at: string): Promise<boolean>;
  /** A draft, scheduled or running quiz is cancelled. */
  cancel(id: number, at: string): Promise<boolean>;
  /** A group that became a supergroup keeps its quizzes (and their answers) under its new id; how many quizzes moved. */
  migrateChat(channel: string, fromChatId: string, toChatId: string): Promise<number>;
  /** The platform's poll id of a question sent as a poll. */
  recordPoll(pollId: string, quizId: number, question: number): Promise<void>;
  pollOf(pollId: string): Promise<{ quizId: number; question: number } | undefined>;
  /** Keeps a person's first answer to a question; false when they had answered it. */
  answer(a: Omit<QuizAnswer, "answeredAt">, at: string): Promise<boolean>;
  /** Answers, on one channel and chat when given (every chat without), oldest first. */
  answers(filter?: { channel?: string; chatId?: string; quizId?: number }): Promise<QuizAnswer[]>;
  /** Quizzes that ran (running or done), on one channel and chat when given. */
  ran(filter?: { channel?: string; chatId?: string }): Promise<Quiz[]>;
  /**
   * The figures of /ketqua and the administrators' page, counted by the database (never every
   * answer in memory): quizzes that ran, answers and right answers.
   */
  totals(filter?: QuizFilter): Promise<{ quizzes: number; answers: number; correct: number }>;
  /** Per chat with answers, the most answers first. */
  chatFigures(filter?: QuizFilter): Promise<QuizChatFigures[]>;
  /** The `limit` people with the most right answers (then the highest share of right answers). */
  topPeople(filter: QuizFilter, limit: number): Promise<QuizPersonFigures[]>;
  /** The `limit` questions answered at least once with the lowest share of right answers (then the most answered). */
  hardestQuestions(filter: QuizFilter, limit: number): Promise<QuizQuestionFigures[]>;
  /** Deletes the answers given before `before` (ISO): they hold user ids and names. How many. */
  prune(before: string): Promise<number>;
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
  /** Study series and their members (issue 15). */
  study: StudyStore;
  /** Quizzes and their answers (issue 15). */
  quizzes: QuizStore;
  /** Several instances (issue 16). */
  claims: UpdateClaims;
  rateLimits: RateLimitStore;
  knowledge: KnowledgeVersions;
  /** Which backend this is, and a round trip to it (throws when the database cannot be reached). */
  ping(): Promise<{ backend: "sqlite" | "postgres" }>;
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
  /** Forgets the keys whose last question was before `beforeMs` (one row per user otherwise stays); how many. */
  prune(beforeMs: number): Promise<number>;
}

/** The version of the shared documents: bumped by whoever changes them, watched by every instance. */
export interface KnowledgeVersions {
  /** The current version (0 before any change was announced) and when it last changed. */
  current(): Promise<{ version: number; changedAt: string | null }>;
  /** Announces a change of the documents; the new version. */
  bump(at: string): Promise<number>;
}

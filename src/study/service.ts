/**
 * Study series and quizzes, channel-neutral: the commands (everyone's /chuoi, /thamgia, /roikhoi,
 * /baihoc, /ketqua; the administrators' series and quiz commands), the schedule (a `tick` the
 * bot calls every few seconds with its clock: due series sends are queued for the broadcast
 * worker, due quiz questions are asked), the worker's hooks (a lesson's check question, a
 * blocked chat leaving its series), answers (Telegram's poll answers; a number typed on channels
 * without polls, graded in reply) and the figures of the quizzes for the administrators' page.
 * Everything kept goes through the storage ports; every text comes from the prompts.
 */
import { formatVietnamTime } from "../bot/admin.js";
import type { StudyCommand } from "../bot/features/types.js";
import type { Incoming, Reply } from "../bot/types.js";
import type { DeliveryExtra, SendResult } from "../broadcast/service.js";
import { errorSummary, type Logger } from "../logger.js";
import { fill, type Replies } from "../prompts.js";
import type {
  Broadcast,
  Delivery,
  Quiz,
  QuizQuestion,
  QuizStore,
  StudyMember,
  StudySeries,
  StudyStore,
} from "../storage/ports.js";
import { fold } from "../text/vietnamese.js";
import { lessonAfterDelivery, lessonExtra } from "./delivery.js";
import {
  gradedLesson,
  lessonQuestion,
  lessonText,
  plainQuestion,
  questionOf,
  quizBank,
  type StudyIndex,
  seriesPassages,
} from "./lessons.js";
import { describeSchedule, lastDue, nextRun, readSchedule, type ScheduleProblem } from "./schedule.js";

export type { StudyCommand };

/** How quizzes reach a chat: a message, and a quiz poll where the platform has them. */
export interface QuizMessenger {
  readonly channel: string;
  send(chatId: string, text: string): Promise<void>;
  /** Sends a quiz poll open `seconds`; its poll id. Absent where the platform has no polls (Zalo). */
  poll?(
    chatId: string,
    q: { question: string; options: string[]; correct: number; explanation: string },
    seconds: number,
  ): Promise<string>;
}

export interface StudyDeps {
  study: StudyStore;
  quizzes: QuizStore;
  /** The knowledge index in use. */
  index: () => StudyIndex;
  /** Channels the worker delivers on (lessons are queued for these). */
  channels: readonly string[];
  messengers?: readonly QuizMessenger[];
  /** Whether the sender is one of the bot's administrators (the admin module decides). */
  isAdmin: (m: Incoming) => boolean;
  replies: Replies;
  logger: Logger;
  now?: () => Date;
}

/** Quiz figures per person, per group and per question, for /ketqua and the administrators' page. */
export interface QuizFigures {
  quizzes: number;
  answers: number;
  /** Share of answers that were right, 0..1. */
  correctRate: number;
  /** The 200 people with the most right answers, the most first. */
  people: {
    channel: string;
    userId: string;
    name: string | null;
    answered: number;
    correct: number;
    correctRate: number;
    /** Quizzes taken part in, and the share of the quizzes run in their chats. */
    quizzes: number;
    participation: number;
  }[];
  groups: {
    channel: string;
    chatId: string;
    quizzes: number;
    people: number;
    answers: number;
    correctRate: number;
  }[];
  /** Questions answered at least once, the lowest share of right answers first (the 20 hardest). */
  hardest: { quizId: number; question: number; text: string; answers: number; correctRate: number }[];
}

export interface StudyService {
  handle(command: StudyCommand, arg: string, m: Incoming): Promise<Reply[]>;
  /**
   * A number typed where a question waits (a quiz's, on a channel without polls; else the last
   * lesson's check question): the graded reply. Undefined when nothing waits: the text is a question.
   */
  answerByNumber(m: Incoming, text: string): Promise<Reply[] | undefined>;
  /** An answer to a quiz poll (Telegram). */
  pollAnswer(a: { pollId: string; userId: string; userName: string; option: number }): Promise<void>;
  /** Queues due series sends and asks due quiz questions; call every few seconds. */
  tick(): Promise<void>;
  /** The worker's hook: a lesson's check question (kept with the lesson when it was queued). */
  extraFor(d: Delivery, b: Broadcast | undefined): Promise<DeliveryExtra | undefined>;
  /** The worker's hook: a blocked chat leaves its series. */
  afterDelivery(d: Delivery, result: SendResult): Promise<void>;
  /** The quiz figures, of one chat when given. */
  figures(filter?: { channel?: string; chatId?: string }): Promise<QuizFigures>;
}

/**
 * A quiz that starts has its first question due this long after, so that no instance's tick
 * asks it before the start message is out; the instance that starts it asks it right after
 * that message (the timer's tick only when that instance died in between).
 */
const FIRST_QUESTION_GUARD_MS = 10_000;

/** The figures list at most this many people (the most right answers first) and hardest questions. */
const FIGURES_PEOPLE = 200;
const FIGURES_HARDEST = 20;

const NUMBER_ANSWER = /^(?:cau\s*|dap an\s*|chon\s*)?(\d{1,2})\s*[.!]?$/;

export function createStudyService(deps: StudyDeps): StudyService {
  const r = deps.replies;
  const now = deps.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const text = (t: string): Reply[] => [{ kind: "text", text: t }];
  const where = (m: Incoming) => (m.chatType === "group" ? r.where_group : r.where_private);
  const messengers = new Map((deps.messengers ?? []).map((x) => [x.channel, x]));
  const canManage = async (m: Incoming) =>
    m.chatType === "private" || deps.isAdmin(m) || (await m.isChatAdmin?.().catch(() => false)) === true;
  const statusText = (s: StudySeries) => r[`study_status_${s.status}`];
  const when = (d: Date | undefined) => (d ? formatVietnamTime(d) : "—");

  const passageOf = (id: string) => {
    const index = deps.index();
    return index.passage(id) ?? { id, docId: "", sectionPath: [], headings: "", text: "…", ordinal: 0 };
  };
  const lesson = (s: StudySeries, n: number) =>
    lessonText(deps.index(), s, n, s.passages.length, passageOf(s.passages[n - 1] as string), r);
  const questionReply = (s: StudySeries, n: number): Reply[] => {
    const q = lessonQuestion(deps.index(), passageOf(s.passages[n - 1] as string), r);
    return q ? [{ kind: "question", ...q }] : [];
  };

  /** Why a schedule is refused, in words (a schedule not read at all: `unreadable`). */
  const refusal = (problem: Exclude<ScheduleProblem, "unreadable">, schedule: string) =>
    fill(problem === "seconds" ? r.study_schedule_seconds : r.study_schedule_too_often, { schedule });

  const seriesArg = async (arg: string, command: string) => {
    const id = Number.parseInt(arg, 10);
    if (!Number.isFinite(id)) return { reply: text(fill(r.study_id_usage, { command })) };
    const s = await deps.study.getSeries(id);
    if (!s) return { reply: text(fill(r.study_series_not_found, { id })) };
    return { series: s };
  };

  // ── Quizzes ──────────────────────────────────────────────────────────────────────────────

  /**
   * `count` questions drawn from the bank, mixed forms: first items new to the chat, one per
   * sentence; then items it has had (or `exclude`), still one per sentence; then, for a small
   * bank, more of the same sentences, one per fact.
   */
  const draw = async (
    count: number,
    channel: string,
    chatId: string,
    exclude: ReadonlySet<string> = new Set(),
  ) => {
    const bank = quizBank(deps.index(), r);
    const used = new Set(
      (await deps.quizzes.ran({ channel, chatId })).flatMap((q) => q.questions.map((x) => x.itemId)),
    );
    const order = bank.map((item) => ({ item, key: Math.random() })).sort((a, b) => a.key - b.key);
    const chosen: QuizQuestion[] = [];
    const ids = new Set<string>();
    const sentences = new Set<string>();
    const facts = new Set<string>();
    for (const pass of [0, 1, 2]) {
      for (const { item } of order) {
        if (chosen.length >= count) break;
        const fact = `${item.source.sentence}\u0000${item.answer}`;
        if (ids.has(item.id) || facts.has(fact)) continue;
        if (pass < 2 && sentences.has(item.source.sentence)) continue;
        if (pass === 0 && (used.has(item.id) || exclude.has(item.id))) continue;
        ids.add(item.id);
        sentences.add(item.source.sentence);
        facts.add(fact);
        chosen.push(questionOf(item, r));
      }
    }
    return chosen;
  };

  const quizOptions = (arg: string) => {
    const folded = fold(arg.toLowerCase());
    const count = Number(/(\d{1,2})\s*cau/.exec(folded)?.[1] ?? 10);
    const seconds = Number(/(\d{1,3})\s*(?:giay|s\b)/.exec(folded)?.[1] ?? 30);
    const rest = folded
      .replace(/(\d{1,2})\s*cau/, " ")
      .replace(/(\d{1,3})\s*(?:giay|s\b)(?:\s*(?:moi|1|mot)\s*cau)?/, " ")
      .replace(/[,;]/g, " ")
      .trim();
    return { count: Math.min(Math.max(count, 1), 50), seconds: Math.min(Math.max(seconds, 10), 600), rest };
  };

  const ask = async (q: Quiz, n: number) => {
    const m = messengers.get(q.channel);
    const question = q.questions[n] as QuizQuestion;
    const asked = {
      ...question,
      question: fill(r.quiz_question, { n: n + 1, total: q.questions.length, question: question.question }),
    };
    if (!m) return;
    if (m.poll) {
      const pollId = await m.poll(q.chatId, asked, q.seconds);
      await deps.quizzes.recordPoll(pollId, q.id, n);
    } else await m.send(q.chatId, plainQuestion(asked, r, fill(r.quiz_answer_hint, { seconds: q.seconds })));
  };

  /** A scheduled quiz whose time has come: started once across instances, next week's drawn first. */
  const startScheduled = async (q: Quiz, nowMs: number) => {
    if (!(await deps.quizzes.start(q.id, nowMs + FIRST_QUESTION_GUARD_MS))) return;
    const next = q.repeat ? nextRun(q.repeat, now()) : undefined;
    if (q.repeat && next) {
      // The next week's quiz, drawn now so that it can be previewed and trimmed before it goes
      // out, and before anything is sent: a failed send must not end a weekly quiz for good.
      await deps.quizzes.create(
        {
          channel: q.channel,
          chatId: q.chatId,
          chatType: q.chatType,
          createdBy: q.createdBy,
          questions: await draw(
            q.questions.length,
            q.channel,
            q.chatId,
            new Set(q.questions.map((x) => x.itemId)),
          ),
          seconds: q.seconds,
          scheduledFor: next.toISOString(),
          repeat: q.repeat,
        },
        iso(),
      );
    }
    await messengers
      .get(q.channel)
      ?.send(q.chatId, fill(r.quiz_started, { id: q.id, count: q.questions.length, seconds: q.seconds }));
    await stepDue({ ...q, status: "running", current: -1 }, now().getTime());
  };

  /** A running quiz whose step is due: its next question, or its end. */
  const stepDue = async (q: Quiz, nowMs: number) => {
    const m = messengers.get(q.channel);
    const next = q.current + 1;
    const last = next >= q.questions.length;
    // The conditional step (or finish) decides which instance moves the quiz on: only the
    // one whose update won says anything, so a group hears each message once.
    const won = last
      ? await deps.quizzes.finish(q.id, iso())
      : await deps.quizzes.step(q.id, q.current, nowMs + q.seconds * 1000);
    if (!won) return;
    // Where there are no polls, the answer of the question whose time is up is said.
    if (q.current >= 0 && m && !m.poll) {
      const done = q.questions[q.current] as QuizQuestion;
      await m.send(q.chatId, fill(r.quiz_time_up, { n: q.current + 1, explanation: done.explanation }));
    }
    if (!last) await ask(q, next);
    else {
      const answers = await deps.quizzes.answers({ quizId: q.id });
      const people = new Set(answers.map((a) => a.userId)).size;
      const rate =
        answers.length === 0
          ? 0
          : Math.round((100 * answers.filter((a) => a.correct).length) / answers.length);
      await m?.send(q.chatId, fill(r.quiz_done, { id: q.id, people, rate }));
    }
  };

  /** One quiz's failure (a send refused, a chat gone) is logged and does not stop the others. */
  const each = async (quizzes: Quiz[], work: (q: Quiz) => Promise<void>, what: string) => {
    for (const q of quizzes) {
      try {
        await work(q);
      } catch (err) {
        deps.logger.error({ quiz: q.id, channel: q.channel, err: errorSummary(err) }, what);
      }
    }
  };

  const quizTick = async () => {
    const nowMs = now().getTime();
    await each(
      await deps.quizzes.dueScheduled(iso()),
      (q) => startScheduled(q, nowMs),
      "lỗi khi bắt đầu bài kiểm tra đã hẹn",
    );
    await each(await deps.quizzes.due(nowMs), (q) => stepDue(q, nowMs), "lỗi khi gửi câu hỏi kiểm tra");
  };

  /**
   * Quiz ticks of this process never overlap (the timer's, and a test's or a command's): a tick
   * asked for while one runs waits for it, then runs once for every caller that waited.
   */
  let ticking: Promise<void> | undefined;
  let waiting: Promise<void> | undefined;
  const quizTickOnce = (): Promise<void> => {
    if (!ticking) {
      ticking = quizTick().finally(() => {
        ticking = undefined;
      });
      return ticking;
    }
    waiting ??= ticking
      .catch(() => undefined)
      .then(() => {
        waiting = undefined;
        return quizTickOnce();
      });
    return waiting;
  };

  const seriesTick = async () => {
    for (const s of await deps.study.listSeries(["active"])) {
      const from = new Date(s.lastRunAt ?? s.createdAt);
      const due = lastDue(s.schedule, from, now());
      if (!due) continue;
      // Each lesson with its check question, kept with the queued notice.
      const lessons = s.passages.map((id, i) => {
        const question = lessonQuestion(deps.index(), passageOf(id), r);
        return { text: lesson(s, i + 1), ...(question ? { question } : {}) };
      });
      const queued = await deps.study.queueRun(s.id, due.toISOString(), lessons, deps.channels, iso());
      if (queued.length > 0)
        deps.logger.info(
          {
            series: s.id,
            lessons: queued.map((q) => q.lesson),
            chats: queued.reduce((n, q) => n + q.chats, 0),
          },
          "đã xếp bài học của chuỗi vào hàng gửi",
        );
    }
  };

  const quizPreview = (q: Quiz): Reply[] =>
    text(
      [
        fill(r.quiz_preview_header, { id: q.id, count: q.questions.length, seconds: q.seconds }),
        ...q.questions.map((x, i) =>
          fill(r.quiz_preview_item, {
            n: i + 1,
            question: x.question,
            options: x.options.map((option, j) => fill(r.study_option_line, { n: j + 1, option })).join("\n"),
            explanation: x.explanation,
          }),
        ),
        fill(r.quiz_preview_hint, { id: q.id }),
      ].join("\n\n"),
    );

  const quizArg = async (arg: string, command: string) => {
    const id = Number.parseInt(arg, 10);
    if (!Number.isFinite(id)) return { reply: text(fill(r.quiz_id_usage, { command })) };
    const q = await deps.quizzes.get(id);
    if (!q || q.status === "done" || q.status === "cancelled")
      return { reply: text(fill(r.quiz_not_found, { id })) };
    return { quiz: q };
  };

  const ADMIN: ReadonlySet<StudyCommand> = new Set([
    "series_create",
    "series_preview",
    "series_start",
    "series_pause",
    "series_stop",
    "quiz_create",
    "quiz_weekly",
    "quiz_preview",
    "quiz_discard",
    "quiz_start",
    "quiz_cancel",
  ]);

  const service: StudyService = {
    async handle(command, arg, m) {
      if (ADMIN.has(command) && !deps.isAdmin(m)) {
        (m.logger ?? deps.logger).warn(
          { channel: m.channel, userId: m.userId, command },
          "người không phải quản trị viên dùng lệnh quản trị",
        );
        return text(r.admin_only);
      }
      switch (command) {
        case "series_list": {
          const list = (await deps.study.listSeries(["draft", "active", "paused"])).filter(
            (s) => s.status !== "draft" || deps.isAdmin(m),
          );
          if (list.length === 0) return text(r.study_list_empty);
          return text(
            [
              r.study_list_header,
              ...list.map((s) =>
                fill(r.study_list_line, {
                  id: s.id,
                  series: s.title,
                  status: statusText(s),
                  total: s.passages.length,
                  schedule: describeSchedule(s.schedule, r),
                }),
              ),
              r.study_list_hint,
            ].join("\n"),
          );
        }
        case "series_join":
        case "series_leave": {
          const got = await seriesArg(arg, command === "series_join" ? "/thamgia" : "/roikhoi");
          if (!got.series) return got.reply;
          const s = got.series;
          if (!(await canManage(m))) return text(r.study_group_admin_only);
          if (command === "series_leave") {
            if (!(await deps.study.leave(s.id, m.channel, m.chatId, iso())))
              return text(fill(r.study_not_joined, { where: where(m), id: s.id }));
            return text(fill(r.study_left, { where: where(m), series: s.title }));
          }
          if (s.status === "stopped") return text(fill(r.study_cannot, { id: s.id, status: statusText(s) }));
          const result = await deps.study.join(
            s.id,
            { channel: m.channel, chatId: m.chatId, chatType: m.chatType, title: m.chatTitle },
            iso(),
          );
          const member = (await deps.study.member(s.id, m.channel, m.chatId)) as StudyMember;
          if (result === "already")
            return text(
              fill(r.study_already_joined, {
                where: where(m),
                series: s.title,
                done: member.done,
                total: s.passages.length,
              }),
            );
          return text(
            fill(r.study_joined, {
              where: where(m),
              series: s.title,
              total: s.passages.length,
              n: Math.min(member.done + 1, s.passages.length),
              schedule: describeSchedule(s.schedule, r),
            }),
          );
        }
        case "lesson": {
          const memberships = await deps.study.membershipsOf(m.channel, m.chatId);
          const wanted = Number.parseInt(arg, 10);
          const member = Number.isFinite(wanted)
            ? memberships.find((x) => x.seriesId === wanted)
            : memberships.length === 1
              ? memberships[0]
              : undefined;
          if (memberships.length === 0) return text(fill(r.study_no_membership, { where: where(m) }));
          if (!member) {
            const names = await Promise.all(memberships.map((x) => deps.study.getSeries(x.seriesId)));
            const list = names.flatMap((s) => (s ? [`/baihoc ${s.id} (${s.title})`] : [])).join(", ");
            return text(fill(r.study_pick_series, { where: where(m), list }));
          }
          const s = (await deps.study.getSeries(member.seriesId)) as StudySeries;
          if (member.done >= s.passages.length)
            return text(
              fill(r.study_finished, { where: where(m), total: s.passages.length, series: s.title }),
            );
          const n = member.done + 1;
          // Two /baihoc at once show one lesson each, never the same one twice.
          if (!(await deps.study.advance(s.id, m.channel, m.chatId, member.done, iso())))
            return service.handle(command, arg, m);
          return [...text(lesson(s, n)), ...questionReply(s, n)];
        }
        case "quiz_results": {
          const f = await service.figures({ channel: m.channel, chatId: m.chatId });
          if (f.quizzes === 0) return text(fill(r.results_empty, { where: where(m) }));
          const pct = (x: number) => Math.round(100 * x);
          return text(
            [
              fill(r.results_header, {
                where: where(m),
                quizzes: f.quizzes,
                // The people of this chat, counted by the database (the list is limited).
                people: f.groups.reduce((n, g) => n + g.people, 0),
                rate: pct(f.correctRate),
              }),
              ...f.people.slice(0, 10).map((p, i) =>
                fill(r.results_person, {
                  n: i + 1,
                  name: p.name ?? fill(r.results_someone, { id: p.userId }),
                  correct: p.correct,
                  answered: p.answered,
                  rate: pct(p.correctRate),
                  quizzes: p.quizzes,
                }),
              ),
              ...(f.hardest.length > 0 ? [r.results_hardest_header] : []),
              ...f.hardest
                .slice(0, 3)
                .map((h) =>
                  fill(r.results_hardest, { question: h.text, rate: pct(h.correctRate), answers: h.answers }),
                ),
            ].join("\n"),
          );
        }
        case "series_create": {
          const [docPart = "", schedulePart = "", sectionPart = ""] = arg.split("|").map((x) => x.trim());
          const n = Number.parseInt(docPart, 10);
          if (!docPart || !schedulePart || !Number.isFinite(n)) return text(r.study_create_usage);
          const index = deps.index();
          const document = index.documents[n - 1];
          if (!document) return text(fill(r.study_bad_document, { n }));
          const read = readSchedule(schedulePart);
          if ("problem" in read)
            return text(
              read.problem === "unreadable"
                ? fill(r.study_bad_schedule, { schedule: schedulePart })
                : refusal(read.problem, schedulePart),
            );
          const cron = read.cron;
          const sections = sectionPart
            .split(/[,;]/)
            .map((x) => x.trim())
            .filter((x) => x.length > 0);
          const passages = seriesPassages(index, document.id, sections);
          if (passages.length === 0) return text(fill(r.study_no_passages, { sections: sectionPart }));
          const id = await deps.study.createSeries(
            {
              title: document.shortTitle,
              documentId: document.id,
              passages: passages.map((p) => p.id),
              schedule: cron,
              createdBy: `${m.channel}:${m.userId}`,
            },
            iso(),
          );
          const first = passages[0] as (typeof passages)[number];
          return text(
            fill(r.study_series_created, {
              id,
              series: document.shortTitle,
              total: passages.length,
              schedule: describeSchedule(cron, r),
              next: when(nextRun(cron, now())),
              first: first.sectionPath.join(" › ") || first.text.slice(0, 80),
            }),
          );
        }
        case "series_preview": {
          const [idPart = "", nPart = "1"] = arg.split(/\s+/);
          const got = await seriesArg(idPart, "/xemchuoi");
          if (!got.series) return got.reply;
          const s = got.series;
          const n = Number.parseInt(nPart, 10) || 1;
          if (n < 1 || n > s.passages.length)
            return text(fill(r.study_preview_none, { id: s.id, n, total: s.passages.length }));
          const q = lessonQuestion(deps.index(), passageOf(s.passages[n - 1] as string), r);
          return text(
            [
              fill(r.study_preview_header, { id: s.id, n, total: s.passages.length }),
              lesson(s, n),
              ...(q ? [q.plain, q.explanation] : []),
            ].join("\n\n"),
          );
        }
        case "series_start":
        case "series_pause":
        case "series_stop": {
          const got = await seriesArg(
            arg,
            command === "series_start"
              ? "/batdauchuoi"
              : command === "series_pause"
                ? "/tamdungchuoi"
                : "/dungchuoi",
          );
          if (!got.series) return got.reply;
          const s = got.series;
          const [to, from, reply] =
            command === "series_start"
              ? ([
                  "active",
                  ["draft", "paused"],
                  fill(r.study_started, { id: s.id, next: when(nextRun(s.schedule, now())) }),
                ] as const)
              : command === "series_pause"
                ? (["paused", ["active"], fill(r.study_paused, { id: s.id })] as const)
                : (["stopped", ["draft", "active", "paused"], fill(r.study_stopped, { id: s.id })] as const);
          if (!(await deps.study.setStatus(s.id, to, from, iso())))
            return text(fill(r.study_cannot, { id: s.id, status: statusText(s) }));
          (m.logger ?? deps.logger).info({ series: s.id, status: to }, "chuỗi bài học đổi trạng thái");
          return text(reply);
        }
        case "quiz_create":
        case "quiz_weekly": {
          if (m.chatType !== "group") return text(r.quiz_group_only);
          const o = quizOptions(arg);
          const read = command === "quiz_weekly" ? readSchedule(o.rest) : undefined;
          if (read && "problem" in read)
            return text(read.problem === "unreadable" ? r.quiz_weekly_usage : refusal(read.problem, o.rest));
          const cron = read && "cron" in read ? read.cron : undefined;
          const questions = await draw(o.count, m.channel, m.chatId);
          if (questions.length === 0) return text(r.quiz_no_items);
          const next = cron ? nextRun(cron, now()) : undefined;
          const id = await deps.quizzes.create(
            {
              channel: m.channel,
              chatId: m.chatId,
              chatType: m.chatType,
              createdBy: `${m.channel}:${m.userId}`,
              questions,
              seconds: o.seconds,
              ...(cron && next ? { scheduledFor: next.toISOString(), repeat: cron } : {}),
            },
            iso(),
          );
          if (cron)
            return text(
              fill(r.quiz_scheduled, {
                id,
                schedule: describeSchedule(cron, r),
                count: questions.length,
                seconds: o.seconds,
                next: when(next),
              }),
            );
          return text(fill(r.quiz_drafted, { id, count: questions.length, seconds: o.seconds }));
        }
        case "quiz_preview": {
          const got = await quizArg(arg, "/xemkiemtra");
          return got.quiz ? quizPreview(got.quiz) : got.reply;
        }
        case "quiz_discard": {
          const [idPart = "", nPart = ""] = arg.split(/\s+/);
          const got = await quizArg(idPart, "/bocau");
          if (!got.quiz) return got.reply;
          const q = got.quiz;
          const n = Number.parseInt(nPart, 10);
          if (!Number.isFinite(n) || n < 1 || n > q.questions.length)
            return text(fill(r.quiz_id_usage, { command: `/bocau ${q.id}` }));
          const kept = q.questions.filter((_, i) => i !== n - 1);
          // Another item takes its place when the bank has one the quiz does not hold.
          const [replacement] = await draw(1, q.channel, q.chatId, new Set(q.questions.map((x) => x.itemId)));
          const questions = replacement ? [...kept, replacement] : kept;
          if (!(await deps.quizzes.setQuestions(q.id, questions)))
            return text(fill(r.quiz_not_found, { id: q.id }));
          return text(fill(r.quiz_discarded, { n, id: q.id, count: questions.length }));
        }
        case "quiz_start": {
          const got = await quizArg(arg, "/batdaukiemtra");
          if (!got.quiz) return got.reply;
          const q = got.quiz;
          if (
            q.questions.length === 0 ||
            !(await deps.quizzes.start(q.id, now().getTime() + FIRST_QUESTION_GUARD_MS))
          )
            return text(fill(r.quiz_not_found, { id: q.id }));
          const started = fill(r.quiz_started, { id: q.id, count: q.questions.length, seconds: q.seconds });
          // The group hears it first, then the first question; an administrator who started it
          // from a private chat is told there too.
          const messenger = messengers.get(q.channel);
          await messenger?.send(q.chatId, started);
          await stepDue({ ...q, status: "running", current: -1 }, now().getTime());
          const here = q.chatId === m.chatId && q.channel === m.channel;
          return here && messenger ? [] : text(started);
        }
        case "quiz_cancel": {
          const got = await quizArg(arg, "/huykiemtra");
          if (!got.quiz) return got.reply;
          if (!(await deps.quizzes.cancel(got.quiz.id, iso())))
            return text(fill(r.quiz_not_found, { id: got.quiz.id }));
          return text(fill(r.quiz_cancelled, { id: got.quiz.id }));
        }
      }
    },

    async answerByNumber(m, raw) {
      const hit = NUMBER_ANSWER.exec(fold(raw.trim().toLowerCase()));
      if (!hit) return undefined;
      const option = Number(hit[1]) - 1;
      if (!messengers.get(m.channel)?.poll) {
        const [running] = await deps.quizzes.ofChat(m.channel, m.chatId, ["running"]);
        const question = running && running.current >= 0 ? running.questions[running.current] : undefined;
        if (running && question) {
          if (option < 0 || option >= question.options.length) return undefined;
          const name = m.userName ?? fill(r.results_someone, { id: m.userId });
          const n = running.current + 1;
          const fresh = await deps.quizzes.answer(
            {
              quizId: running.id,
              question: running.current,
              channel: m.channel,
              chatId: m.chatId,
              userId: m.userId,
              userName: m.userName ?? null,
              option,
              correct: option === question.correct,
            },
            iso(),
          );
          if (!fresh) return text(fill(r.quiz_already_answered, { name, n }));
          return text(
            fill(option === question.correct ? r.quiz_graded_right : r.quiz_graded_wrong, { name, n }),
          );
        }
      }
      // The last lesson's check question.
      const [member] = (await deps.study.membershipsOf(m.channel, m.chatId)).filter((x) => x.done > 0);
      const s = member && (await deps.study.getSeries(member.seriesId));
      if (!member || !s) return undefined;
      const index = deps.index();
      const passage = passageOf(s.passages[member.done - 1] as string);
      const q = lessonQuestion(index, passage, r);
      if (!q || option < 0 || option >= q.options.length) return undefined;
      return text(gradedLesson(index, passage, q, option, r));
    },

    async pollAnswer(a) {
      const poll = await deps.quizzes.pollOf(a.pollId);
      const q = poll && (await deps.quizzes.get(poll.quizId));
      const question = q?.questions[poll?.question ?? -1];
      if (!poll || !q || !question) return;
      await deps.quizzes.answer(
        {
          quizId: q.id,
          question: poll.question,
          channel: q.channel,
          chatId: q.chatId,
          userId: a.userId,
          userName: a.userName,
          option: a.option,
          correct: a.option === question.correct,
        },
        iso(),
      );
    },

    async tick() {
      try {
        await seriesTick();
      } catch (err) {
        deps.logger.error({ err: errorSummary(err) }, "lỗi khi xếp bài học theo lịch");
      }
      try {
        await quizTickOnce();
      } catch (err) {
        deps.logger.error({ err: errorSummary(err) }, "lỗi khi gửi câu hỏi kiểm tra");
      }
    },

    extraFor: lessonExtra(deps.study),
    afterDelivery: lessonAfterDelivery(deps.study, now),

    async figures(filter = {}) {
      const rate = (right: number, all: number) => (all === 0 ? 0 : right / all);
      // Counted by the database: the figures never hold every answer in memory.
      const [totals, chats, people, hardest] = await Promise.all([
        deps.quizzes.totals(filter),
        deps.quizzes.chatFigures(filter),
        deps.quizzes.topPeople(filter, FIGURES_PEOPLE),
        deps.quizzes.hardestQuestions(filter, FIGURES_HARDEST),
      ]);
      return {
        quizzes: totals.quizzes,
        answers: totals.answers,
        correctRate: rate(totals.correct, totals.answers),
        people: people.map(({ run, ...p }) => ({
          ...p,
          correctRate: rate(p.correct, p.answered),
          participation: rate(p.quizzes, run),
        })),
        groups: chats.map(({ correct, ...g }) => ({ ...g, correctRate: rate(correct, g.answers) })),
        hardest: hardest.map(({ correct, ...q }) => ({ ...q, correctRate: rate(correct, q.answers) })),
      };
    },
  };
  return service;
}

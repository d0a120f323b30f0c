/** What a feature module declares: its commands, once, for the parser, /trogiup and the menus. */
import type { Replies } from "../../prompts.js";

/** Commands the engine itself answers. */
export type EngineCommand = "start" | "help" | "ask" | "documents" | "source" | "more";

/** Commands answered by the subscriptions and administrators' module (src/bot/admin.ts). */
export type AdminCommand =
  | "subscribe"
  | "unsubscribe"
  | "status"
  | "notice"
  | "schedule"
  | "schedules"
  | "unschedule"
  | "confirm"
  | "cancel"
  | "stats"
  /** A one-time sign-in link to the administrators' web page (/quantri). */
  | "web";

/** The administrators' documents in chat (/quanlytailieu), answered by src/bot/library.ts. */
export type LibraryCommand = "library";

/** Commands of study series and quizzes, answered by the study module (src/study/service.ts). */
export type StudyCommand =
  | "series_list"
  | "series_join"
  | "series_leave"
  | "lesson"
  | "quiz_results"
  | "series_create"
  | "series_preview"
  | "series_start"
  | "series_pause"
  | "series_stop"
  | "quiz_create"
  | "quiz_weekly"
  | "quiz_preview"
  | "quiz_discard"
  | "quiz_start"
  | "quiz_cancel";

export interface CommandSpec {
  /** The name typed after "/" (Vietnamese, without diacritics), the one menus show. */
  name: string;
  /** Other names that work the same (English, older words). */
  aliases: readonly string[];
  action: EngineCommand | AdminCommand | StudyCommand | LibraryCommand;
  /** Who may use it: everyone, or the bot's administrators only (refused politely, logged). */
  access: "everyone" | "admin";
  /** Its description in a command menu (a replies.yaml key); not in menus without one. */
  menu?: keyof Replies;
  /** Its line in /trogiup (a replies.yaml key); not listed without one. */
  help?: keyof Replies;
}

/** A family of commands (questions and sources, documents, subscriptions, announcements, help). */
export interface Feature {
  name: string;
  commands: readonly CommandSpec[];
}

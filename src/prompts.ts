/**
 * The texts the bot says to people, read from `prompts/` (Vietnamese, editable without touching
 * code). Loaded once at start-up and validated, so a missing text stops start-up by name.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { LIBRARY_PLACEHOLDERS, LIBRARY_REPLIES } from "./bot/library-replies.js";
import { STUDY_PLACEHOLDERS, STUDY_REPLIES } from "./study/replies.js";

const RepliesSchema = z.object({
  not_found: z.string().min(1),
  answer_intro: z.string().min(1),
  answer_partial_intro: z.string().min(1),
  no_documents: z.string().min(1),
  citation: z.string().min(1),
  ask_usage: z.string().min(1),
  welcome: z.string().min(1),
  help: z.string().min(1),
  help_ask: z.string().min(1),
  help_source: z.string().min(1),
  help_more: z.string().min(1),
  help_documents: z.string().min(1),
  help_help: z.string().min(1),
  help_notice: z.string().min(1),
  help_schedule: z.string().min(1),
  help_schedules: z.string().min(1),
  help_unschedule: z.string().min(1),
  help_stats: z.string().min(1),
  menu_ask: z.string().min(1),
  menu_subscribe: z.string().min(1),
  menu_unsubscribe: z.string().min(1),
  menu_status: z.string().min(1),
  menu_source: z.string().min(1),
  menu_more: z.string().min(1),
  menu_documents: z.string().min(1),
  menu_help: z.string().min(1),
  menu_notice: z.string().min(1),
  menu_schedule: z.string().min(1),
  menu_schedules: z.string().min(1),
  menu_unschedule: z.string().min(1),
  menu_stats: z.string().min(1),
  source_hint: z.string().min(1),
  source_header: z.string().min(1),
  source_missing: z.string().min(1),
  source_none: z.string().min(1),
  source_no_citations: z.string().min(1),
  no_more: z.string().min(1),
  no_previous: z.string().min(1),
  ask_empty: z.string().min(1),
  documents_header: z.string().min(1),
  documents_line: z.string().min(1),
  documents_details: z.string().min(1),
  too_long: z.string().min(1),
  rate_limited: z.string().min(1),
  unknown_command: z.string().min(1),
  error: z.string().min(1),
  written_label: z.string().min(1),
  sources_label: z.string().min(1),
  goodbye: z.string().min(1),
  feedback_thanks: z.string().min(1),
  feedback_not_yours: z.string().min(1),
  feedback_not_found: z.string().min(1),
  text_only: z.string().min(1),
  subscribed: z.string().min(1),
  subscribed_again: z.string().min(1),
  already_subscribed: z.string().min(1),
  unsubscribed: z.string().min(1),
  not_subscribed: z.string().min(1),
  status_on: z.string().min(1),
  status_off: z.string().min(1),
  where_private: z.string().min(1),
  where_group: z.string().min(1),
  group_admin_only: z.string().min(1),
  admin_only: z.string().min(1),
  notice_empty: z.string().min(1),
  notice_preview: z.string().min(1),
  notice_confirm_hint: z.string().min(1),
  notice_queued: z.string().min(1),
  notice_progress: z.string().min(1),
  notice_done: z.string().min(1),
  notice_cancelled: z.string().min(1),
  notice_not_found: z.string().min(1),
  notice_none_pending: z.string().min(1),
  notice_pick: z.string().min(1),
  notice_pick_line: z.string().min(1),
  schedule_usage: z.string().min(1),
  schedule_past: z.string().min(1),
  scheduled: z.string().min(1),
  schedule_list_empty: z.string().min(1),
  schedule_list_header: z.string().min(1),
  schedule_list_line: z.string().min(1),
  stats_header: z.string().min(1),
  stats_subscribers: z.string().min(1),
  stats_subscriber_line: z.string().min(1),
  stats_kind_group: z.string().min(1),
  stats_kind_private: z.string().min(1),
  stats_recent: z.string().min(1),
  stats_broadcast_line: z.string().min(1),
  stats_questions: z.string().min(1),
  status_draft: z.string().min(1),
  status_scheduled: z.string().min(1),
  status_queued: z.string().min(1),
  status_running: z.string().min(1),
  status_done: z.string().min(1),
  status_cancelled: z.string().min(1),
  stats_top: z.string().min(1),
  stats_top_line: z.string().min(1),
  button_send: z.string().min(1),
  button_cancel: z.string().min(1),
  button_source: z.string().min(1),
  button_like: z.string().min(1),
  button_dislike: z.string().min(1),
  notice_sending: z.string().min(1),
  ingest_start: z.string().min(1),
  ingest_progress_documents: z.string().min(1),
  ingest_progress_vectors: z.string().min(1),
  ingest_done: z.string().min(1),
  ingest_document: z.string().min(1),
  ingest_vectors: z.string().min(1),
  ingest_skipped: z.string().min(1),
  ingest_skipped_line: z.string().min(1),
  ingest_index: z.string().min(1),
  broadcast_usage: z.string().min(1),
  broadcast_no_channel: z.string().min(1),
  data_dir_unusable: z.string().min(1),
  // The administrators' web page (issue 14); its own texts are the `web:` block (src/server/web/texts.ts).
  menu_web: z.string().min(1),
  help_web: z.string().min(1),
  web_link: z.string().min(1),
  web_private_only: z.string().min(1),
  web_not_configured: z.string().min(1),
  web_link_error: z.string().min(1),
  web_cli_not_admin: z.string().min(1),
  // Study series and quizzes (issue 15): declared in study/replies.ts.
  ...STUDY_REPLIES,
  // Several instances on PostgreSQL (issue 16).
  database_unreachable: z.string().min(1),
  database_migration_failed: z.string().min(1),
  // Documents sent and managed in chat (issue 13, part "chat"): declared in bot/library-replies.ts.
  ...LIBRARY_REPLIES,
  // Issue 13 — word: npm run ingest's progress and summary.
  ingest_bar_file: z.string().min(1),
  ingest_bar_page: z.string().min(1),
  ingest_bar_ocr: z.string().min(1),
  ingest_bar_vectors: z.string().min(1),
  ingest_reading: z.string().min(1),
  ingest_reading_page: z.string().min(1),
  ingest_reading_ocr: z.string().min(1),
  ingest_warning_line: z.string().min(1),
  ingest_totals: z.string().min(1),
  ingest_format_text: z.string().min(1),
  ingest_format_markdown: z.string().min(1),
  ingest_format_docx: z.string().min(1),
  ingest_format_doc: z.string().min(1),
  ingest_format_pdf: z.string().min(1),
  ingest_format_image: z.string().min(1),
});
export type Replies = z.infer<typeof RepliesSchema>;

/**
 * The values the code fills into each template (the others take none). A template edited to use
 * another `{name}` stops start-up naming it, instead of failing each time it is said.
 */
export const PLACEHOLDERS: Partial<Record<keyof Replies, readonly string[]>> = {
  not_found: ["documents"],
  help: ["commands"],
  documents_details: ["details"],
  welcome: ["name", "documents"],
  citation: ["title", "section"],
  source_hint: ["n"],
  source_header: ["n", "title", "section"],
  source_missing: ["n", "count"],
  documents_line: ["n", "title", "passages"],
  too_long: ["length", "max"],
  rate_limited: ["seconds"],
  unknown_command: ["command"],
  subscribed: ["where"],
  subscribed_again: ["where"],
  already_subscribed: ["where"],
  unsubscribed: ["where"],
  not_subscribed: ["where"],
  status_on: ["where", "since"],
  status_off: ["where"],
  notice_preview: ["id", "recipients"],
  notice_confirm_hint: ["id"],
  notice_queued: ["id", "recipients"],
  notice_progress: ["id", "sent", "total", "failed", "blocked", "pending", "cancelled"],
  notice_done: ["id", "sent", "total", "failed", "blocked", "pending", "cancelled"],
  notice_cancelled: ["id"],
  notice_not_found: ["id"],
  notice_pick: ["count", "command", "example"],
  notice_pick_line: ["id", "text"],
  schedule_past: ["when"],
  scheduled: ["id", "when"],
  schedule_list_line: ["id", "when", "text"],
  stats_subscriber_line: ["channel", "kind", "active", "inactive"],
  stats_broadcast_line: ["id", "status", "sent", "total", "failed", "blocked", "pending", "cancelled"],
  stats_questions: ["count"],
  stats_top_line: ["question", "count"],
  button_source: ["n"],
  ingest_start: ["dir"],
  ingest_progress_documents: ["done", "total"],
  ingest_progress_vectors: ["done", "total"],
  ingest_done: ["seconds", "documents", "passages"],
  ingest_document: ["source", "format", "title", "passages"],
  ingest_vectors: ["embedded", "reused", "embedder"],
  ingest_skipped: ["count"],
  ingest_skipped_line: ["source", "reason"],
  ingest_index: ["dir"],
  data_dir_unusable: ["dir", "database", "cause"],
  web_link: ["minutes", "url"],
  web_cli_not_admin: ["admin"],
  ...STUDY_PLACEHOLDERS,
  database_unreachable: ["database", "cause"],
  database_migration_failed: ["database", "version", "cause"],
  ...LIBRARY_PLACEHOLDERS,
  // Issue 13 — word.
  ingest_bar_file: ["done", "total", "source"],
  ingest_bar_page: ["page", "pages"],
  ingest_bar_ocr: ["page", "pages"],
  ingest_bar_vectors: ["done", "total"],
  ingest_reading: ["file", "files", "source"],
  ingest_reading_page: ["source", "page", "pages"],
  ingest_reading_ocr: ["source", "page", "pages"],
  ingest_warning_line: ["warning"],
  ingest_totals: ["files", "documents", "warned", "failed"],
};

/** The project's prompts folder (beside `src/`). */
export const PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "prompts");

export async function loadReplies(dir = PROMPTS_DIR): Promise<Replies> {
  const path = join(dir, "replies.yaml");
  const parsed = RepliesSchema.safeParse(parseYaml(await readFile(path, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: "${String(issue?.path[0] ?? "?")}" ${issue?.message ?? "không hợp lệ"}`);
  }
  for (const [key, template] of Object.entries(parsed.data)) {
    const allowed = PLACEHOLDERS[key as keyof Replies] ?? [];
    for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
      if (!allowed.includes(name as string))
        throw new Error(
          `${path}: "${key}" dùng {${name}}, không có giá trị nào điền vào (được dùng: ${allowed.map((a) => `{${a}}`).join(", ") || "không có"})`,
        );
    }
  }
  return parsed.data;
}

export interface Prompts {
  replies: Replies;
  /** System prompt for written answers (prompts/answer-system.md). */
  answerSystem: string;
  /** User message template for written answers: {question}, {passages} (prompts/answer-user.md). */
  answerUser: string;
}

/** Loads every text of the prompts folder; a missing or invalid one stops start-up by name. */
export async function loadPrompts(dir = PROMPTS_DIR): Promise<Prompts> {
  const [replies, answerSystem, answerUser] = await Promise.all([
    loadReplies(dir),
    readFile(join(dir, "answer-system.md"), "utf8"),
    readFile(join(dir, "answer-user.md"), "utf8"),
  ]);
  return { replies, answerSystem: answerSystem.trim(), answerUser: answerUser.trim() };
}

/**
 * Fills `{name}` placeholders. A placeholder without a value throws (naming it) instead of
 * showing a person "#{id}" or "#?": it is a bug in the code that fills that template.
 */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => {
    if (!(k in values)) throw new Error(`reply template placeholder {${k}} was not filled`);
    return String(values[k]);
  });
}

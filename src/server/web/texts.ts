/**
 * The texts of the administrators' web page: the `web:` block of prompts/replies.yaml (every
 * text a person reads lives in prompts/). Loaded once and validated like the chat replies: a
 * missing text, or a placeholder the code does not fill, stops start-up by name.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { PROMPTS_DIR } from "../../prompts.js";

/** Every text of the page, with the placeholders the code fills into it. */
const KEYS = {
  title: [],
  nav_overview: [],
  nav_questions: [],
  nav_announcements: [],
  nav_subscribers: [],
  nav_documents: [],
  sign_out: [],
  signed_in_as: ["admin"],
  sign_in_title: [],
  sign_in_how: [],
  sign_in_operator: [],
  sign_in_confirm: ["admin", "minutes"],
  sign_in_button: [],
  link_refused: [],
  signed_out: [],
  forbidden_csrf: [],
  not_found: [],
  back: [],
  channel_telegram: [],
  channel_zalo: [],
  channel_console: [],
  kind_private: [],
  kind_group: [],
  all: [],
  filter: [],
  previous_page: [],
  next_page: [],
  page_of: ["page", "pages", "total"],
  overview_chart: ["days"],
  overview_chart_empty: [],
  series_answered: [],
  series_partial: [],
  series_not_found: [],
  series_liked: [],
  series_disliked: [],
  overview_totals: ["total", "answered", "partial", "notFound", "liked", "disliked"],
  overview_subscribers: [],
  overview_no_subscribers: [],
  overview_announcements: [],
  overview_no_announcements: [],
  col_channel: [],
  col_kind: [],
  col_active: [],
  col_inactive: [],
  col_time: [],
  col_question: [],
  col_grade: [],
  col_feedback: [],
  col_notice: [],
  col_status: [],
  col_sent: [],
  col_failed: [],
  col_blocked: [],
  col_pending: [],
  col_total: [],
  col_chat: [],
  col_since: [],
  col_state: [],
  col_title: [],
  col_doc_kind: [],
  col_number: [],
  col_date: [],
  col_issuer: [],
  col_passages: [],
  col_file: [],
  col_count: [],
  col_last_asked: [],
  col_reason: [],
  grade_answered: [],
  grade_partial: [],
  grade_not_found: [],
  grade_error: [],
  grade_unanswered: [],
  feedback_up: [],
  feedback_down: [],
  questions_search: [],
  questions_grade: [],
  questions_feedback: [],
  questions_from: [],
  questions_to: [],
  questions_csv: [],
  questions_none: [],
  gaps_title: ["days"],
  gaps_none: [],
  gaps_examples: [],
  question_title: ["id"],
  question_asked: ["when", "channel"],
  question_scores: ["score", "coverage", "ms"],
  question_citations: [],
  question_no_citations: [],
  question_passage_gone: ["id"],
  announcements_compose: [],
  announcements_text: [],
  announcements_preview_button: [],
  announcements_recent: [],
  announcements_empty: [],
  notice_title: ["id"],
  notice_as_telegram: [],
  notice_as_zalo: [],
  notice_recipients: [],
  notice_recipients_line: ["channel", "count"],
  notice_send_now: [],
  notice_schedule: [],
  notice_schedule_at: [],
  notice_cancel: [],
  notice_scheduled_for: ["when"],
  notice_progress: [],
  notice_report: [],
  notice_created: ["when", "by"],
  notice_schedule_invalid: [],
  notice_schedule_past: ["when"],
  notice_not_changed: [],
  notice_empty: [],
  subscribers_title: [],
  subscribers_state: [],
  state_active: [],
  state_inactive: [],
  reason_blocked: [],
  reason_removed: [],
  reason_unsubscribed: [],
  subscribers_none: [],
  documents_title: [],
  documents_built: ["when", "passages"],
  documents_none: [],
  documents_skipped: [],
  documents_upload_later: [],
  audit_title: [],
  audit_sign_in: [],
  audit_sign_in_link: [],
  audit_sign_out: [],
  audit_notice_draft: [],
  audit_notice_send: [],
  audit_notice_schedule: [],
  audit_notice_cancel: [],
  audit_questions_export: [],
  series_day: [],
} as const satisfies Record<string, readonly string[]>;

export type WebTextKey = keyof typeof KEYS;
export type WebTexts = Record<WebTextKey, string>;

/** Reads the `web:` block of replies.yaml in `dir`, checking every text and its placeholders. */
export async function loadWebTexts(dir = PROMPTS_DIR): Promise<WebTexts> {
  const path = join(dir, "replies.yaml");
  const block = (parseYaml(await readFile(path, "utf8")) as { web?: Record<string, unknown> }).web ?? {};
  const texts: Partial<WebTexts> = {};
  for (const [key, allowed] of Object.entries(KEYS) as [WebTextKey, readonly string[]][]) {
    const value = block[key];
    if (typeof value !== "string" || value.trim() === "")
      throw new Error(`${path}: "web.${key}" thiếu hoặc rỗng`);
    for (const [, name] of value.matchAll(/\{(\w+)\}/g)) {
      if (!allowed.includes(name as string))
        throw new Error(
          `${path}: "web.${key}" dùng {${name}}, không có giá trị nào điền vào (được dùng: ${allowed.map((a) => `{${a}}`).join(", ") || "không có"})`,
        );
    }
    texts[key] = value;
  }
  return texts as WebTexts;
}

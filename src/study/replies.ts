/**
 * The texts of study series and quizzes (prompts/replies.yaml, their own block at the end): the
 * schema fields and the placeholders each template takes, joined to the rest by src/prompts.ts.
 * Kept apart so the feature's texts are declared in one place.
 */
import { z } from "zod";

const text = () => z.string().min(1);

/** The placeholders of each study template (the others take none). */
export const STUDY_PLACEHOLDERS = {
  study_lesson: ["series", "n", "total", "section", "passage", "title", "label"],
  study_check: ["question"],
  study_question_cloze: ["text"],
  study_question_choice: ["title"],
  study_question_truefalse: ["text"],
  study_question_section: ["title"],
  study_question_in_article: ["article", "question"],
  study_option_line: ["n", "option"],
  study_explanation: ["answer", "title", "label"],
  study_graded_right: ["explanation"],
  study_graded_wrong: ["explanation"],
  study_graded_source: ["passage", "title", "label"],
  study_bad_schedule: ["schedule"],
  study_schedule_seconds: ["schedule"],
  study_schedule_too_often: ["schedule"],
  study_bad_document: ["n"],
  study_no_passages: ["sections"],
  study_series_created: ["id", "series", "total", "schedule", "next", "first"],
  study_series_not_found: ["id"],
  study_preview_header: ["id", "n", "total"],
  study_preview_none: ["id", "n", "total"],
  study_started: ["id", "next"],
  study_paused: ["id"],
  study_stopped: ["id"],
  study_cannot: ["id", "status"],
  study_list_line: ["id", "series", "status", "total", "schedule"],
  study_id_usage: ["command"],
  study_joined: ["where", "series", "total", "n", "schedule"],
  study_already_joined: ["where", "series", "done", "total"],
  study_left: ["where", "series"],
  study_not_joined: ["where", "id"],
  study_no_membership: ["where"],
  study_pick_series: ["where", "list"],
  study_finished: ["where", "total", "series"],
  study_day_range: ["from", "to"],
  study_schedule_text: ["days", "time"],
  study_schedule_cron: ["cron"],
  quiz_drafted: ["id", "count", "seconds"],
  quiz_scheduled: ["id", "schedule", "count", "seconds", "next"],
  quiz_preview_header: ["id", "count", "seconds"],
  quiz_preview_item: ["n", "question", "options", "explanation"],
  quiz_preview_hint: ["id"],
  quiz_discarded: ["n", "id", "count"],
  quiz_not_found: ["id"],
  quiz_id_usage: ["command"],
  quiz_started: ["id", "count", "seconds"],
  quiz_cancelled: ["id"],
  quiz_question: ["n", "total", "question"],
  quiz_answer_hint: ["seconds"],
  quiz_time_up: ["n", "explanation"],
  quiz_done: ["id", "people", "rate"],
  quiz_graded_right: ["name", "n"],
  quiz_graded_wrong: ["name", "n"],
  quiz_already_answered: ["name", "n"],
  results_header: ["where", "quizzes", "people", "rate"],
  results_person: ["n", "name", "correct", "answered", "rate", "quizzes"],
  results_hardest: ["question", "rate", "answers"],
  results_empty: ["where"],
  results_someone: ["id"],
} as const;

const KEYS = [
  "help_study",
  "help_study_admin",
  "menu_series",
  "menu_lesson",
  "menu_results",
  "menu_create_series",
  "menu_quiz",
  "study_true",
  "study_false",
  "study_answer_hint",
  "study_no_question",
  "study_create_usage",
  "study_status_draft",
  "study_status_active",
  "study_status_paused",
  "study_status_stopped",
  "study_list_header",
  "study_list_empty",
  "study_list_hint",
  "study_group_admin_only",
  "study_days",
  "study_every_day",
  "quiz_usage",
  "quiz_weekly_usage",
  "quiz_group_only",
  "quiz_no_items",
  "results_hardest_header",
] as const;

type StudyKey = (typeof KEYS)[number] | keyof typeof STUDY_PLACEHOLDERS;

/** The schema fields of the study texts, every one required. */
export const STUDY_REPLIES = Object.fromEntries(
  [...KEYS, ...Object.keys(STUDY_PLACEHOLDERS)].map((k) => [k, text()]),
) as { [K in StudyKey]: ReturnType<typeof text> };

/**
 * The texts of documents managed in chat (issue 13, part "chat": prompts/replies.yaml, its own
 * block at the end): the schema fields and the placeholders each template takes, joined to the
 * rest by src/prompts.ts, as the study texts are.
 */
import { z } from "zod";

const text = () => z.string().min(1);

/** The placeholders of each template (the others take none). */
export const LIBRARY_PLACEHOLDERS = {
  upload_reading: ["file"],
  upload_too_big: ["file", "size", "max"],
  upload_too_big_unknown: ["file", "max"],
  upload_unreadable: ["file", "reason"],
  upload_preview: ["file", "format", "title", "details", "passages", "sections"],
  upload_preview_warnings: ["warnings"],
  upload_button_replace: ["title"],
  upload_added: ["title", "passages"],
  upload_replaced: ["old", "title", "passages"],
  upload_not_indexed: ["file", "reason"],
  upload_failed: ["reason"],
  upload_save_failed_chat: ["file", "reason"],
  library_line: ["n", "title", "file", "passages", "added", "updated"],
  library_skipped_line: ["n", "file", "reason", "updated"],
  library_button_remove: ["n"],
  library_button_replace: ["n"],
  library_remove_confirm: ["title", "file"],
  library_button_remove_yes: ["title"],
  library_removed: ["title", "file"],
  library_replace_wait: ["title"],
  source_old_version: ["title", "when", "action"],
  source_document_gone: ["n"],
} as const;

/** The schema fields of these texts. */
export const LIBRARY_REPLIES = {
  upload_not_admin: text(),
  upload_group: text(),
  upload_reading: text(),
  upload_too_big: text(),
  upload_too_big_unknown: text(),
  upload_download_failed: text(),
  upload_unreadable: text(),
  upload_preview: text(),
  upload_preview_warnings: text(),
  upload_button_add: text(),
  upload_button_replace: text(),
  upload_button_cancel: text(),
  upload_updating: text(),
  upload_added: text(),
  upload_replaced: text(),
  upload_not_indexed: text(),
  upload_failed: text(),
  upload_save_failed_chat: text(),
  upload_expired: text(),
  upload_cancelled: text(),
  upload_busy_chat: text(),
  menu_library: text(),
  help_library: text(),
  library_header: text(),
  library_empty: text(),
  library_line: text(),
  library_skipped_line: text(),
  library_hint: text(),
  library_button_remove: text(),
  library_button_replace: text(),
  library_remove_confirm: text(),
  library_button_remove_yes: text(),
  library_removed: text(),
  library_replace_wait: text(),
  library_unknown: text(),
  library_cancelled: text(),
  source_old_version: text(),
  source_action_replace: text(),
  source_action_remove: text(),
  source_document_gone: text(),
  zalo_file_note: text(),
};

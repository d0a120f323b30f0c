/**
 * The texts of documents managed in chat (issue 13, part "chat": prompts/replies.yaml, its own
 * block at the end): the schema fields and the placeholders each template takes, joined to the
 * rest by src/prompts.ts, as the study texts are.
 */
import { z } from "zod";
import type { Replies } from "../prompts.js";

const text = () => z.string().min(1);

/** The placeholders of each template (the others take none). */
export const LIBRARY_PLACEHOLDERS = {
  upload_reading: ["file"],
  upload_too_big: ["file", "size", "max"],
  upload_too_big_unknown: ["file", "max"],
  upload_too_big_config: ["file", "size", "max"],
  upload_too_big_config_unknown: ["file", "max"],
  upload_target_gone: ["title"],
  upload_failed_not_undone: ["reason"],
  upload_unreadable: ["file", "reason"],
  upload_preview: ["file", "format", "title", "details", "passages", "sections"],
  upload_preview_warnings: ["warnings"],
  upload_button_replace: ["title"],
  upload_added: ["title", "passages"],
  upload_replaced: ["old", "title", "passages"],
  upload_not_indexed: ["file", "reason"],
  upload_failed: ["reason"],
  upload_save_failed_chat: ["file", "reason"],
  library_header_page: ["page", "pages"],
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
  upload_too_big_config: text(),
  upload_too_big_config_unknown: text(),
  upload_target_gone: text(),
  upload_failed_not_undone: text(),
  change_already_done: text(),
  library_hint_no_buttons: text(),
  reason_disk_full: text(),
  reason_no_permission: text(),
  reason_name_too_long: text(),
  reason_folder_exists: text(),
  reason_server: text(),
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
  library_header_page: text(),
  library_button_previous: text(),
  library_button_next: text(),
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

/** The system errors a change of the documents folder meets, by code, and the text that says each. */
const REASONS: Record<string, keyof Replies> = {
  ENOSPC: "reason_disk_full",
  EDQUOT: "reason_disk_full",
  EACCES: "reason_no_permission",
  EPERM: "reason_no_permission",
  EROFS: "reason_no_permission",
  ENAMETOOLONG: "reason_name_too_long",
  EISDIR: "reason_folder_exists",
};

/**
 * Why a change failed, as an administrator reads it: a system error's code (ENOSPC: the disk is
 * full) in Vietnamese, anything else a general word (the detail, with its server paths, is only
 * logged).
 */
export function reasonText(code: string | null | undefined, r: Replies): string {
  const key = code ? REASONS[code] : undefined;
  return String(r[key ?? "reason_server"]);
}

/**
 * The registry of the engine's features: every command is declared once, in its family's
 * module, and the command parser, /trogiup and the platforms' command menus (Telegram's
 * setMyCommands; on Zalo, /trogiup is the menu) all read this one list.
 */
import { fill, type Replies } from "../../prompts.js";
import { announcements } from "./announcements.js";
import { documents } from "./documents.js";
import { help } from "./help.js";
import { library } from "./library.js";
import { questions } from "./questions.js";
import { study } from "./study.js";
import { subscriptions } from "./subscriptions.js";
import type { CommandSpec, Feature } from "./types.js";
import { web } from "./web.js";

export type {
  AdminCommand,
  CommandSpec,
  EngineCommand,
  Feature,
  LibraryCommand,
  StudyCommand,
} from "./types.js";

/** Every feature, in the order of menus and of /trogiup. */
export const FEATURES: readonly Feature[] = [
  questions,
  documents,
  library,
  subscriptions,
  announcements,
  web,
  study,
  help,
];

/** Every command of every feature. */
export const COMMANDS: readonly CommandSpec[] = FEATURES.flatMap((f) => f.commands);

const BY_KEY = new Map<string, CommandSpec>();
for (const c of COMMANDS) {
  for (const key of [c.name, ...c.aliases]) {
    if (BY_KEY.has(key)) throw new Error(`command /${key} is declared twice`);
    BY_KEY.set(key, c);
  }
}

/** The command typed as `/key` (lower-case, without diacritics), by its name or an alias. */
export function findCommand(key: string): CommandSpec | undefined {
  return BY_KEY.get(key);
}

/** Commands a person may see: everyone's, and the administrators' for an administrator. */
const visible = (admin: boolean) => COMMANDS.filter((c) => admin || c.access === "everyone");

/** The /trogiup text for a person (administrators also read their commands). */
export function helpText(r: Replies, admin: boolean): string {
  const lines = visible(admin).flatMap((c) => (c.help ? [r[c.help]] : []));
  return fill(r.help, { commands: lines.join("\n") });
}

/** A command menu: name and description of each command that has one. */
export function commandMenu(r: Replies, admin: boolean): { command: string; description: string }[] {
  return visible(admin).flatMap((c) => (c.menu ? [{ command: c.name, description: r[c.menu] }] : []));
}

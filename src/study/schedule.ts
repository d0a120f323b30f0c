/**
 * Schedules of study series and weekly quizzes: a cron expression read in Asia/Ho_Chi_Minh
 * (croner computes the runs), typed either as cron or in the friendly Vietnamese form an
 * administrator writes in chat ("thứ 2-6 7:00", "hằng ngày 6h30", "thứ 2,4,6 19:00", "chủ nhật
 * 8:00"), and described back in Vietnamese from the prompts' words.
 */
import { Cron } from "croner";
import { fill, type Replies } from "../prompts.js";
import { fold } from "../text/vietnamese.js";

export const TIME_ZONE = "Asia/Ho_Chi_Minh";

/** A schedule's cron expression, if it is a valid one. */
function validCron(expr: string): string | undefined {
  try {
    new Cron(expr, { timezone: TIME_ZONE, paused: true }).stop();
    return expr;
  } catch {
    return undefined;
  }
}

/** Vietnamese day numbers: "thứ 2" is Monday (cron 1) … "thứ 7" Saturday (6), "chủ nhật" Sunday (0). */
function dayOf(word: string): number | undefined {
  const w = word.trim();
  if (/^(?:cn|chu nhat)$/.test(w)) return 0;
  const m = /^(?:thu\s*)?([2-7])$/.exec(w);
  return m ? Number(m[1]) - 1 : undefined;
}

/** Why a schedule typed in chat is refused: not read, cron with seconds (6 or 7 fields), or more often than hourly. */
export type ScheduleProblem = "unreadable" | "seconds" | "too_often";

/** The shortest time allowed between two sends of a schedule. */
const MIN_INTERVAL_MS = 3600_000;

/** Whether two of the schedule's next runs come less than an hour apart. */
function tooOften(cron: string): boolean {
  // Close runs of a cron expression come back on every day it fires, so its next 50 runs show them.
  const runs = new Cron(cron, { timezone: TIME_ZONE, paused: true }).nextRuns(50, new Date());
  return runs.some((at, i) => i > 0 && at.getTime() - (runs[i - 1] as Date).getTime() < MIN_INTERVAL_MS);
}

/**
 * A schedule typed in chat: its cron expression (a cron expression of 5 fields as is, or the
 * friendly form: days, then a time "7:00", "7h", "7h30", "19g"), or why it is refused. Seconds
 * and sends more often than once an hour are refused: a series or a weekly quiz that fires every
 * second or minute would flood every chat that follows it.
 */
export function readSchedule(input: string): { cron: string } | { problem: ScheduleProblem } {
  const raw = input.trim();
  let cron: string | undefined;
  const fields = raw.split(/\s+/).length;
  if (/^[\d*/,\-\s?LW#A-Za-z]+$/.test(raw) && fields >= 5 && /[*\d]/.test(raw[0] ?? "")) {
    if (fields > 5) return { problem: "seconds" };
    cron = validCron(raw);
  } else cron = friendly(raw);
  if (!cron) return { problem: "unreadable" };
  return tooOften(cron) ? { problem: "too_often" } : { cron };
}

/** The cron expression of a schedule typed in chat, undefined when it is refused (see readSchedule). */
export function parseSchedule(input: string): string | undefined {
  const read = readSchedule(input);
  return "cron" in read ? read.cron : undefined;
}

/** The friendly form ("thứ 2-6 7:00", "hằng ngày 6h30") as cron, if it is one. */
function friendly(raw: string): string | undefined {
  const text = fold(raw.toLowerCase()).replace(/\s+/g, " ");
  const time = /(\d{1,2})\s*(?::|h|g|gio)\s*(\d{2})?\s*(?:phut)?\s*$/.exec(text);
  if (!time) return undefined;
  const [hour, minute] = [Number(time[1]), Number(time[2] ?? 0)];
  if (hour > 23 || minute > 59) return undefined;
  const days = text
    .slice(0, time.index)
    .replace(/\b(?:luc|vao|moi|cac|ngay)\b/g, " ")
    .trim();
  let dow: string;
  if (days === "" || /^(?:hang|hàng)?\s*(?:ngay)?$/.test(days) || /^hang\s*$/.test(days)) dow = "*";
  else {
    const range = /^thu\s*([2-7])\s*(?:-|den|toi)\s*(?:thu\s*)?([2-7]|cn|chu nhat)$/.exec(days);
    if (range) {
      const from = dayOf(range[1] as string) as number;
      const to = dayOf(range[2] as string) as number;
      dow = to === 0 ? `${from}-6,0` : `${from}-${to}`;
    } else {
      const list = days
        .replace(/^thu\s*/, "")
        .split(/\s*(?:,|va|\+|;)\s*|\s+(?=thu|cn|chu)/)
        .filter((x) => x.length > 0)
        .map(dayOf);
      if (list.length === 0 || list.some((d) => d === undefined)) return undefined;
      dow = [...new Set(list as number[])].sort((a, b) => a - b).join(",");
    }
  }
  return validCron(`${minute} ${hour} * * ${dow}`);
}

/** When the schedule next fires after `after`. */
export function nextRun(cron: string, after: Date): Date | undefined {
  return new Cron(cron, { timezone: TIME_ZONE, paused: true }).nextRun(after) ?? undefined;
}

/**
 * The latest time the schedule fired in (after, until], if any: a send due while the bot was
 * down is made once when it comes back, not once per missed day.
 */
export function lastDue(cron: string, after: Date, until: Date): Date | undefined {
  const job = new Cron(cron, { timezone: TIME_ZONE, paused: true });
  let last: Date | undefined;
  let at: Date | null = job.nextRun(after);
  for (let i = 0; at && at.getTime() <= until.getTime() && i < 10_000; i++) {
    last = at;
    at = job.nextRun(at);
  }
  return last;
}

/** A schedule in Vietnamese: "thứ 2 đến thứ 6 lúc 07:00", "hằng ngày lúc 06:30", else the cron. */
export function describeSchedule(cron: string, r: Replies): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* (\S+)$/.exec(cron);
  const names = r.study_days.split("|");
  if (!m) return fill(r.study_schedule_cron, { cron });
  const time = `${String(m[2]).padStart(2, "0")}:${String(m[1]).padStart(2, "0")}`;
  const dow = m[3] as string;
  const name = (d: string) => names[Number(d) % 7] ?? d;
  let days: string;
  if (dow === "*") days = r.study_every_day;
  else if (/^\d-\d$/.test(dow)) {
    const [from, to] = dow.split("-") as [string, string];
    days = fill(r.study_day_range, { from: name(from), to: name(to) });
  } else if (/^\d-6,0$/.test(dow))
    days = fill(r.study_day_range, { from: name(dow[0] as string), to: name("0") });
  else if (/^\d(?:,\d)*$/.test(dow)) days = dow.split(",").map(name).join(", ");
  else return fill(r.study_schedule_cron, { cron });
  return fill(r.study_schedule_text, { days, time });
}

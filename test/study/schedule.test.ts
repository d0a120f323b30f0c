import { describe, expect, it } from "vitest";
import { describeSchedule, lastDue, nextRun, parseSchedule, readSchedule } from "../../src/study/schedule.js";
import { prompts } from "../bot/test-engine.js";

const r = prompts.replies;

describe("study schedules", () => {
  it("reads the forms an administrator types, and cron as is", () => {
    expect(parseSchedule("thứ 2-6 7:00")).toBe("0 7 * * 1-5");
    expect(parseSchedule("thu 2 - thu 6 7h")).toBe("0 7 * * 1-5");
    expect(parseSchedule("hằng ngày 6h30")).toBe("30 6 * * *");
    expect(parseSchedule("mỗi ngày 20g")).toBe("0 20 * * *");
    expect(parseSchedule("thứ 2,4,6 19:00")).toBe("0 19 * * 1,3,5");
    expect(parseSchedule("thứ 2, thứ 4 7:30")).toBe("30 7 * * 1,3");
    expect(parseSchedule("chủ nhật 8:00")).toBe("0 8 * * 0");
    expect(parseSchedule("thứ 6 15:00")).toBe("0 15 * * 5");
    expect(parseSchedule("0 7 * * 1-5")).toBe("0 7 * * 1-5");
    for (const bad of ["", "sáng mai", "thứ 9 7:00", "25:00", "7:61", "0 7 * *"])
      expect(parseSchedule(bad), bad).toBeUndefined();
  });

  it("says a schedule back in Vietnamese", () => {
    expect(describeSchedule("0 7 * * 1-5", r)).toBe("thứ 2 đến thứ 6 lúc 07:00");
    expect(describeSchedule("30 6 * * *", r)).toBe("hằng ngày lúc 06:30");
    expect(describeSchedule("0 19 * * 1,3,5", r)).toBe("thứ 2, thứ 4, thứ 6 lúc 19:00");
    expect(describeSchedule("0 8 * * 0", r)).toBe("chủ nhật lúc 08:00");
    expect(describeSchedule("*/5 * * * *", r)).toBe("theo lịch cron */5 * * * *");
  });

  it("runs in Vietnam's time, and a send missed while the bot was down is made once", () => {
    // Tuesday 1 December 2026, 06:30 in Vietnam (23:30 UTC the day before).
    const from = new Date("2026-11-30T23:30:00Z");
    expect(nextRun("0 7 * * 1-5", from)?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    // Friday 4 December 07:00 → the next weekday is Monday 7 December.
    expect(nextRun("0 7 * * 1-5", new Date("2026-12-04T00:00:00Z"))?.toISOString()).toBe(
      "2026-12-07T00:00:00.000Z",
    );
    // Down from Tuesday 06:30 to Thursday 09:00: only Thursday's 07:00 is due.
    expect(lastDue("0 7 * * 1-5", from, new Date("2026-12-03T02:00:00Z"))?.toISOString()).toBe(
      "2026-12-03T00:00:00.000Z",
    );
    expect(lastDue("0 7 * * 1-5", from, new Date("2026-11-30T23:59:00Z"))).toBeUndefined();
  });

  it("refuses cron with seconds, and schedules more often than once an hour", () => {
    for (const seconds of ["* * * * * *", "0 0 7 * * 1-5", "0 7 * * 1-5 2027"]) {
      expect(parseSchedule(seconds), seconds).toBeUndefined();
      expect(readSchedule(seconds), seconds).toEqual({ problem: "seconds" });
    }
    for (const often of ["* * * * *", "*/10 7 * * *", "0,30 7 * * 1-5", "0,59 6 * * *"]) {
      expect(parseSchedule(often), often).toBeUndefined();
      expect(readSchedule(often), often).toEqual({ problem: "too_often" });
    }
    expect(readSchedule("0 * * * *")).toEqual({ cron: "0 * * * *" });
    expect(readSchedule("0 7,8 * * *")).toEqual({ cron: "0 7,8 * * *" });
    expect(readSchedule("thứ 2-6 7:00")).toEqual({ cron: "0 7 * * 1-5" });
    expect(readSchedule("sáng mai")).toEqual({ problem: "unreadable" });
  });
});

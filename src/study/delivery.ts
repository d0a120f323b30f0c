/**
 * The broadcast worker's hooks for lessons, on the storage alone (no knowledge index), so that
 * whichever process delivers (the bot, or `npm run broadcast`) sends a lesson with the check
 * question kept with it when it was queued, and a chat that blocked the bot leaves its series.
 */
import type { DeliveryExtra, SendResult } from "../broadcast/service.js";
import type { Broadcast, Delivery, StudyStore } from "../storage/ports.js";

/**
 * A study series' lesson goes out as a notice created by "study:<series>": lists of
 * administrators' announcements (/thongke, the web page) leave those out.
 */
export function isLessonNotice(b: Pick<Broadcast, "createdBy">): boolean {
  return b.createdBy.startsWith("study:");
}

/** The worker's `extraFor`: a lesson notice's check question. */
export function lessonExtra(
  study: StudyStore,
): (d: Delivery, b: Broadcast | undefined) => Promise<DeliveryExtra | undefined> {
  return async (_d, b) => {
    if (!b || !isLessonNotice(b)) return undefined;
    const question = (await study.lessonOf(b.id))?.question;
    return question ? { question } : undefined;
  };
}

/** The worker's `afterDelivery`: a blocked chat's memberships end. */
export function lessonAfterDelivery(
  study: StudyStore,
  now: () => Date = () => new Date(),
): (d: Delivery, result: SendResult) => Promise<void> {
  return async (d, result) => {
    if (!result.ok && result.kind === "blocked")
      await study.deactivateChat(d.channel, d.chatId, now().toISOString());
  };
}

/**
 * Quiz polls on Telegram (sendPoll with type "quiz", correct_option_ids): the right option and an explanation shown
 * once a person has answered, texts cut to the Bot API's limits (question 300, option 100,
 * explanation 200 characters). Not anonymous, so the bot receives each `poll_answer` and keeps
 * scores.
 */
import type { Api } from "grammy";

export interface QuizPoll {
  question: string;
  options: string[];
  correct: number;
  explanation: string;
}

const cut = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;

/** Sends a quiz poll (closing after `openPeriod` seconds when given, at least 5); its poll id. */
export async function sendQuizPoll(
  api: Api,
  chatId: string | number,
  q: QuizPoll,
  openPeriod?: number,
): Promise<string> {
  const message = await api.sendPoll(
    chatId,
    cut(q.question, 300),
    q.options.map((text) => ({ text: cut(text, 100) })),
    {
      type: "quiz",
      // The Bot API's current field (a list since quizzes may have several right options).
      correct_option_ids: [q.correct],
      explanation: cut(q.explanation.replace(/\s*\n\s*/g, " "), 200),
      is_anonymous: false,
      ...(openPeriod ? { open_period: Math.max(5, Math.round(openPeriod)) } : {}),
    },
  );
  return message.poll.id;
}

/**
 * The terminal chat: the same engine as every other channel, over standard input and output.
 * On a TTY it greets, prompts and colours; piped, it prints plain answers and ends with the input,
 * so `echo "câu hỏi" | npm start` works. Ctrl-C and Ctrl-D leave cleanly.
 */
import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import type { Engine } from "../../bot/engine.js";
import type { Incoming } from "../../bot/types.js";
import { errorSummary, type Logger } from "../../logger.js";
import type { Replies } from "../../prompts.js";
import { renderReply } from "../plain-text.js";

export interface ConsoleChatDeps {
  engine: Engine;
  replies: Replies;
  logger: Logger;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function runConsoleChat(deps: ConsoleChatDeps): Promise<void> {
  const input = deps.input ?? process.stdin;
  const output = deps.output ?? process.stdout;
  const interactive = Boolean(input.isTTY && output.isTTY);
  const color = Boolean(output.isTTY) && !process.env.NO_COLOR;
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const user = consoleUser();
  const width = () => (output as { columns?: number }).columns ?? 0;
  const say = (text: string) => output.write(`${interactive ? wrap(text, width()) : text}\n`);
  const render = (m: Incoming) => deps.engine.handle(m);
  const incoming = (text: string): Incoming => ({
    channel: "console",
    chatId: "console",
    chatType: "private",
    userId: user,
    userName: undefined,
    text,
    addressed: true,
  });

  rl.on("SIGINT", () => rl.close());
  if (interactive) {
    for (const reply of await render(incoming("/start"))) say(renderReply(reply, deps.replies, { color }));
    rl.setPrompt(color ? "\x1b[36mBạn:\x1b[0m " : "Bạn: ");
    say("");
    rl.prompt();
  }
  for await (const line of rl) {
    if (line.trim().length > 0) {
      try {
        for (const reply of await render(incoming(line))) {
          say(renderReply(reply, deps.replies, { color }));
        }
      } catch (err) {
        deps.logger.error({ err: errorSummary(err) }, "lỗi khi trả lời trong cửa sổ dòng lệnh");
        say(deps.replies.error);
      }
      if (!interactive) say("");
    }
    if (interactive) {
      say("");
      rl.prompt();
    }
  }
  if (interactive) say(`\n${deps.replies.goodbye}`);
}

/** Who is at the terminal: the operating-system user (the terminal's administrator). */
export function consoleUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "console";
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the terminal's colour codes is the point.
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Wraps each line at word boundaries to the terminal's width (colour codes take no room);
 * continuation lines keep the line's indentation so citations stay aligned.
 */
export function wrap(text: string, width: number): string {
  if (width < 20) return text;
  return text
    .split("\n")
    .map((line) => {
      const indent = /^\s*/.exec(line.replace(ANSI, ""))?.[0] ?? "";
      const words = line.split(" ");
      const out: string[] = [];
      let current = "";
      for (const w of words) {
        const candidate = current.length === 0 ? w : `${current} ${w}`;
        if (candidate.replace(ANSI, "").length > width - 1 && current.trim().length > 0) {
          out.push(current);
          current = `${indent}${w}`;
        } else current = candidate;
      }
      out.push(current);
      return out.join("\n");
    })
    .join("\n");
}

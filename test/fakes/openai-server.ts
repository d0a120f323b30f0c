/**
 * A local OpenAI-compatible server on 127.0.0.1 for tests: answers /v1/chat/completions with
 * what the test sets, records each request, and can fail with a status or stall past a timeout.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: { model?: string; messages?: { role: string; content: string }[] };
}

export interface FakeOpenAi {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Next behaviour: a reply text, an HTTP status, or a delay before replying. */
  respond(next: { content?: string; status?: number; delayMs?: number; raw?: string }): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  let next: { content?: string; status?: number; delayMs?: number; raw?: string } = { content: "" };
  const server: Server = createServer((req, res) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      data += c;
    });
    req.on("end", () => {
      requests.push({ path: req.url ?? "", headers: req.headers, body: data ? JSON.parse(data) : {} });
      const reply = () => {
        if (res.destroyed) return;
        if (next.status && next.status >= 400) {
          res.writeHead(next.status, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: "fake failure" } }));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          next.raw ??
            JSON.stringify({
              id: "chatcmpl-test",
              object: "chat.completion",
              choices: [
                {
                  index: 0,
                  message: { role: "assistant", content: next.content ?? "" },
                  finish_reason: "stop",
                },
              ],
            }),
        );
      };
      if (next.delayMs) setTimeout(reply, next.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(n) {
      next = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

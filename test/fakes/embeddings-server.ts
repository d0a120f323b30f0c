/**
 * A local OpenAI-compatible `/v1/embeddings` server on 127.0.0.1: deterministic vectors (letter
 * counts of the folded text), every request recorded, and failures on demand.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeEmbeddings {
  baseUrl: string;
  /** Inputs of each request, in order. */
  requests: string[][];
  /** Queue of failures for the next requests: an HTTP status, "short" (wrong dimension) or "count". */
  fail(...next: (number | "short" | "count")[]): void;
  close(): Promise<void>;
}

export const FAKE_DIMENSIONS = 12;

export function fakeVector(text: string): number[] {
  const v = new Array(FAKE_DIMENSIONS).fill(0.01);
  const folded = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  for (const ch of folded) {
    const c = ch.charCodeAt(0);
    if (c >= 97 && c <= 122) v[c % FAKE_DIMENSIONS] += 1;
  }
  return v;
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const requests: string[][] = [];
  const failures: (number | "short" | "count")[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
    });
    req.on("end", () => {
      const { input } = JSON.parse(body) as { input: string[] };
      requests.push(input);
      const failure = failures.shift();
      if (typeof failure === "number") {
        res.writeHead(failure, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "fake failure" } }));
        return;
      }
      let data = input.map((t, index) => ({ object: "embedding", index, embedding: fakeVector(t) }));
      if (failure === "short") data = data.map((d) => ({ ...d, embedding: d.embedding.slice(0, 5) }));
      if (failure === "count") data = data.slice(1);
      res.writeHead(200, { "content-type": "application/json" });
      // Out of order on purpose: clients must use `index`.
      res.end(JSON.stringify({ object: "list", data: [...data].reverse(), model: "fake" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    fail: (...next) => {
      failures.push(...next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

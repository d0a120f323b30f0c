/**
 * An OpenAI-compatible chat-completions client (Ollama, vLLM, llama.cpp server, hosted APIs): one
 * call, a timeout, and typed errors that name the URL but never the API key.
 */

import { RemoteServiceError } from "../errors.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The seam the composer uses; tests and other providers can stand in for it. */
export interface Llm {
  readonly model: string;
  complete(messages: ChatMessage[], options?: { signal?: AbortSignal }): Promise<string>;
}

/** The language model failed: unreachable, an HTTP error, or an answer without a message. */
export class LlmError extends RemoteServiceError {}

export interface OpenAiChatOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  temperature?: number;
  maxTokens?: number;
}

export function createOpenAiChat(options: OpenAiChatOptions): Llm {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    model: options.model,
    async complete(messages, { signal } = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      const timeout = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers,
          body: JSON.stringify({
            model: options.model,
            messages,
            temperature: options.temperature ?? 0.1,
            max_tokens: options.maxTokens ?? 600,
          }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (err) {
        const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : (err as Error).message;
        throw new LlmError(`language model at ${url} unreachable: ${reason}`, url, undefined, { cause: err });
      }
      if (!res.ok) {
        throw new LlmError(`language model at ${url} answered HTTP ${res.status}`, url, res.status);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch (err) {
        throw new LlmError(`language model at ${url} returned invalid JSON`, url, res.status, { cause: err });
      }
      const content = (body as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message
        ?.content;
      if (typeof content !== "string")
        throw new LlmError(`language model at ${url} returned no message`, url, res.status);
      return content;
    },
  };
}

/**
 * A small typed client for the Zalo Bot API (Telegram-like HTTPS API, no maintained SDK on npm):
 * POST JSON to `<base>/bot<TOKEN>/<method>`, answers `{ok, result?, description?, error_code?}`
 * where HTTP 200 may still carry ok:false. The token never appears in errors or logs.
 */

export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    /** Zalo's error_code, the HTTP status, or 0 for a network error. */
    readonly code: number,
    readonly description: string,
    /** How long the platform asked to wait (retry_after or a Retry-After header), if it said. */
    readonly retryAfterMs?: number,
  ) {
    super(`Zalo ${method}: ${code} ${description}`);
    this.name = "ZaloApiError";
  }

  /** Whether trying again later may work: too many requests, a server error, a network error. */
  get retryable(): boolean {
    return this.code === 0 || this.code === 429 || this.code >= 500;
  }
}

export interface ZaloClientOptions {
  token: string;
  /** e.g. https://bot-api.zaloplatforms.com (older: https://bot-api.zapps.me). */
  baseUrl: string;
  timeoutMs?: number;
}

export interface ZaloClient {
  call<T = unknown>(method: string, body?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  getMe(): Promise<{ id: string; account_name?: string; display_name?: string }>;
  /** One update, or undefined when none arrived within the long-poll timeout (error 408). */
  getUpdates(timeoutSeconds: number): Promise<unknown>;
  sendMessage(chatId: string, text: string): Promise<unknown>;
  sendChatAction(chatId: string, action: "typing"): Promise<unknown>;
  setWebhook(url: string, secretToken: string): Promise<unknown>;
  deleteWebhook(): Promise<unknown>;
}

export function createZaloClient(o: ZaloClientOptions): ZaloClient {
  const root = `${o.baseUrl.replace(/\/+$/, "")}/bot${o.token}`;
  const call = async <T>(
    method: string,
    body: Record<string, unknown> = {},
    timeoutMs = o.timeoutMs ?? 30_000,
  ): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${root}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // The URL holds the token: only the method and the reason are reported.
      const reason =
        (err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      throw new ZaloApiError(method, 0, `network error: ${reason}`);
    }
    const data = (await res.json().catch(() => undefined)) as
      | {
          ok?: boolean;
          result?: unknown;
          description?: string;
          error_code?: number;
          parameters?: { retry_after?: number };
        }
      | undefined;
    if (data?.ok !== true) {
      const seconds = data?.parameters?.retry_after ?? Number(res.headers.get("retry-after") ?? Number.NaN);
      throw new ZaloApiError(
        method,
        data?.error_code ?? res.status,
        data?.description ?? `HTTP ${res.status}`,
        Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined,
      );
    }
    return data.result as T;
  };
  return {
    call,
    getMe: () => call("getMe"),
    async getUpdates(timeoutSeconds) {
      try {
        return await call("getUpdates", { timeout: String(timeoutSeconds) }, (timeoutSeconds + 10) * 1000);
      } catch (err) {
        if (err instanceof ZaloApiError && err.code === 408) return undefined;
        throw err;
      }
    },
    sendMessage: (chatId, text) => call("sendMessage", { chat_id: chatId, text }),
    sendChatAction: (chatId, action) => call("sendChatAction", { chat_id: chatId, action }),
    setWebhook: (url, secretToken) => call("setWebhook", { url, secret_token: secretToken }),
    deleteWebhook: () => call("deleteWebhook"),
  };
}

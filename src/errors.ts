/** A remote service (language model, embeddings server) failed; `url` names it, never a key. */
export class RemoteServiceError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

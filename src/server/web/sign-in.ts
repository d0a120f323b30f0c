/**
 * Sign-in to the administrators' web page without a password to leak: an administrator asks the
 * bot (/quantri in a private chat) or the console (`npm run admin-link`) for a one-time link,
 * random, usable once within LINK_MINUTES, tied to that administrator. Opening it asks to
 * confirm (a link preview fetching it uses nothing); confirming starts a session kept by a
 * cookie. Only SHA-256 hashes of the link tokens and session ids are stored.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AuditLog, WebSession, WebSignInStore } from "../../storage/ports.js";

/** How long a sign-in link can be used. */
export const LINK_MINUTES = 10;

/** Where the page is served, under PUBLIC_URL. */
export const WEB_PREFIX = "/quantri";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A random secret, URL-safe. */
export function secret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SignInLinks {
  /** A one-time link for `admin` ("telegram:123"), written to the audit log (not the link). */
  issue(admin: string): Promise<string>;
  readonly minutes: number;
}

/** Issues sign-in links to `${publicUrl}/quantri/vao?t=…`. */
export function createSignInLinks(deps: {
  store: WebSignInStore;
  audit: AuditLog;
  publicUrl: string;
  now?: () => Date;
}): SignInLinks {
  const now = deps.now ?? (() => new Date());
  return {
    minutes: LINK_MINUTES,
    async issue(admin) {
      const token = secret();
      const t = now();
      await deps.store.createLink(
        sha256(token),
        admin,
        t.toISOString(),
        new Date(t.getTime() + LINK_MINUTES * 60_000).toISOString(),
      );
      await deps.audit.record({ actor: admin, action: "sign-in-link", detail: "", at: t.toISOString() });
      return `${deps.publicUrl}${WEB_PREFIX}/vao?t=${token}`;
    },
  };
}

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

/** A new session for `admin`: its id (for the cookie, never stored) and the stored record. */
export function newSession(
  admin: string,
  at: Date,
  policy: SessionPolicy,
): { id: string; session: WebSession } {
  const id = secret();
  return {
    id,
    session: {
      idHash: sha256(id),
      admin,
      csrf: secret(24),
      createdAt: at.toISOString(),
      lastSeenAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + policy.maxHours * 3600_000).toISOString(),
    },
  };
}

/** Whether a session is still alive at `at`: before its absolute end and not idle too long. */
export function sessionAlive(s: WebSession, at: Date, policy: SessionPolicy): boolean {
  const t = at.getTime();
  return Date.parse(s.expiresAt) > t && Date.parse(s.lastSeenAt) + policy.idleMinutes * 60_000 > t;
}

/**
 * Bounded session tracker behind `dashstream_turns_by_session`: remembers each session's max
 * turn and when it was last seen, and hands the max turn to an observer once per session, when
 * the session goes idle, is evicted, or at shutdown.
 *
 * @module
 */

/** Options for {@link SessionTracker}. */
export interface SessionTrackerOptions {
  /** A session idle for longer than this (ms) is observed and dropped by `expire()`. */
  timeoutMs: number;
  /** Most sessions kept at once (default 100000). */
  maxSessions?: number;
  /** Receives a finished session's max turn. */
  observe: (maxTurn: number) => void;
}

/** Default bound on tracked sessions. */
export const DEFAULT_MAX_SESSIONS = 100_000;

interface Session {
  maxTurn: number;
  lastSeenMs: number;
}

/**
 * Tracks sessionId → (max turn, last seen). The Map's insertion order doubles as the LRU order:
 * an update deletes and re-inserts its key, so the oldest-seen session is always first and
 * `expire()` costs O(expired sessions), scanning from the front until a live one.
 *
 * Bound: when a new session would exceed `maxSessions`, the least recently seen session is
 * evicted and its max turn observed right away, as if it had timed out. If it comes back later it
 * is tracked as a new session, so its turns may be observed as two shorter sessions. This trades
 * exactness under extreme cardinality for bounded memory.
 *
 * Order assumes a non-decreasing clock; if the clock steps back, an idle session may be observed
 * late (never early).
 */
export class SessionTracker {
  readonly #sessions = new Map<string, Session>();
  readonly #timeoutMs: number;
  readonly #maxSessions: number;
  readonly #observe: (maxTurn: number) => void;
  /**
   * One long-lived iterator for evictions. A fresh `for...of` per eviction walks
   * past every deleted slot the Map has not compacted yet, which made eviction
   * quadratic under a flood of new sessions. Everything before the cursor was
   * evicted or moved to the end, so its next live entry is the oldest one.
   */
  #evictCursor: MapIterator<[string, Session]> | undefined;

  /** Create an empty tracker. */
  constructor(options: SessionTrackerOptions) {
    if (!(options.timeoutMs >= 0)) {
      throw new RangeError(
        `SessionTracker timeoutMs=${options.timeoutMs} is invalid; pass a number >= 0.`,
      );
    }
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
      throw new RangeError(
        `SessionTracker maxSessions=${maxSessions} is invalid; pass a whole number >= 1.`,
      );
    }
    this.#timeoutMs = options.timeoutMs;
    this.#maxSessions = maxSessions;
    this.#observe = options.observe;
  }

  /** Number of sessions tracked now. */
  get size(): number {
    return this.#sessions.size;
  }

  /** The configured idle timeout in ms. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** The configured bound on tracked sessions. */
  get maxSessions(): number {
    return this.#maxSessions;
  }

  /** The tracked max turn of `sessionId`, or undefined. */
  maxTurnOf(sessionId: string): number | undefined {
    return this.#sessions.get(sessionId)?.maxTurn;
  }

  /** Record that `sessionId` reached `turn` at `nowMs`. */
  touch(sessionId: string, turn: number, nowMs: number): void {
    const sessions = this.#sessions;
    const session = sessions.get(sessionId);
    if (session !== undefined) {
      if (turn > session.maxTurn) session.maxTurn = turn;
      session.lastSeenMs = nowMs;
      // Re-insert to move it to the newest end; the entry object is reused.
      sessions.delete(sessionId);
      sessions.set(sessionId, session);
      return;
    }
    if (sessions.size >= this.#maxSessions) this.#evictOldest();
    sessions.set(sessionId, { maxTurn: turn, lastSeenMs: nowMs });
  }

  /** Observe and drop every session idle for longer than the timeout. Returns how many. */
  expire(nowMs: number): number {
    const sessions = this.#sessions;
    const deadline = nowMs - this.#timeoutMs;
    let expired = 0;
    for (const [id, session] of sessions) {
      if (!(session.lastSeenMs < deadline)) break;
      sessions.delete(id);
      this.#observe(session.maxTurn);
      expired++;
    }
    return expired;
  }

  /** Observe and drop every session (shutdown). Returns how many. */
  flush(): number {
    const sessions = this.#sessions;
    const count = sessions.size;
    for (const session of sessions.values()) this.#observe(session.maxTurn);
    sessions.clear();
    this.#evictCursor = undefined;
    return count;
  }

  #evictOldest(): void {
    let next = (this.#evictCursor ??= this.#sessions.entries()).next();
    if (next.done) {
      this.#evictCursor = this.#sessions.entries();
      next = this.#evictCursor.next();
      if (next.done) return;
    }
    const [id, session] = next.value;
    this.#sessions.delete(id);
    this.#observe(session.maxTurn);
  }
}

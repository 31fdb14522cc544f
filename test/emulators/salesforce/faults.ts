// Fault injection for the Salesforce emulator (test/emulators/salesforce/emulator.ts):
// what an org does to an integration on a bad day, in the shapes of
// ../shared/reference/salesforce.md §2.1 and §2.5:
// - `unavailable`: 503 with Salesforce's error-array body (`SERVER_UNAVAILABLE`),
//   for every API call while it is on (maintenance, an instance down);
// - `sessionExpired`: 401 `INVALID_SESSION_ID` and the presented session is
//   revoked, so the client must run its grant again and replay;
// - `lockRow`: an sObject Collections write in which every record fails with
//   `UNABLE_TO_LOCK_ROW` (per-record `statusCode`, HTTP 200, nothing written);
// - `lostAnswer`: the request is carried out (records written, call counted)
//   and the connection is then dropped before any answer.
// A failed request that never reached the org (503, 401) is not counted as an
// API call; a lost answer is, since the org did the work.
import type { Answer } from './rest.ts';
import { apiError } from './rest.ts';

export type FaultKind = 'unavailable' | 'sessionExpired' | 'lockRow' | 'lostAnswer';

export interface FaultRates {
  /** Probability per API call of each fault, 0..1. */
  readonly unavailable?: number;
  readonly sessionExpired?: number;
  /** Per sObject Collections write (standalone or inside a Composite). */
  readonly lockRow?: number;
  readonly lostAnswer?: number;
}

export interface FaultPlan {
  /** Every API call answers 503 while true (an outage). */
  readonly down?: boolean;
  /** Random faults, drawn from a seeded generator so runs repeat. */
  readonly rates?: FaultRates;
  readonly seed?: number;
  /** Scripted faults of the next API calls, one entry per call ('none': served normally). */
  readonly next?: ReadonlyArray<FaultKind | 'none'>;
}

export const SERVER_UNAVAILABLE = apiError(
  503,
  'SERVER_UNAVAILABLE',
  'Server temporarily unavailable, please try again later',
);
export const INVALID_SESSION = apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

/** Mulberry32: small, seeded, good enough to spread faults over calls. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The emulator's fault switchboard; `set` replaces the plan, `injected` counts what was done. */
export class Faults {
  #plan: FaultPlan = {};
  #next: Array<FaultKind | 'none'> = [];
  /** The scripted fault of the call being served; undefined when it is drawn at random. */
  #current: FaultKind | 'none' | undefined;
  #random: () => number = seeded(1);
  readonly injected: Record<FaultKind, number> = {
    unavailable: 0,
    sessionExpired: 0,
    lockRow: 0,
    lostAnswer: 0,
  };

  set(plan: FaultPlan): void {
    this.#plan = plan;
    this.#next = [...(plan.next ?? [])];
    this.#random = seeded(plan.seed ?? 1);
  }

  clear(): void {
    this.set({});
  }

  #draw(kind: FaultKind): boolean {
    if (kind === 'unavailable' && this.#plan.down) return this.#count(kind);
    if (this.#current !== undefined) return this.#current === kind && this.#count(kind);
    const rate = this.#plan.rates?.[kind] ?? 0;
    return rate > 0 && this.#random() < rate ? this.#count(kind) : false;
  }

  #count(kind: FaultKind): true {
    this.injected[kind] += 1;
    return true;
  }

  /** Before an API call is served: an answer that replaces it, or null to serve it. */
  beforeCall(): Answer | null {
    this.#current = this.#next.shift();
    if (this.#draw('unavailable')) return SERVER_UNAVAILABLE;
    if (this.#draw('sessionExpired')) return INVALID_SESSION;
    return null;
  }

  /** For one sObject Collections write: true when every record of it must fail locked. */
  lockWrite(): boolean {
    return this.#draw('lockRow');
  }

  /** After a call was carried out: true when its answer must be lost. */
  loseAnswer(): boolean {
    return this.#draw('lostAnswer');
  }
}

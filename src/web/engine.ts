/**
 * @module
 * The page's side of the analysis worker. Each lane (the model, the check panel, the diff panel) keeps only its
 * newest request: a new one supersedes the last, whose answer is dropped, and work that is still running after a
 * moment is ended by ending the worker (a warm spare takes over at once), so a hostile input never holds up the
 * next keystroke.
 */
import type { Ready, Request, Response, Result, ErrorView } from './protocol.js';

/** Work that has run longer than this when superseded is ended with its worker rather than waited for. */
const PATIENCE_MS = 30;

type Lane = Request['kind'];
type Answer = { ok: true; result: Result } | { ok: false; error: ErrorView } | { ok: false; cancelled: true };
type Body = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

interface Pending {
  readonly id: number;
  readonly lane: Lane;
  readonly body: Body;
  readonly resolve: (a: Answer) => void;
  /** When it was posted to a loaded worker (0: not yet). */
  started: number;
}

/** A worker, whether it has loaded, and whether its lazily loaded parts are in. */
interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<Ready>;
  readonly warm: Promise<void>;
}

export class Engine {
  private active: Slot;
  private spare: Slot | undefined;
  private readonly running = new Map<number, Pending>();
  private readonly latest = new Map<Lane, number>();
  private next = 1;
  /** Resolves with the zoo list once the first worker has loaded. */
  readonly ready: Promise<Ready>;
  /** Workers ended to stop long work (for tests and the status line). */
  restarts = 0;

  constructor(private readonly url: URL) {
    this.active = this.spawn();
    this.ready = this.active.ready;
    // The spare loads once the first is ready, so the two do not compete at start-up.
    void this.ready.then(() => (this.spare ??= this.spawn()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, { type: 'module' });
    let loaded: (r: Ready) => void;
    let warmed: () => void;
    const ready = new Promise<Ready>((r) => (loaded = r));
    const warm = new Promise<void>((r) => (warmed = r));
    worker.onmessage = (e: MessageEvent<Ready | Response | { warm: boolean }>) => {
      if ('ready' in e.data) loaded(e.data);
      else if ('warm' in e.data) warmed();
      else this.settle(e.data);
    };
    return { worker, ready, warm };
  }

  private settle(r: Response): void {
    const p = this.running.get(r.id);
    if (!p) return;
    this.running.delete(r.id);
    p.resolve(this.latest.get(p.lane) === p.id ? (r.ok ? { ok: true, result: r.result } : { ok: false, error: r.error }) : { ok: false, cancelled: true });
  }

  /** Ends the worker and everything running on it; unanswered requests of other lanes are sent again. */
  private restart(): void {
    this.active.worker.terminate();
    this.restarts++;
    this.active = this.spare ?? this.spawn();
    this.spare = undefined;
    void this.active.ready.then(() => (this.spare ??= this.spawn()));
    for (const p of [...this.running.values()]) {
      if (this.latest.get(p.lane) === p.id) this.post(p);
      else {
        this.running.delete(p.id);
        p.resolve({ ok: false, cancelled: true });
      }
    }
  }

  private post(p: Pending): void {
    p.started = 0;
    const slot = this.active;
    void slot.ready.then(() => {
      if (slot !== this.active || this.running.get(p.id) !== p) return;
      p.started = performance.now();
      slot.worker.postMessage({ id: p.id, ...p.body } as Request);
    });
  }

  /** Resolves once the working worker and its spare have loaded everything they may need. */
  async idle(): Promise<void> {
    await this.ready;
    await this.active.warm;
    await (this.spare ??= this.spawn()).warm;
  }

  /** Drops a superseded request; if it is still running after a moment, ends the worker it runs on. */
  private supersede(old: Pending): void {
    const wait = old.started > 0 ? Math.max(0, PATIENCE_MS - (performance.now() - old.started)) : 0;
    setTimeout(() => {
      if (this.running.get(old.id) !== old) return; // answered meanwhile
      this.running.delete(old.id);
      old.resolve({ ok: false, cancelled: true });
      if (old.started > 0) this.restart();
    }, wait);
  }

  /** Runs a request on its lane; an older request of the same lane is superseded. */
  run(body: Body): Promise<Answer> {
    const id = this.next++;
    const lane = body.kind;
    const prior = this.latest.get(lane);
    this.latest.set(lane, id);
    const old = prior === undefined ? undefined : this.running.get(prior);
    return new Promise<Answer>((resolve) => {
      const p: Pending = { id, lane, body, resolve, started: 0 };
      this.running.set(id, p);
      this.post(p);
      if (old) this.supersede(old);
    });
  }
}

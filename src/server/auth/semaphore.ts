/** Thrown when the wait queue is full: the caller answers 503 instead of piling up work. */
export class SemaphoreFull extends Error {
  constructor() {
    super('too many requests waiting');
    this.name = 'SemaphoreFull';
  }
}

/** At most `limit` tasks at once; at most `queue` more waiting (FIFO); beyond that, SemaphoreFull. */
export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private limit: number,
    private queue: number,
  ) {}

  configure(limit: number, queue: number): void {
    this.limit = limit;
    this.queue = queue;
  }

  get active(): number {
    return this.running;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.queue) throw new SemaphoreFull();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; `running` stays the same.
      if (next) next();
      else this.running -= 1;
    }
  }
}

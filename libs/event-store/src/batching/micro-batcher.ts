// Micro-batching: calls that arrive while earlier ones are being served go together, as one call of `many`. An
// idle batcher serves a call at once, alone (no added latency); under concurrency the round trips per call fall
// with the batch size. Each caller keeps its own answer: should `many` fail as a whole, every call of that batch
// is served again on its own by `one`, and gets its own result or error.

export interface MicroBatcherOptions<In> {
  /** Batches in flight at once; further calls queue for the next one. Default 2. */
  maxInFlight?: number;
  /** Calls per batch at most. Default 100. */
  maxBatch?: number;
  /** The order in which a batch's calls go to `many` (a stable sort: ties keep their arrival order). */
  order?: (a: In, b: In) => number;
}

export interface BatchServer<In, Out> {
  one(input: In): Promise<Out>;
  /** One result per input, in the order given. */
  many(inputs: readonly In[]): Promise<readonly Out[]>;
}

type Queued<In, Out> = { input: In; resolve(output: Out): void; reject(error: unknown): void };

export class MicroBatcher<In, Out> {
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  private readonly order: ((a: In, b: In) => number) | undefined;
  private queue: Array<Queued<In, Out>> = [];
  private inFlight = 0;

  constructor(
    private readonly server: BatchServer<In, Out>,
    options: MicroBatcherOptions<In> = {},
  ) {
    this.maxInFlight = positiveInteger(options.maxInFlight ?? 2, 'maxInFlight');
    this.maxBatch = positiveInteger(options.maxBatch ?? 100, 'maxBatch');
    this.order = options.order;
  }

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatch);
      this.queue = this.queue.slice(batch.length);
      this.inFlight += 1;
      void this.serve(batch).finally(() => {
        this.inFlight -= 1;
        this.drain();
      });
    }
  }

  private async serve(batch: Array<Queued<In, Out>>): Promise<void> {
    if (batch.length > 1) {
      const order = this.order;
      const ordered = order ? batch.map((call, index) => ({ call, index })).sort((a, b) => order(a.call.input, b.call.input) || a.index - b.index).map(({ call }) => call) : batch;
      let outputs: readonly Out[] | undefined;
      try {
        outputs = await this.server.many(ordered.map(({ input }) => input));
      } catch {
        outputs = undefined; // served one by one below, each with its own outcome
      }
      if (outputs !== undefined && outputs.length === ordered.length) {
        ordered.forEach((call, i) => call.resolve(outputs[i] as Out));
        return;
      }
    }
    await Promise.all(batch.map((call) => this.server.one(call.input).then(call.resolve, call.reject)));
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

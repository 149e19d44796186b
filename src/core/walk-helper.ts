import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { Walker, type DiscoveryHelper, type DiscoveryOptions, type HandOver, type WalkOutput, type WalkTask } from './discovery';

// Discovery with a pool worker's help: while the scan's thread finds files, the worker that will
// analyse them has nothing to do (at scale about 100 ms). Whenever it is free, the scan's thread
// hands it the folder it would walk last; once the scan's thread is done and waits, the worker
// hands folders back the same way. Discovery is synchronous on the scan's thread, so it hears the
// worker through a port it reads itself (receiveMessageOnPort) and a shared array of flags.

// Slots of the shared state.
/** 1 while the worker waits for a folder; the scan's thread takes it to 0 as it hands one over. */
const WORKER_FREE = 0;
/** 1 while the scan's thread waits for the worker; the worker takes it to 0 as it hands a folder back. */
const HERE_WAITING = 1;
/** Counts the worker's folders and messages: the scan's thread waits on it, and sees a worker that stalls. */
const BEAT = 2;

// How long the scan's thread waits on a worker that shows no sign of walking before it walks the
// worker's folders itself (a worker that died, or hangs on a folder on a dead network mount).
const STALL_MS = 2000;
// How often it looks for the worker's messages while it waits (it is also woken by each one).
const WAIT_SLICE_MS = 50;

/** What the scan's thread sends the worker (through the worker's own port). */
export type WalkRequest =
  | { type: 'walk-channel'; port: MessagePort; state: Int32Array }
  | { type: 'walk'; discovery: number; id: number; task: WalkTask; options: DiscoveryOptions; watch: boolean };

/** What the worker sends back, on the channel's port: a folder it hands back, or what it walked (none if walking failed). */
type WalkReply = { type: 'walk-task'; discovery: number; id: number; task: WalkTask } | { type: 'walk-output'; discovery: number; id: number; output?: WalkOutput };

/** The scan's side: one per pool, with the worker that helps. */
export class WorkerWalkHelper implements DiscoveryHelper {
  private readonly state = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private readonly port: MessagePort;
  private discoveries = 0;

  constructor(
    private readonly worker: Worker,
    private readonly stallMs = STALL_MS,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    // Read only by receiveMessageOnPort: it must not keep the process alive.
    port1.unref();
    worker.postMessage({ type: 'walk-channel', port: port2, state: this.state } satisfies WalkRequest, [port2]);
  }

  begin(options: DiscoveryOptions, watch: boolean): ReturnType<DiscoveryHelper['begin']> {
    const discovery = (this.discoveries += 1);
    // The discovery options alone: a scan's settings hold functions and this helper, which no message can carry.
    const { maxFileSize, includeTests, exclude } = options;
    const atWorker = new Map<number, WalkTask>();
    let handed = 0;
    const handOver: HandOver = (makeTask) => {
      if (Atomics.compareExchange(this.state, WORKER_FREE, 1, 0) !== 1) return undefined;
      const task = makeTask();
      const id = (handed += 1);
      try {
        this.worker.postMessage({ type: 'walk', discovery, id, task, options: { maxFileSize, includeTests, exclude }, watch } satisfies WalkRequest);
      } catch {
        // A worker that cannot be posted to is no help: walked here, and not offered again.
        return undefined;
      }
      atWorker.set(id, task);
      return id;
    };
    const finish = (walkHere: (task: WalkTask) => WalkOutput): Map<number, WalkOutput> => {
      const outputs = new Map<number, WalkOutput>();
      let beat = Atomics.load(this.state, BEAT);
      let lastSign = performance.now();
      Atomics.store(this.state, HERE_WAITING, 1);
      try {
        while (atWorker.size > 0) {
          const reply = receiveMessageOnPort(this.port)?.message as WalkReply | undefined;
          if (reply) {
            lastSign = performance.now();
            // A late answer of an earlier discovery, whose folders were walked here.
            if (reply.discovery !== discovery) continue;
            if (reply.type === 'walk-task') {
              outputs.set(reply.id, walkHere(reply.task));
              Atomics.store(this.state, HERE_WAITING, 1);
              continue;
            }
            const task = atWorker.get(reply.id);
            if (!task) continue;
            atWorker.delete(reply.id);
            outputs.set(reply.id, reply.output ?? walkHere(task));
            continue;
          }
          Atomics.wait(this.state, BEAT, beat, WAIT_SLICE_MS);
          const now = Atomics.load(this.state, BEAT);
          if (now !== beat) {
            beat = now;
            lastSign = performance.now();
          } else if (performance.now() - lastSign > this.stallMs) {
            // What it hands back or answers later belongs to no folder still waited for: ignored.
            for (const [id, task] of atWorker) outputs.set(id, walkHere(task));
            atWorker.clear();
          }
        }
      } finally {
        Atomics.store(this.state, HERE_WAITING, 0);
      }
      return outputs;
    };
    return { handOver, finish };
  }

  close(): void {
    this.port.close();
  }
}

// The worker's side.
let channel: { port: MessagePort; state: Int32Array } | undefined;
let current: { discovery: number; walker: Walker } | undefined;
let handedBack = 0;

/** Answers the scan's thread: keeps the channel, or walks a folder (handing folders back while the scan's thread waits). */
export function serveWalk(request: WalkRequest): void {
  if (request.type === 'walk-channel') {
    channel = { port: request.port, state: request.state };
    Atomics.store(request.state, WORKER_FREE, 1);
    return;
  }
  if (!channel) return;
  const { port, state } = channel;
  const { discovery } = request;
  const signal = () => {
    Atomics.add(state, BEAT, 1);
    Atomics.notify(state, BEAT);
  };
  let output: WalkOutput | undefined;
  try {
    if (current?.discovery !== discovery) current = { discovery, walker: new Walker(request.options, request.watch) };
    output = current.walker.walk(request.task, (makeTask) => {
      if (Atomics.compareExchange(state, HERE_WAITING, 1, 0) !== 1) {
        // A sign of life, at every folder (this is asked before each).
        Atomics.add(state, BEAT, 1);
        return undefined;
      }
      // Negative, so that they never meet the ids the scan's thread gives.
      const id = -(handedBack += 1);
      port.postMessage({ type: 'walk-task', discovery, id, task: makeTask() } satisfies WalkReply);
      signal();
      return id;
    });
  } catch {
    // Our own failure: the scan's thread walks the folder itself.
    output = undefined;
  }
  port.postMessage({ type: 'walk-output', discovery, id: request.id, output } satisfies WalkReply);
  Atomics.store(state, WORKER_FREE, 1);
  signal();
}

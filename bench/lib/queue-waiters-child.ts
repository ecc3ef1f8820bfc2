/**
 * The waiters of bench:queue in a process of their own (harness realism: a waiter's browser is another machine). On
 * the load generator's event loop, which also carries the stampede's joins, their retries and timers, a claim waited
 * tens of seconds (p50 81.8 s from its intended send in the quiet 100,000-join run, against the API's own p99 3.6 s)
 * before it was sent or its answer read. The parent sends the settings, then placed waiters as they are placed, and at
 * the end asks for what they saw.
 */
import { WaiterLoop, type WaitersCommand, type WaitersProgress, type WaitersResult } from './queue-waiters.js';

const send = (message: WaitersResult | WaitersProgress | { type: 'ready' }) => process.send?.(message);
let waiters: WaiterLoop | undefined;

process.on('message', (message: WaitersCommand) => {
  if (message.type === 'start') waiters = new WaiterLoop(message);
  else if (message.type === 'placed') waiters!.add(message.waiters);
  else if (message.type === 'progress') send(waiters!.progress());
  else if (message.type === 'finish') {
    // The parent disconnects once it has the result (an exit right after sending could overtake the message).
    void waiters!.finish().then(send);
  }
});
send({ type: 'ready' });

/**
 * Runs `pass` now and then every `intervalMs`, never two passes at once: a pass slower than the interval makes the
 * next tick a no-op instead of piling up concurrent passes against the same table. The timer does not keep the
 * process alive. Returns the stop function. `pass` handles its own errors; one that escapes goes to `onError`.
 */
export function startPeriodicTask(
  intervalMs: number,
  pass: () => Promise<void>,
  onError: (error: unknown) => void,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await pass();
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}

/**
 * Which show slot (seat partition) the next attempt goes to. Every attempt of a scenario lands on the current slot;
 * after `holdsPerSlot` confirmed holds the scenario moves on to a fresh one. That keeps the fill (and so the conflict
 * rate) in the same low band for the whole run, and both scenarios see the same pattern because each runs its own
 * rotation with the same threshold.
 */
export class SlotRotation {
  private readonly confirmedBySlot = new Map<string, number>();
  private readonly used: string[] = [];

  constructor(
    private readonly nextSlotId: () => string,
    private readonly holdsPerSlot: number,
  ) {
    this.used.push(nextSlotId());
  }

  current(): string {
    return this.used[this.used.length - 1]!;
  }

  /** Counts a confirmed hold; the rotation advances once the current slot has had its share. */
  confirmed(slotId: string): void {
    const count = (this.confirmedBySlot.get(slotId) ?? 0) + 1;
    this.confirmedBySlot.set(slotId, count);
    if (slotId === this.current() && count >= this.holdsPerSlot) this.used.push(this.nextSlotId());
  }

  /** Every slot an attempt may have written to (the last one possibly still empty). */
  slotsUsed(): readonly string[] {
    return [...this.used];
  }
}

/** 1–4 distinct seats chosen uniformly at random: what one customer asks for in one hold (SPEC §3.1). */
export function pickSeats(sellable: readonly string[], random: () => number = Math.random): string[] {
  const count = 1 + Math.floor(random() * 4);
  const chosen = new Set<string>();
  while (chosen.size < Math.min(count, sellable.length)) chosen.add(sellable[Math.floor(random() * sellable.length)]!);
  return [...chosen];
}

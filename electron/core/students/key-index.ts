/**
 * Strings to whole numbers, kept compact: a roster's ID numbers and 学籍号 (300,000 of each in a county's file) map to
 * a row or a student's place. A Map holds each key as its own string object beside its entry, about 90 bytes a key;
 * here the keys' UTF-8 bytes sit end to end in one buffer and an open-addressing table of 32-bit slots finds them,
 * about 30 bytes a key. Keys are compared byte for byte: two keys never share an entry.
 */
export class KeyIndex {
  /** Entry number + 1 for each slot (0: empty); the table's size is a power of two, at most half full. */
  private slots = new Int32Array(64);
  /** Per entry: its key's hash, where its bytes start (they end where the next entry's start), its value. */
  private hashes = new Uint32Array(32);
  private starts = new Uint32Array(33);
  private values = new Int32Array(32);
  private bytes = Buffer.alloc(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): number | undefined {
    const found = this.slotOf(this.stage(key));
    return found.entry < 0 ? undefined : this.values[found.entry];
  }

  /** Sets the key's value (a new key is added). */
  set(key: string, value: number): void {
    const length = this.stage(key);
    const found = this.slotOf(length);
    if (found.entry >= 0) {
      this.values[found.entry] = value;
      return;
    }
    const entry = this.count++;
    if (entry === this.values.length) this.growEntries();
    this.hashes[entry] = found.hash;
    this.values[entry] = value;
    this.starts[entry + 1] = this.starts[entry]! + length;
    this.slots[found.slot] = entry + 1;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  /** Writes the key's bytes after the last entry's (where a new entry's go); returns their length. */
  private stage(key: string): number {
    const at = this.starts[this.count]!;
    this.bytes = withRoom(this.bytes, at, key);
    return this.bytes.write(key, at);
  }

  /** The slot holding the staged key (entry ≥ 0) or the empty slot it would take (entry −1), and its hash. */
  private slotOf(length: number): { slot: number; entry: number; hash: number } {
    const { bytes } = this;
    const at = this.starts[this.count]!;
    // FNV-1a over the UTF-8 bytes.
    let hash = 0x811c9dc5;
    for (let i = at; i < at + length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    hash >>>= 0;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot]!;
      if (held === 0) return { slot, entry: -1, hash };
      const entry = held - 1;
      if (this.hashes[entry] !== hash) continue;
      const start = this.starts[entry]!;
      if (this.starts[entry + 1]! - start !== length) continue;
      let same = true;
      for (let i = 0; i < length && same; i++) same = bytes[start + i] === bytes[at + i];
      if (same) return { slot, entry, hash };
    }
  }

  private growEntries(): void {
    this.hashes = doubled(this.hashes);
    this.starts = doubled(this.starts);
    this.values = doubled(this.values);
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = this.hashes[entry]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

/** A typed array twice as long, its values first: packed tables grow by doubling. */
export function doubled<T extends Int32Array | Uint8Array | Uint16Array | Uint32Array>(a: T): T {
  const grown = new (a.constructor as new (n: number) => T)(a.length * 2);
  grown.set(a);
  return grown;
}

/**
 * `bytes`, or a larger copy of its first `used` bytes (doubled, or more when needed), with room after `used` for `text`
 * as UTF-8 (at most 3 bytes for each UTF-16 unit).
 */
export function withRoom<B extends Buffer>(bytes: B, used: number, text: string): B {
  const need = used + text.length * 3;
  if (need <= bytes.length) return bytes;
  const grown = Buffer.alloc(Math.max(bytes.length * 2, need)) as B;
  bytes.copy(grown, 0, 0, used);
  return grown;
}

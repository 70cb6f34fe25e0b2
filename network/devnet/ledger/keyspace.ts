import { OrderedMap } from '@js-sdsl/ordered-map';

/*
 * Keys of one namespace (or collection) in Fabric's order: by their UTF-8 bytes, as Go compares
 * strings. JavaScript compares UTF-16 code units, which puts U+E000–U+FFFF after
 * characters above U+FFFF; comparing the encoded bytes avoids that.
 */

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/**
 * A map from string keys to values with point lookups in O(1) and ordered range scans over a
 * red-black tree (O(log n) inserts, no array shifting on large state).
 */
export class Keyspace<V> {
  readonly #values = new Map<string, V>();
  readonly #order = new OrderedMap<Buffer, string>([], compareBytes);
  /** Bumped on every insert or erase, so a running scan knows when to re-seek. */
  #shape = 0;

  get size(): number {
    return this.#values.size;
  }

  get(key: string): V | undefined {
    return this.#values.get(key);
  }

  set(key: string, value: V): void {
    if (!this.#values.has(key)) {
      this.#order.setElement(Buffer.from(key, 'utf8'), key);
      this.#shape++;
    }
    this.#values.set(key, value);
  }

  delete(key: string): boolean {
    if (!this.#values.delete(key)) return false;
    this.#order.eraseElementByKey(Buffer.from(key, 'utf8'));
    this.#shape++;
    return true;
  }

  /**
   * Entries with `start <= key < end` in UTF-8 byte order; `end === ''` scans to the end.
   * The scan is lazy and stays correct if the keyspace changes between steps (it re-seeks after
   * the last key it returned), so callers may hold it across awaits.
   */
  *range(start: string, end: string): Generator<[string, V]> {
    const endBytes = end === '' ? undefined : Buffer.from(end, 'utf8');
    const treeEnd = this.#order.end();
    let it = this.#order.lowerBound(Buffer.from(start, 'utf8'));
    let shape = this.#shape;
    while (!it.equals(treeEnd)) {
      const [bytes, key] = it.pointer;
      if (endBytes !== undefined && Buffer.compare(bytes, endBytes) >= 0) return;
      const value = this.#values.get(key);
      if (value !== undefined) yield [key, value];
      if (shape === this.#shape) {
        it = it.next();
      } else {
        it = this.#order.upperBound(bytes);
        shape = this.#shape;
      }
    }
  }
}

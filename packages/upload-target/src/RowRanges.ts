/**
 * A set of row numbers kept as sorted, disjoint, non-adjacent ranges, so a
 * job of millions of rows costs a handful of entries and a batch key such
 * as `job:1-1000000` is as cheap as `job:1-1`.
 */
export class RowRanges {
  #ranges: Array<[number, number]> = [];

  /** How many rows of `first..last` are already in the set. */
  overlap(first: number, last: number): number {
    let count = 0;

    for (
      let i = this.#firstEndingAtOrAfter(first);
      i < this.#ranges.length;
      i++
    ) {
      const [start, end] = this.#ranges[i];
      if (start > last) break;
      count += Math.min(end, last) - Math.max(start, first) + 1;
    }
    return count;
  }

  add(first: number, last: number): void {
    // Adjacent ranges merge too, hence the -1 and +1.
    const from = this.#firstEndingAtOrAfter(first - 1);
    let to = from;
    let start = first;
    let end = last;

    while (to < this.#ranges.length && this.#ranges[to][0] <= last + 1) {
      start = Math.min(start, this.#ranges[to][0]);
      end = Math.max(end, this.#ranges[to][1]);
      to += 1;
    }
    this.#ranges.splice(from, to - from, [start, end]);
  }

  toArray(): Array<[number, number]> {
    return this.#ranges.map(([start, end]) => [start, end]);
  }

  /** Binary search: index of the first range whose end is >= row. */
  #firstEndingAtOrAfter(row: number): number {
    let low = 0;
    let high = this.#ranges.length;

    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#ranges[middle][1] < row) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

// A first-fit allocator over the wasm linear memory, from the module's heap base upward. It owns
// every byte above the static data: the engine's scratch arena and the caller's zero-copy views.
// Blocks are 64-byte aligned (cache lines). Growing the memory detaches every typed-array view
// over the old buffer; the owner of the heap rebuilds its views after `alloc` (see Engine).

const PAGE = 65536;
/** wasm32 memory holds at most 2^32 bytes (65536 pages). */
export const MAX_BYTES = 2 ** 32;
/** Blocks start on cache lines: a row that straddles one line more per 64 bytes measured up to 20%
 *  slower. Arithmetic, not bitwise: offsets and sizes may exceed 2^31. */
const LINE = 64;
const alignLine = (n: number): number => Math.ceil(n / LINE) * LINE;

export class Heap {
  /** Free ranges as [start, end) pairs, sorted and coalesced. */
  private free: number[] = [];
  private used = new Map<number, number>();

  constructor(private memory: WebAssembly.Memory, private base: number) {
    base = this.base = alignLine(base);
    const end = memory.buffer.byteLength;
    if (end > base) this.free.push(base, end);
  }

  /** Allocates `bytes` (rounded up to 64, 64-byte aligned); grows the memory when no free range fits. */
  alloc(bytes: number): number {
    const size = alignLine(Math.max(bytes, LINE));
    if (size > MAX_BYTES - this.base) throw new RangeError(`multimax-wasm: ${bytes} bytes do not fit in a wasm32 memory (4 GiB)`);
    let ptr = this.take(size);
    if (ptr < 0) {
      this.grow(size);
      ptr = this.take(size);
    }
    this.used.set(ptr, size);
    return ptr;
  }

  /** Returns a block to the free list. Unknown pointers are ignored (returns false). */
  release(ptr: number): boolean {
    const size = this.used.get(ptr);
    if (size === undefined) return false;
    this.used.delete(ptr);
    const f = this.free;
    let i = 0;
    while (i < f.length && f[i] < ptr) i += 2;
    f.splice(i, 0, ptr, ptr + size);
    // coalesce with the next, then with the previous range
    if (i + 2 < f.length && f[i + 1] === f[i + 2]) f.splice(i + 1, 2);
    if (i > 0 && f[i - 1] === f[i]) f.splice(i - 1, 2);
    return true;
  }

  sizeOf(ptr: number): number | undefined {
    return this.used.get(ptr);
  }

  private take(size: number): number {
    const f = this.free;
    for (let i = 0; i < f.length; i += 2) {
      if (f[i + 1] - f[i] >= size) {
        const ptr = f[i];
        if (f[i + 1] - f[i] === size) f.splice(i, 2);
        else f[i] += size;
        return ptr;
      }
    }
    return -1;
  }

  private grow(size: number): void {
    const oldEnd = this.memory.buffer.byteLength;
    const f = this.free;
    const tailFree = f.length > 0 && f[f.length - 1] === oldEnd ? oldEnd - f[f.length - 2] : 0;
    const need = size - tailFree;
    // grow by at least a quarter of the current size, so that a sequence of growing requests
    // costs amortised O(1) reallocations
    const pages = Math.max(Math.ceil(need / PAGE), Math.ceil(oldEnd / PAGE / 4), 1);
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch {
        throw new RangeError(`multimax-wasm: cannot grow the wasm memory to ${oldEnd + pages * PAGE} bytes (needed ${size} more bytes)`);
      }
    }
    const newEnd = this.memory.buffer.byteLength;
    if (tailFree > 0) f[f.length - 1] = newEnd;
    else f.push(oldEnd, newEnd);
  }
}

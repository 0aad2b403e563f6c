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
export const alignLine = (n: number): number => Math.ceil(n / LINE) * LINE;

/** "… do not fit in a wasm32 memory (4 GiB)" for sizes past MAX_BYTES. */
export const TOO_BIG = "do not fit in a wasm32 memory (4 GiB)";

export class Heap {
  /** Free ranges as [start, end) pairs, sorted and coalesced. */
  private _free: number[] = [];
  private _used = new Map<number, number>();
  private _memory: WebAssembly.Memory;
  private _base: number;

  constructor(memory: WebAssembly.Memory, base: number) {
    this._memory = memory;
    base = this._base = alignLine(base);
    const end = memory.buffer.byteLength;
    if (end > base) this._free.push(base, end);
  }

  /** Allocates `bytes` (rounded up to 64, 64-byte aligned); grows the memory when no free range fits. */
  alloc(bytes: number): number {
    const size = alignLine(Math.max(bytes, LINE));
    if (size > MAX_BYTES - this._base) throw new RangeError(`multimax-wasm: ${bytes} bytes ${TOO_BIG}`);
    let ptr = this._take(size);
    if (ptr < 0) {
      this._grow(size);
      ptr = this._take(size);
    }
    this._used.set(ptr, size);
    return ptr;
  }

  /** Returns a block to the free list. Unknown pointers are ignored. */
  release(ptr: number): void {
    const size = this._used.get(ptr);
    if (size === undefined) return;
    this._used.delete(ptr);
    const f = this._free;
    let i = 0;
    while (i < f.length && f[i] < ptr) i += 2;
    f.splice(i, 0, ptr, ptr + size);
    // coalesce with the next, then with the previous range
    if (i + 2 < f.length && f[i + 1] === f[i + 2]) f.splice(i + 1, 2);
    if (i > 0 && f[i - 1] === f[i]) f.splice(i - 1, 2);
  }

  private _take(size: number): number {
    const f = this._free;
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

  private _grow(size: number): void {
    const memory = this._memory;
    const oldEnd = memory.buffer.byteLength;
    const f = this._free;
    const tailFree = f.length > 0 && f[f.length - 1] === oldEnd ? oldEnd - f[f.length - 2] : 0;
    const need = Math.ceil((size - tailFree) / PAGE);
    // grow by at least a quarter of the current size, so that a sequence of growing requests
    // costs amortised O(1) reallocations; if that much is refused, by just what is needed
    const pages = Math.max(need, Math.ceil(oldEnd / PAGE / 4), 1);
    try {
      memory.grow(pages);
    } catch {
      try {
        memory.grow(need);
      } catch {
        throw new RangeError(`multimax-wasm: the wasm memory cannot grow to ${oldEnd + need * PAGE} bytes`);
      }
    }
    const newEnd = memory.buffer.byteLength;
    if (tailFree > 0) f[f.length - 1] = newEnd;
    else f.push(oldEnd, newEnd);
  }
}

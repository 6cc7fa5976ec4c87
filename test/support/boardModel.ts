// A model of drone-core's pool allocator writing the target's RAM as the firmware does
// (reference §7), written apart from the decoder so the tests compare two readings of the
// reference: Heap { pools: [Pool; N] } at `address`, each Pool four little-endian words in
// `order`; allocation takes the free-list head, else the block at `uninit`, from the first pool
// upwards whose block fits and has one; deallocation pushes the block and writes the old head
// into its first word. It also counts, per pool, what the decoder must find.

export interface ModelPool {
  block: number;
  capacity: number;
}

export type FieldName = 'size' | 'edge' | 'free' | 'uninit';

export class BoardModel {
  readonly ram: Uint8Array;
  private readonly view: DataView;
  readonly starts: number[];
  /** Per pool: blocks in use now, most ever in use. */
  readonly inUse: number[];
  readonly peak: number[];
  readonly freeCount: number[];

  constructor(
    readonly ramOrigin: number,
    ramSize: number,
    readonly staticAddress: number,
    readonly heapStart: number,
    readonly pools: ModelPool[],
    readonly order: FieldName[],
  ) {
    this.ram = new Uint8Array(ramSize);
    this.view = new DataView(this.ram.buffer);
    this.starts = [];
    let at = heapStart;
    for (const pool of pools) {
      this.starts.push(at);
      at += pool.block * pool.capacity;
    }
    this.inUse = pools.map(() => 0);
    this.peak = pools.map(() => 0);
    this.freeCount = pools.map(() => 0);
    pools.forEach((pool, i) => {
      this.set(i, 'size', pool.block);
      this.set(i, 'edge', this.starts[i] + pool.block * pool.capacity);
      this.set(i, 'free', 0);
      this.set(i, 'uninit', this.starts[i]);
    });
  }

  /** The static's bytes as the ELF file holds them before any allocation. */
  initialImage(): Uint8Array {
    const fresh = new BoardModel(this.ramOrigin, this.ram.length, this.staticAddress, this.heapStart, this.pools, this.order);
    const offset = this.staticAddress - this.ramOrigin;
    return fresh.ram.slice(offset, offset + 16 * this.pools.length);
  }

  private fieldAddress(pool: number, field: FieldName): number {
    return this.staticAddress + pool * 16 + this.order.indexOf(field) * 4;
  }
  word(address: number): number {
    return this.view.getUint32(address - this.ramOrigin, true);
  }
  setWord(address: number, value: number): void {
    this.view.setUint32(address - this.ramOrigin, value >>> 0, true);
  }
  get(pool: number, field: FieldName): number {
    return this.word(this.fieldAddress(pool, field));
  }
  set(pool: number, field: FieldName, value: number): void {
    this.setWord(this.fieldAddress(pool, field), value);
  }

  /** The block's address, or null when no pool can serve the request. */
  allocate(size: number): number | null {
    for (let i = 0; i < this.pools.length; i++) {
      if (this.pools[i].block < size) continue;
      const head = this.get(i, 'free');
      let address: number;
      if (head !== 0) {
        address = head;
        this.set(i, 'free', this.word(head));
        this.freeCount[i]--;
      } else {
        const uninit = this.get(i, 'uninit');
        if (uninit === this.get(i, 'edge')) continue;
        address = uninit;
        this.set(i, 'uninit', uninit + this.pools[i].block);
      }
      this.inUse[i]++;
      this.peak[i] = Math.max(this.peak[i], this.inUse[i]);
      return address;
    }
    return null;
  }

  deallocate(address: number): void {
    const i = this.starts.findIndex((start, k) => address >= start && address < start + this.pools[k].block * this.pools[k].capacity);
    this.setWord(address, this.get(i, 'free'));
    this.set(i, 'free', address);
    this.inUse[i]--;
    this.freeCount[i]++;
  }

  everFull(pool: number): boolean {
    return this.get(pool, 'uninit') === this.get(pool, 'edge');
  }
}

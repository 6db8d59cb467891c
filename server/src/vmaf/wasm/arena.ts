/**
 * A WebAssembly kernel instance and a bump allocator over its memory, for the built-in engines:
 * VMAF (kernels.ts beside this file) and SSIMULACRA2 / XPSNR (metrics/wasm). Buffers live as long
 * as the arena (one per frame size), so nothing is allocated per frame. Typed views must be taken
 * after the last alloc (growing the memory detaches older views), hence the view methods.
 */
// The project's lib (ES2023, no DOM) has no WebAssembly types: the little used here.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

/** What every kernel module built by scripts/build.mjs exports besides its kernels. */
export interface KernelModuleExports {
  memory: WasmMemory;
  heapBase(): number;
}

const PAGE = 65536;
/** Bytes past every buffer, so 4-lane loads and stores at a row's end stay inside it. */
const SLACK = 64;

/** Compiles a module's base64 bytes once; each call of the result is a new instance of it. */
export function kernelModule<K extends KernelModuleExports>(base64: string, name: string): () => K {
  let compiled: object | undefined;
  const abort = () => {
    throw new Error(`${name} WebAssembly kernel aborted`);
  };
  return () => {
    compiled ??= new WebAssembly.Module(Buffer.from(base64, 'base64'));
    return new WebAssembly.Instance(compiled, { env: { abort } }).exports as unknown as K;
  };
}

export class WasmArena<K extends KernelModuleExports> {
  private top: number;

  constructor(readonly kernels: K) {
    this.top = align(kernels.heapBase());
  }

  /** A zeroed buffer of `bytes` (16-byte aligned, with slack after it). */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes + SLACK);
    const needed = Math.ceil(this.top / PAGE) - this.kernels.memory.buffer.byteLength / PAGE;
    if (needed > 0) this.kernels.memory.grow(needed);
    return at;
  }

  bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.kernels.memory.buffer, at, length);
  }
  u16(at: number, length: number): Uint16Array {
    return new Uint16Array(this.kernels.memory.buffer, at, length);
  }
  i16(at: number, length: number): Int16Array {
    return new Int16Array(this.kernels.memory.buffer, at, length);
  }
  u32(at: number, length: number): Uint32Array {
    return new Uint32Array(this.kernels.memory.buffer, at, length);
  }
  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, at, length);
  }
  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, at, length);
  }
  f64(at: number, length: number): Float64Array {
    return new Float64Array(this.kernels.memory.buffer, at, length);
  }
}

function align(at: number): number {
  return (at + 15) & ~15;
}

/**
 * Deterministic synthetic frames for the metrics' pinned values: a smooth gradient with a
 * pseudo-random texture (a fixed linear congruential generator), and a "distorted" copy with
 * blocky quantisation and noise, so every term of both metrics is non-zero. Made in code: no
 * binary fixture, and the same bytes on every machine.
 */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Interleaved rgb24: reference and distorted. */
export function syntheticRgb(width: number, height: number): { reference: Uint8Array; distorted: Uint8Array } {
  const random = lcg(25);
  const reference = new Uint8Array(width * height * 3);
  const distorted = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        const base = (x * (c + 2) * 255) / width / 3 + (y * 255) / height / 2 + 40 * Math.sin((x + 2 * y + 7 * c) / 5);
        const value = Math.max(0, Math.min(255, Math.round(base + 24 * random())));
        reference[i] = value;
        const block = Math.round(value / 12) * 12;
        distorted[i] = Math.max(0, Math.min(255, Math.round(block + 6 * (random() - 0.5))));
      }
    }
  }
  return { reference, distorted };
}

/** Planar yuv420p frames (`count` of them, moving texture): reference and distorted. */
export function syntheticYuv(width: number, height: number, count: number): { reference: Uint8Array[]; distorted: Uint8Array[] } {
  const random = lcg(7);
  const reference: Uint8Array[] = [];
  const distorted: Uint8Array[] = [];
  const planes = [
    { w: width, h: height },
    { w: width / 2, h: height / 2 },
    { w: width / 2, h: height / 2 },
  ];
  for (let f = 0; f < count; f++) {
    const ref = new Uint8Array((width * height * 3) / 2);
    const dis = new Uint8Array(ref.length);
    let offset = 0;
    planes.forEach(({ w, h }, p) => {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const texture = p === 0 ? 60 * Math.sin((x + 3 * f) / 3) * Math.cos(y / 4) : 20 * Math.sin((x - y + f) / 6);
          const value = Math.max(16, Math.min(235, Math.round(128 + texture + (x > w / 2 ? 30 * random() : 0))));
          ref[offset + y * w + x] = value;
          dis[offset + y * w + x] = Math.max(0, Math.min(255, value + Math.round(8 * (random() - 0.5)) + (x % 8 === 0 ? 3 : 0)));
        }
      }
      offset += w * h;
    });
    reference.push(ref);
    distorted.push(dis);
  }
  return { reference, distorted };
}

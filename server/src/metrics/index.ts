/**
 * The built-in SSIMULACRA2 and XPSNR engines (VMAF's is in ../vmaf): each decodes both inputs with
 * ffmpeg to raw frames and scores every frame with its WebAssembly kernels (wasm/) and TypeScript,
 * so no libjxl, libvmaf or FFmpeg 7.1 is needed. Not yet wired into the CRF search: `chunked-av1 score` measures with them.
 */
export { measureSsimulacra2, type Ssimulacra2Measurement } from './measure-ssimulacra2';
export { measureXpsnr, type XpsnrMeasurement } from './measure-xpsnr';
export { isMetricPool, poolHarmonic, poolMetric, type MetricPool } from './pooling';
export { isMetricName, METRIC_NAMES, type MetricName, type MetricOptions } from './types';

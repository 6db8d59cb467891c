/**
 * bench/vmaf-sampling-corpus — the bias of each stride against every-frame scoring on the shared
 * libvmaf reference corpus (../shared/vmaf-reference: 56 cases, SVT-AV1, x264 and scaling of
 * lavfi sources, 48-96 frames), from libvmaf 3.2's recorded per-frame scores, so no clip is
 * regenerated and nothing is encoded. Strides pooled both ways: alike (libvmaf's own pooling at
 * n_subsample) and weighted by the frames each scored frame stands for (ours, frame-set.ts).
 *
 *   VMAF_REFERENCE_DIR=/work/shared/vmaf-reference node -r ./test/register.cjs bench/vmaf-sampling-corpus.ts [--strides 3,5,7,8]
 */
import { scoredFrameIndices, scoredFrameWeights, weightedScores } from '../server/src/vmaf/frame-set';
import { poolHarmonicMean, poolMean } from '../server/src/vmaf/pooling';
import { loadReferenceCorpus } from '../test/helpers/vmaf-reference';

const at = process.argv.indexOf('--strides');
const strides = (at >= 0 ? process.argv[at + 1]! : '3,5,7,8').split(',').map(Number);
const corpus = loadReferenceCorpus();
if (!corpus) throw new Error('reference corpus not found: set VMAF_REFERENCE_DIR');
const round = (x: number) => Math.round(x * 100) / 100;
const lines = [
  '| stride | pooling | worst abs bias, harmonic mean | mean abs bias | worst, SVT-AV1 cases only | cases over 0.3 |',
  '|---|---|---|---|---|---|',
];
for (const stride of strides) {
  for (const weighted of [false, true]) {
    const biases = corpus.cases.map((c) => {
      const every = c.vmaf.per_frame.vmaf;
      const picked = scoredFrameIndices(every.length, stride).map((i) => every[i]!);
      const pooled = weighted ? weightedScores(picked, scoredFrameWeights(every.length, stride)) : picked;
      return { id: c.id, bias: poolHarmonicMean(pooled) - poolHarmonicMean(every), meanBias: poolMean(pooled) - poolMean(every) };
    });
    const abs = biases.map((b) => Math.abs(b.bias));
    const svt = biases.filter((b) => b.id.includes('svtav1')).map((b) => Math.abs(b.bias));
    lines.push(
      `| ${stride} | ${weighted ? 'weighted (ours)' : 'alike (libvmaf)'} | ${round(Math.max(...abs))} | ${round(abs.reduce((s, x) => s + x, 0) / abs.length)} | ${round(Math.max(...svt))} | ${abs.filter((x) => x > 0.3).length} of ${abs.length} |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);

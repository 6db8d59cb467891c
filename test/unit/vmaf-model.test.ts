import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseVmafModel, predictVmaf } from '../../server/src/vmaf/model';
import { chooseModel, loadModel } from '../../server/src/vmaf/models';
import type { VmafFeatures } from '../../server/src/vmaf/types';
import { loadReferenceCorpus } from '../helpers/vmaf-reference';

const NAMES = [
  'VMAF_integer_feature_adm2_score',
  'VMAF_integer_feature_motion2_score',
  'VMAF_integer_feature_vif_scale0_score',
  'VMAF_integer_feature_vif_scale1_score',
  'VMAF_integer_feature_vif_scale2_score',
  'VMAF_integer_feature_vif_scale3_score',
];

function tinyModel(clip?: [number, number]) {
  return parseVmafModel(
    {
      model_dict: {
        model_type: 'LIBSVMNUSVR',
        norm_type: 'linear_rescale',
        feature_names: NAMES,
        slopes: [2, 1, 1, 1, 1, 1, 1],
        intercepts: [-1, 0, 0, 0, 0, 0, 0],
        ...(clip ? { score_clip: clip } : {}),
        model:
          'svm_type nu_svr\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho 0.25\nSV\n1 1:0 2:0 3:0 4:0 5:0 6:0 \n-0.5 1:0.5 2:0.5 3:0.5 4:0.5 5:0.5 6:0.5 \n',
      },
    },
    'tiny',
  );
}

const zero: VmafFeatures = {
  integer_adm2: 0,
  integer_motion2: 0,
  integer_vif_scale0: 0,
  integer_vif_scale1: 0,
  integer_vif_scale2: 0,
  integer_vif_scale3: 0,
};

describe('vmaf model evaluation', () => {
  it('evaluates normalisation, RBF support-vector regression and denormalisation by hand', () => {
    // x = 0: kernels exp(0) = 1 and exp(-0.5 * 6 * 0.25) = exp(-0.75)
    const expected = (1 - 0.5 * Math.exp(-0.75) - 0.25 + 1) / 2;
    assert.ok(Math.abs(predictVmaf(tinyModel(), zero) - expected) < 1e-12);
    // x = 0.5 everywhere: kernels exp(-0.5 * 6 * 0.25) and 1
    const half: VmafFeatures = {
      integer_adm2: 0.5,
      integer_motion2: 0.5,
      integer_vif_scale0: 0.5,
      integer_vif_scale1: 0.5,
      integer_vif_scale2: 0.5,
      integer_vif_scale3: 0.5,
    };
    const expectedHalf = (Math.exp(-0.75) - 0.5 - 0.25 + 1) / 2;
    assert.ok(Math.abs(predictVmaf(tinyModel(), half) - expectedHalf) < 1e-12);
  });

  it('clips to the model score range', () => {
    assert.equal(predictVmaf(tinyModel([0, 0.5]), zero), 0.5);
  });

  it('the bundled v0.6.1 model reproduces libvmaf scores from libvmaf features', () => {
    const model = loadModel({ kind: 'builtin', name: 'v0.6.1' });
    // Frame 0 of tsrc2_240p__x264_crf30 in the shared reference (features printed with 6 decimals).
    const features: VmafFeatures = {
      integer_adm2: 0.985742,
      integer_motion2: 0,
      integer_vif_scale0: 0.76151,
      integer_vif_scale1: 0.945307,
      integer_vif_scale2: 0.966734,
      integer_vif_scale3: 0.976445,
    };
    // libvmaf 3.2.0's score for that frame (vmaf_reference.json, case tsrc2_240p__x264_crf30, per_frame.vmaf[0]).
    const expected = 90.770936;
    const corpus = loadReferenceCorpus();
    if (corpus) assert.equal(corpus.cases.find((c) => c.id === 'tsrc2_240p__x264_crf30')?.vmaf.per_frame.vmaf[0], expected);
    const score = predictVmaf(model, features);
    assert.ok(Math.abs(score - expected) < 1e-3, `${score} vs ${expected}`);
  });

  it('picks the 4K model above 2560x1440 like ab-av1, names and paths otherwise', () => {
    assert.deepEqual(chooseModel(undefined, 3840, 2160), { kind: 'builtin', name: '4k' });
    assert.deepEqual(chooseModel(undefined, 2560, 1440), { kind: 'builtin', name: 'v0.6.1' });
    assert.deepEqual(chooseModel(undefined, 3840, 1440), { kind: 'builtin', name: 'v0.6.1' });
    assert.deepEqual(chooseModel('4k', 640, 360), { kind: 'builtin', name: '4k' });
    assert.deepEqual(chooseModel('/m/x.json', 640, 360), { kind: 'file', path: '/m/x.json' });
    assert.ok(loadModel({ kind: 'builtin', name: '4k' }).coefficients.length > 0);
  });

  it('rejects models it cannot evaluate with the reason', () => {
    assert.throws(() => parseVmafModel({ model_dict: { model_type: 'BOOTSTRAP' } }, 'bad.json'), /bad.json: not a supported VMAF model/);
    // libvmaf's NEG model: the same SVR, but features computed with enhancement gain limits.
    const neg = JSON.parse(readFileSync(path.join(__dirname, '../../server/vmaf-model/vmaf_v0.6.1neg.json'), 'utf8')) as unknown;
    assert.throws(
      () => parseVmafModel(neg, 'neg.json'),
      /neg\.json: the built-in engine does not implement the model's feature options \(adm_enhn_gain_limit, vif_enhn_gain_limit\)/,
    );
  });
});

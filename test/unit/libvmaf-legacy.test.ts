import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { libvmafApiOf } from '../../server/src/sys/tools';
import { parseLibvmafLog } from '../../server/src/vmaf/libvmaf';
import { libvmafArgs } from '../../server/src/vmaf/libvmaf-args';
import { legacyModelFiles, legacyModelPath } from '../../server/src/vmaf/libvmaf-legacy-model';
import { readModelJson } from '../../server/src/vmaf/models';

/** libvmaf 1.x support, pure parts: the filter generation, the .pkl model pair, the log's names. */

const V1_HELP = `Filter libvmaf
libvmaf AVOptions:
  model_path        <string>     ..FV..... Set the model to be used for computing vmaf.
  log_path          <string>     ..FV..... Set the file path to be used to store logs.
  n_subsample       <int>        ..FV..... Set interval for frame subsampling used when computing vmaf.`;
const V2_HELP = `Filter libvmaf
libvmaf AVOptions:
  model_path        <string>     ..FV....... use model='path=...'. (default "/usr/local/share/model/vmaf_v0.6.1.json")
  model             <string>     ..FV....... Set the model to be used for computing vmaf. (default "version=vmaf_v0.6.1")
  n_subsample       <int>        ..FV....... Set interval for frame subsampling used when computing vmaf.`;

describe('libvmaf 1.x support', () => {
  it('tells the filter generations apart by their model option', () => {
    assert.equal(libvmafApiOf(V1_HELP), 'v1');
    // ffmpeg 5.x keeps a deprecated model_path beside the new model option.
    assert.equal(libvmafApiOf(V2_HELP), 'v2');
    assert.equal(libvmafApiOf(''), 'v2');
  });

  it('writes the v0.6.1 model as a protocol-0 pickle with the float feature names, and its libsvm text unchanged', () => {
    const json = readModelJson({ kind: 'builtin', name: 'v0.6.1' }) as { model_dict: { model: string; slopes: number[] } };
    const { pickle, libsvm } = legacyModelFiles(json, 'vmaf v0.6.1');
    assert.equal(libsvm, json.model_dict.model);
    assert.ok(pickle.startsWith("(dS'model_dict'\n(d"), pickle.slice(0, 40));
    assert.ok(pickle.endsWith('ss.'), 'closes the inner and the outer dict, then stops');
    assert.match(pickle, /S'feature_names'\n\(lS'VMAF_feature_adm2_score'\naS'VMAF_feature_motion2_score'\na/);
    assert.doesNotMatch(pickle, /integer/);
    assert.match(pickle, new RegExp(`S'slopes'\\n\\(lF${json.model_dict.slopes[0]}\\na`));
    // Whole numbers keep a decimal point: the pickle reader needs F0.0, not F0.
    assert.match(pickle, /S'score_clip'\n\(lF0\.0\naF100\.0\na/);
    // No line may hold two opcodes' worth of text (the reader rejects a stray newline as a token).
    assert.doesNotMatch(pickle, /\n\n/);
  });

  it('refuses models libvmaf 1.x cannot evaluate, naming why', () => {
    const json = readModelJson({ kind: 'builtin', name: 'v0.6.1' }) as { model_dict: Record<string, unknown> };
    const withOptions = { model_dict: { ...json.model_dict, feature_opts_dicts: [{ adm_enhn_gain_limit: 1 }] } };
    assert.throws(() => legacyModelFiles(withOptions, 'neg.json'), /neg\.json: .*feature options \(adm_enhn_gain_limit\)/);
    const emptyOptions = { model_dict: { ...json.model_dict, feature_opts_dicts: [{}, {}] } };
    assert.doesNotThrow(() => legacyModelFiles(emptyOptions, 'plain.json'));
    const otherFeature = { model_dict: { ...json.model_dict, feature_names: ['VMAF_integer_feature_vif_scale0_egl_1_score'] } };
    assert.throws(
      () => legacyModelFiles(otherFeature, 'egl.json'),
      /egl\.json: .*does not compute feature "VMAF_integer_feature_vif_scale0_egl_1_score"/,
    );
    assert.throws(() => legacyModelFiles({ model_dict: { model_type: 'BOOTSTRAP_LIBSVMNUSVR' } }, 'b.json'), /b\.json: .*LIBSVMNUSVR/);
  });

  it('writes the pair once into its cache, under a name that follows the model', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'chunked-av1-legacy-model-'));
    try {
      const json = readModelJson({ kind: 'builtin', name: 'v0.6.1' });
      const first = await legacyModelPath(json, 'v0.6.1', root);
      assert.equal(await legacyModelPath(json, 'v0.6.1', root), first);
      assert.equal(readFileSync(first, 'utf8'), legacyModelFiles(json, 'v0.6.1').pickle);
      assert.equal(readFileSync(`${first}.model`, 'utf8'), legacyModelFiles(json, 'v0.6.1').libsvm);
      const other = await legacyModelPath(readModelJson({ kind: 'builtin', name: '4k' }), '4k', root);
      assert.notEqual(path.dirname(other), path.dirname(first));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('passes a .pkl model as model_path, escaped for the filter graph', () => {
    const args = libvmafArgs({
      reference: 'r.mkv',
      distorted: 'd.mkv',
      model: { kind: 'legacy-pickle', path: "/tmp/it's:a,b/model.pkl" },
      subsample: 8,
      threads: 2,
      logPath: '/tmp/log.json',
    });
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    assert.match(graph, /libvmaf=model_path=\/tmp\/it\\\\\\'s\\\\:a\\,b\/model\.pkl:n_subsample=8:n_threads=2:log_fmt=json:/);
    assert.doesNotMatch(graph, /model=/);
  });

  it('reads the float feature names of a libvmaf 1.x log into the same fields', () => {
    const log = JSON.stringify({
      version: '1.3.7',
      frames: [
        {
          frameNum: 8,
          metrics: { adm2: 0.97, motion2: 3.5, vif_scale0: 0.67, vif_scale1: 0.88, vif_scale2: 0.92, vif_scale3: 0.94, vmaf: 87.5 },
        },
      ],
    });
    const [frame] = parseLibvmafLog(log, 'v1');
    assert.deepEqual(frame, {
      index: 8,
      vmaf: 87.5,
      features: {
        integer_adm2: 0.97,
        integer_motion2: 3.5,
        integer_vif_scale0: 0.67,
        integer_vif_scale1: 0.88,
        integer_vif_scale2: 0.92,
        integer_vif_scale3: 0.94,
      },
    });
    assert.throws(() => parseLibvmafLog(log, 'v2'), /no "integer_adm2"/);
  });
});

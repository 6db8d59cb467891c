import assert from 'node:assert/strict';
import { z } from 'zod';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { parseEncodeOptions } from '../../common/options';
import { OPTION_CATALOGUE, PRESET_KEYS, defaultOf } from '../../common/option-catalogue';
import {
  BUILT_IN_PRESETS,
  DEFAULT_SETTINGS,
  HOST_ENTRY_PATTERN,
  parseSettings,
  presetSchema,
  settingSchemas,
  toEncodeOptions,
} from '../../common/settings';
import { parseHostSpec } from '../../server/src/hosts/host-spec';
import { SETTING_CHECKS } from '../../server/src/lsp/setting-checks';
import { settingsDiagnostics } from '../../server/src/lsp/settings-diagnostics';
import { readPackageJson, type JsonSchema } from '../helpers/package-json';

const pkg = readPackageJson();
const contributed = pkg.contributes.configuration.properties;

/** The parts of a JSON schema both sides must agree on. */
function essentials(schema: JsonSchema | undefined) {
  const type = schema?.type === 'integer' ? 'integer' : schema?.type;
  return {
    type,
    minimum: schema?.minimum,
    maximum: schema?.maximum,
    enum: schema?.enum,
  };
}

describe('settings schema (zod) and contributed configuration (package.json)', () => {
  it('links other settings as "Chunked AV1: Label", never by the #key# form VS Code renders as "Chunked Av1:"', () => {
    // VS Code makes a #key# link's text from the key's prefix, chunkedAv1 → "Chunked Av1", so links are written out.
    assert.equal(pkg.contributes.configuration.title, 'Chunked AV1');
    for (const [key, schema] of Object.entries(contributed)) {
      const text = JSON.stringify(schema);
      assert.doesNotMatch(text, /#chunkedAv1\.\w+#/, `${key}: a #key# link`);
      for (const [, label, target] of text.matchAll(/\[Chunked AV1: ([^\]]+)\]\(#(chunkedAv1\.\w+) /g)) {
        assert.ok(target! in contributed, `${key} links to ${target}, which exists`);
        assert.ok(label!.replace(/ /g, '').toLowerCase() === target!.split('.')[1]!.toLowerCase(), `${key}: "${label}" names ${target}`);
      }
    }
  });

  it('declares exactly the same setting keys', () => {
    assert.deepEqual(
      Object.keys(contributed).sort(),
      Object.keys(settingSchemas)
        .map((k) => `chunkedAv1.${k}`)
        .sort(),
    );
  });

  it('agrees on type, range and enum of every scalar setting', () => {
    for (const [key, schema] of Object.entries(settingSchemas)) {
      if (key === 'presets') continue;
      const fromZod = z.toJSONSchema(schema as z.ZodType) as JsonSchema;
      assert.deepEqual(essentials(contributed[`chunkedAv1.${key}`]), essentials(fromZod), key);
      if (fromZod.pattern) assert.equal(contributed[`chunkedAv1.${key}`]?.pattern, fromZod.pattern, key);
    }
  });

  it("offers --split and --crop as settings with the catalogue's defaults, and as preset keys", () => {
    for (const key of ['split', 'crop'] as const) {
      assert.equal(contributed[`chunkedAv1.${key}`]?.default, defaultOf(OPTION_CATALOGUE[key].schema), key);
      assert.equal(DEFAULT_SETTINGS[key], defaultOf(OPTION_CATALOGUE[key].schema), key);
      assert.ok((PRESET_KEYS as string[]).includes(key), `${key} is a preset key`);
    }
    assert.equal(DEFAULT_SETTINGS.split, 'scene', 'scene-aware split is the default');
    assert.equal(DEFAULT_SETTINGS.crop, 'auto', 'automatic crop is the default');
  });

  it('agrees on every preset property, and both refuse unknown preset keys', () => {
    const fromZod = z.toJSONSchema(presetSchema, { io: 'input' }) as JsonSchema;
    const json = contributed['chunkedAv1.presets']?.additionalProperties as JsonSchema;
    assert.equal(json.additionalProperties, false);
    assert.equal(fromZod.additionalProperties, false);
    assert.deepEqual(Object.keys(json.properties ?? {}).sort(), Object.keys(fromZod.properties ?? {}).sort());
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const zodProperty = fromZod.properties?.[name];
      assert.deepEqual(essentials(property), essentials(zodProperty), name);
      if (zodProperty?.pattern) assert.equal(property.pattern, zodProperty.pattern, name);
    }
  });

  it('ships the built-in presets as the default value, and the default preset exists', () => {
    assert.deepEqual(contributed['chunkedAv1.presets']?.default, BUILT_IN_PRESETS);
    assert.equal(contributed['chunkedAv1.defaultPreset']?.default, DEFAULT_SETTINGS.defaultPreset);
    assert.ok(DEFAULT_SETTINGS.defaultPreset in BUILT_IN_PRESETS);
    assert.equal(contributed['chunkedAv1.outputPath']?.default, DEFAULT_SETTINGS.outputPath);
  });

  it('keeps every program path machine-overridable and restricted in untrusted workspaces', () => {
    for (const key of ['chunkedAv1.ffmpegPath', 'chunkedAv1.ffprobePath', 'chunkedAv1.vmafFfmpegPath']) {
      assert.equal(contributed[key]?.scope, 'machine-overridable');
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key));
    }
  });

  it('restricts where outputs and work directories go in untrusted workspaces', () => {
    for (const key of ['chunkedAv1.outputPath', 'chunkedAv1.workDirectory']) {
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
    }
  });
});

describe('chunkedAv1.hosts', () => {
  it('is machine-scoped, restricted in untrusted workspaces, and has the same entry pattern as the zod schema', () => {
    for (const key of ['chunkedAv1.hosts', 'chunkedAv1.hostsStrict']) {
      assert.equal(contributed[key]?.scope, 'machine', key);
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
    }
    assert.equal(new RegExp(contributed['chunkedAv1.hosts']?.items?.pattern ?? '').source, HOST_ENTRY_PATTERN.source);
  });

  it("accepts by pattern no entry the CLI's parser refuses (hostile strings included)", () => {
    const entries = [
      ':',
      '4/:',
      'box',
      'enc@10.0.0.2:2222',
      '2/render-1.lan',
      'a_b',
      '-oProxyCommand=x',
      'host;rm',
      'a b',
      'x@',
      '@h',
      'h:',
      'h:99999',
      'é.lan',
      'h$x',
      '.',
    ];
    for (const entry of entries) {
      let cli = true;
      try {
        parseHostSpec(entry);
      } catch {
        cli = false;
      }
      if (HOST_ENTRY_PATTERN.test(entry)) assert.ok(cli || /:\d{5}$/.test(entry), `pattern accepts "${entry}" but the CLI refuses it`);
      if (!HOST_ENTRY_PATTERN.test(entry)) assert.equal(cli, false, `pattern refuses "${entry}" but the CLI accepts it`);
    }
  });

  it("reports a bad host list once, with the CLI parser's line, and runs on this machine only", () => {
    const duplicate = parseSettings({ hosts: ['box', '2/box'] }, SETTING_CHECKS);
    assert.deepEqual(
      duplicate.problems.map((p) => p.message),
      ['chunkedAv1.hosts: host "2/box": is listed twice'],
    );
    assert.deepEqual(duplicate.settings.hosts, []);
    const port = parseSettings({ hosts: ['box:70000'] }, SETTING_CHECKS);
    assert.equal(port.problems.length, 1);
    assert.match(port.problems[0]!.message, /port outside 1-65535/);
    const hostile = parseSettings({ hosts: ['-oProxyCommand=touch x'] }, SETTING_CHECKS);
    assert.equal(hostile.problems.length, 1, 'one problem, from the pattern');
    assert.deepEqual(hostile.settings.hosts, []);
  });

  it('passes hosts and hostsStrict to the encode options, and nothing when empty', () => {
    const { settings } = parseSettings({ hosts: [':', '2/enc@box:2222'], hostsStrict: true }, SETTING_CHECKS);
    const options = parseEncodeOptions(toEncodeOptions('/v/a.mkv', DEFAULT_SETTINGS.defaultPreset, settings));
    assert.deepEqual([options.hosts, options.hostsStrict], [[':', '2/enc@box:2222'], true]);
    assert.equal(parseEncodeOptions(toEncodeOptions('/v/a.mkv', DEFAULT_SETTINGS.defaultPreset, DEFAULT_SETTINGS)).hosts, undefined);
  });
});

describe('settings → encode options', () => {
  it('passes the program paths through, the VMAF ffmpeg included', () => {
    const options = parseEncodeOptions(
      toEncodeOptions('/v/a.mkv', DEFAULT_SETTINGS.defaultPreset, {
        ...DEFAULT_SETTINGS,
        ffmpegPath: '/opt/ff/ffmpeg',
        vmafFfmpegPath: '/opt/vmaf ff/ffmpeg',
      }),
    );
    assert.deepEqual([options.ffmpeg, options.ffprobe, options.vmafFfmpeg], ['/opt/ff/ffmpeg', undefined, '/opt/vmaf ff/ffmpeg']);
    assert.equal(parseEncodeOptions(toEncodeOptions('/v/a.mkv', DEFAULT_SETTINGS.defaultPreset, DEFAULT_SETTINGS)).vmafFfmpeg, undefined);
  });

  it('turns every built-in preset into valid pipeline options', () => {
    for (const name of Object.keys(BUILT_IN_PRESETS)) {
      const options = parseEncodeOptions(toEncodeOptions('/videos/my clip $1.mkv', name, DEFAULT_SETTINGS));
      assert.equal(options.output, '/videos/my clip $1.av1.mkv');
      assert.equal(options.input, '/videos/my clip $1.mkv');
    }
  });

  it("passes the split and crop settings through, and a preset's own split and crop win", () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      split: 'keyframe' as const,
      crop: 'none',
      presets: { plain: { crf: 30 }, film: { crf: 30, split: 'scene' as const, crop: '1920:800:0:140' } },
    };
    const plain = parseEncodeOptions(toEncodeOptions('/v/a.mkv', 'plain', settings));
    assert.deepEqual([plain.split, plain.crop], ['keyframe', 'none']);
    const film = parseEncodeOptions(toEncodeOptions('/v/a.mkv', 'film', settings));
    assert.deepEqual([film.split, film.crop], ['scene', '1920:800:0:140']);
    const byDefault = parseEncodeOptions(toEncodeOptions('/v/a.mkv', 'plain', { ...DEFAULT_SETTINGS, presets: settings.presets }));
    assert.deepEqual([byDefault.split, byDefault.crop], ['scene', 'auto']);
    assert.equal(parseSettings({ crop: '1920x800' }).problems[0]?.path[0], 'chunkedAv1.crop', 'a bad crop setting is reported');
  });

  it("passes a preset's probe preset through, and defaults to probing at the encode preset", () => {
    const settings = { ...DEFAULT_SETTINGS, presets: { quick: { targetVmaf: 93, preset: 8, probePreset: 12 }, exact: { targetVmaf: 93 } } };
    assert.equal(parseEncodeOptions(toEncodeOptions('/v/a.mkv', 'quick', settings)).probePreset, 12);
    assert.equal(parseEncodeOptions(toEncodeOptions('/v/a.mkv', 'exact', settings)).probePreset, 'same');
    assert.equal(presetSchema.safeParse({ probePreset: 'fast' }).success, false);
  });

  it('expands outputPath and workDirectory patterns and refuses unknown variables', () => {
    const settings = { ...DEFAULT_SETTINGS, outputPath: '${fileDirname}/out/${fileBasenameNoExtension}.webm', workDirectory: '/tmp/work' };
    const options = toEncodeOptions("/v/it's.mp4", 'fast', settings);
    assert.equal(options.output, "/v/out/it's.webm");
    assert.equal(options.workDir, "/tmp/work/it's.mp4.chunked-av1");
    assert.throws(() => toEncodeOptions('/v/a.mkv', 'fast', { ...settings, outputPath: '${home}/a.mkv' }), /unknown variable \$\{home\}/);
  });

  it('drops an invalid preset and reports the path of the bad key; keeps the valid ones', () => {
    const { settings, problems } = parseSettings({
      presets: { good: { crf: 30 }, bad: { crf: 30, svtParams: 'tune=0:lp=2 -i /etc/passwd' }, typo: { crff: 3 } },
    });
    assert.deepEqual(Object.keys(settings.presets), ['good']);
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        ['chunkedAv1.presets', 'bad', 'svtParams'],
        ['chunkedAv1.presets', 'typo', 'crff'],
      ],
    );
    assert.match(problems[0]!.message, /preset "bad"\.svtParams/);
  });

  it('refuses unknown SVT-AV1 keys so settings cannot smuggle options', () => {
    const { problems } = parseSettings({ presets: { p: { svtParams: 'enable-overlays=1:rc=1' } } });
    assert.match(problems[0]!.message, /unknown SVT-AV1 parameter "rc"/);
  });
});

describe('settings.json diagnostics', () => {
  it('puts the squiggle on the offending key, in JSONC with comments', () => {
    const text = [
      '{',
      '  // my presets',
      '  "editor.tabSize": 2,',
      '  "chunkedAv1.presets": {',
      '    "tiny": { "crf": 40, "svtParams": "bogus=1", },',
      '  },',
      '  "chunkedAv1.workers": -3',
      '}',
    ].join('\n');
    const diagnostics = settingsDiagnostics(TextDocument.create('file:///w/.vscode/settings.json', 'jsonc', 1, text));
    assert.equal(diagnostics.length, 2);
    const [svt, workers] = diagnostics as [Diagnostic, Diagnostic];
    assert.equal(svt.range.start.line, 4);
    assert.equal(text.split('\n')[4]!.slice(svt.range.start.character, svt.range.end.character), '"svtParams"');
    assert.match(svt.message as string, /unknown SVT-AV1 parameter "bogus"/);
    assert.equal(workers.range.start.line, 6);
    assert.equal(text.split('\n')[6]!.slice(workers.range.start.character, workers.range.end.character), '"chunkedAv1.workers"');
  });

  it("reports each problem once: in an open settings.json, leaves to VS Code's JSON validation what the contributed schema also refuses", () => {
    const text =
      '{ "chunkedAv1.presets": { "t": { "crf": 40, "svtParams": "bogus=1", "extra": 1 } }, "chunkedAv1.workers": -3, "chunkedAv1.hosts": ["box", "box"] }';
    const document = TextDocument.create('file:///w/.vscode/settings.json', 'jsonc', 1, text);
    const closed = settingsDiagnostics(document).map((d) => d.message as string);
    assert.equal(closed.length, 4, closed.join('\n'));
    const open = settingsDiagnostics(document, { openInEditor: true }).map((d) => d.message as string);
    assert.equal(open.length, 2, open.join('\n'));
    assert.match(open[0]!, /unknown SVT-AV1 parameter "bogus"/, 'no JSON schema says which SVT-AV1 keys exist');
    assert.match(open[1]!, /is listed twice/, 'nor that a host is listed twice');
    assert.equal(new Set(closed).size, closed.length, 'no message twice');
  });

  it('is silent for valid settings', () => {
    const text = '{ "chunkedAv1.presets": { "x": { "targetVmaf": 94, "preset": 6 } }, "chunkedAv1.defaultPreset": "x" }';
    assert.deepEqual(settingsDiagnostics(TextDocument.create('file:///w/.vscode/settings.json', 'jsonc', 1, text)), []);
  });
});

import assert from 'node:assert/strict';
import type { IGrammar } from 'vscode-textmate';
import { readPackageJson } from '../helpers/package-json';
import { loadGrammar, scopes } from '../helpers/textmate';
import { fileEntries, quoteConcatPath, tokenizeLine } from '../../server/src/lsp/ffconcat';

const pkg = readPackageJson();

describe('ffconcat TextMate grammar (syntaxes/)', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadGrammar('source.ffconcat');
  });

  it('is contributed for segment_list.txt and *.ffconcat', () => {
    const language = pkg.contributes.languages.find((l) => l.id === 'ffconcat');
    assert.deepEqual(language?.filenames, ['segment_list.txt']);
    assert.deepEqual(language?.extensions, ['.ffconcat']);
  });

  it('colours the header, directives, numbers and comments', () => {
    assert.deepEqual(scopes(grammar, 'ffconcat version 1.0'), [
      'ffconcat: keyword.control.header.ffconcat',
      ' : source.ffconcat',
      'version: keyword.other.version.ffconcat',
      ' : source.ffconcat',
      '1.0: constant.numeric.version.ffconcat',
    ]);
    assert.deepEqual(scopes(grammar, '# made by chunked-av1'), [
      '#: punctuation.definition.comment.ffconcat',
      ' made by chunked-av1: comment.line.number-sign.ffconcat',
    ]);
    for (const directive of ['file', 'duration', 'inpoint', 'outpoint', 'file_packet_metadata', 'option', 'stream', 'exact_stream_id']) {
      assert.equal(scopes(grammar, `${directive} x`)[0], `${directive}: keyword.other.directive.ffconcat`);
    }
    assert.ok(scopes(grammar, 'duration 2.5').includes('2.5: constant.numeric.ffconcat'));
  });

  it('colours quoted strings with the escapes ffmpeg writes for quotes', () => {
    const line = "file 'it'\\''s $1; é.mkv'";
    const tokens = scopes(grammar, line);
    assert.ok(tokens.includes('it: string.quoted.single.ffconcat'));
    assert.ok(tokens.includes("\\': constant.character.escape.ffconcat"));
    assert.ok(tokens.includes('s $1; é.mkv: string.quoted.single.ffconcat'));
  });
});

describe('ffconcat reader (server)', () => {
  it('unescapes paths the way the concat demuxer does, and round-trips quoteConcatPath', () => {
    for (const name of ['plain.mkv', "it's.mkv", 'a b $c; d.mkv', "naïve 'x' \\y.mkv"]) {
      const [, arg] = tokenizeLine(`file ${quoteConcatPath(name)}`);
      assert.equal(arg!.value, name);
    }
    assert.equal(tokenizeLine('file a\\ b.mkv # note')[1]!.value, 'a b.mkv');
  });

  it('lists file lines with their line numbers and segment order, skipping comments and options', () => {
    const text = [
      'ffconcat version 1.0',
      '# comment',
      "file 'encoded/00000.mkv'",
      'duration 2',
      '',
      "file 'encoded/00001.mkv'",
      'inpoint 0.5',
    ].join('\n');
    assert.deepEqual(
      fileEntries(text).map((e) => [e.line, e.path, e.ordinal]),
      [
        [2, 'encoded/00000.mkv', 0],
        [5, 'encoded/00001.mkv', 1],
      ],
    );
  });
});

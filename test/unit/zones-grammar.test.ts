import assert from 'node:assert/strict';
import { readPackageJson } from '../helpers/package-json';
import { loadGrammar, scopes } from '../helpers/textmate';

const pkg = readPackageJson();

describe('zones TextMate grammar (syntaxes/)', () => {
  it('is contributed for *.zones', () => {
    const language = pkg.contributes.languages.find((l) => l.id === 'chunked-av1-zones');
    assert.deepEqual(language?.extensions, ['.zones']);
  });

  it('scopes a range, its overrides and a comment', async () => {
    const grammar = await loadGrammar('source.chunked-av1-zones');
    assert.deepEqual(scopes(grammar, '1200-end crf=30 # dark'), [
      '1200: constant.numeric.range.start.chunked-av1-zones',
      '-: punctuation.separator.range.chunked-av1-zones',
      'end: constant.numeric.range.end.chunked-av1-zones',
      ' : source.chunked-av1-zones',
      'crf: variable.other.key.chunked-av1-zones',
      '=: keyword.operator.assignment.chunked-av1-zones',
      '30: constant.other.value.chunked-av1-zones',
      ' : source.chunked-av1-zones',
      '#: punctuation.definition.comment.chunked-av1-zones',
      ' dark: comment.line.number-sign.chunked-av1-zones',
    ]);
    assert.deepEqual(scopes(grammar, 'chapter "End Credits"').slice(0, 1), ['chapter: keyword.other.range.chunked-av1-zones']);
  });
});

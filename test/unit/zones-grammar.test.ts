import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { readPackageJson } from '../helpers/package-json';

const pkg = readPackageJson();

async function loadGrammar(): Promise<IGrammar> {
  const wasm = readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: (scope) => {
      const contribution = pkg.contributes.grammars.find((g) => g.scopeName === scope);
      return Promise.resolve(contribution ? parseRawGrammar(readFileSync(contribution.path, 'utf8'), contribution.path) : null);
    },
  });
  return (await registry.loadGrammar('source.chunked-av1-zones'))!;
}

/** The innermost scope of each token of one line, as `text: scope`. */
function scopes(grammar: IGrammar, line: string): string[] {
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  return tokens.map((t) => `${line.slice(t.startIndex, t.endIndex)}: ${t.scopes[t.scopes.length - 1]}`);
}

describe('zones TextMate grammar (syntaxes/)', () => {
  it('is contributed for *.zones', () => {
    const language = pkg.contributes.languages.find((l) => l.id === 'chunked-av1-zones');
    assert.deepEqual(language?.extensions, ['.zones']);
  });

  it('scopes a range, its overrides and a comment', async () => {
    const grammar = await loadGrammar();
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

import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { readPackageJson } from './package-json';

/**
 * One of the extension's TextMate grammars (package.json `contributes.grammars`, files in
 * syntaxes/), loaded by the same engine VS Code uses (vscode-textmate on vscode-oniguruma).
 */
export async function loadGrammar(scopeName: string): Promise<IGrammar> {
  const pkg = readPackageJson();
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
  return (await registry.loadGrammar(scopeName))!;
}

/** The innermost scope of each token of one line, as `text: scope`. */
export function scopes(grammar: IGrammar, line: string): string[] {
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  return tokens.map((t) => `${line.slice(t.startIndex, t.endIndex)}: ${t.scopes[t.scopes.length - 1]}`);
}

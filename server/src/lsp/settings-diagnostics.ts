/**
 * Squiggles in `.vscode/settings.json` for invalid `chunkedAv1.*` values: the text is parsed as JSONC
 * (comments and trailing commas allowed, as VS Code does), each `chunkedAv1.*` value is validated
 * with the same zod schemas the server uses to run jobs, and each problem lands on the offending key.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSettings } from '../../../common/settings';
import { SETTING_CHECKS } from './setting-checks';

export const SETTINGS_SOURCE = 'chunked-av1 settings';

/**
 * `openInEditor`: VS Code's JSON language validates an open settings.json against the contributed
 * schema (package.json) and reports types, ranges, enums, patterns and unknown keys itself; a
 * second squiggle from us would show each such problem twice in the Problems panel. We then report
 * only what that schema cannot say (cross-field rules, SVT-AV1 keys, a missing default preset, the
 * host list as the CLI parses it). A closed file has no JSON validation, so we report everything.
 */
export function settingsDiagnostics(document: TextDocument, { openInEditor = false } = {}): Diagnostic[] {
  const root = parseTree(document.getText(), [], { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return [];
  const section: Record<string, unknown> = {};
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    const key: unknown = keyNode?.value;
    if (typeof key !== 'string' || !key.startsWith('chunkedAv1.') || !valueNode) continue;
    section[key.slice('chunkedAv1.'.length)] = nodeValue(valueNode);
  }
  const { problems } = parseSettings(section, SETTING_CHECKS);
  return problems
    .filter((problem) => !(openInEditor && problem.inJsonSchema))
    .map((problem) => {
      const node = closestNode(root, problem.path);
      const target = node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
      return {
        severity: DiagnosticSeverity.Warning,
        range: { start: document.positionAt(target.offset), end: document.positionAt(target.offset + target.length) },
        message: problem.message,
        source: SETTINGS_SOURCE,
      };
    });
}

/** The deepest node that exists along the path (a missing key reports on its parent object). */
function closestNode(root: Node, jsonPath: (string | number)[]): Node {
  for (let depth = jsonPath.length; depth > 0; depth -= 1) {
    const node = findNodeAtLocation(root, jsonPath.slice(0, depth));
    if (node) return node;
  }
  return root;
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(
        (node.children ?? []).flatMap((p) => {
          const [k, v] = p.children ?? [];
          return k && v ? [[String(k.value), nodeValue(v)]] : [];
        }),
      );
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

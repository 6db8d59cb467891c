import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The JSON-schema fields of a contributed setting that the tests compare with the zod schemas. */
export interface JsonSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  pattern?: string;
  default?: unknown;
  scope?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
}

/** The parts of the extension manifest (package.json) the tests read. */
export interface PackageJson {
  icon: string;
  scripts: { package: string };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string }[];
    configuration: { title: string; properties: Record<string, JsonSchema> };
    grammars: { scopeName: string; path: string }[];
    languages: { id: string; filenames?: string[]; extensions?: string[] }[];
    viewsContainers: { activitybar: { icon: string }[] };
    walkthroughs: { steps: { media: { markdown?: string; image?: string } }[] }[];
  };
}

/** The repository's package.json (read from `root`, the current directory by default). */
export function readPackageJson(root = '.'): PackageJson {
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
}

import { UsageError } from '../errors';

// Placeholder until the clean command lands; replaced by its owner.
export async function runCleanCommand(_argv: string[]): Promise<number> {
  throw new UsageError('the "clean" command is not available in this build yet');
}

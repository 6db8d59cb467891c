import { UsageError } from '../errors';

// Placeholder until the status command lands; replaced by its owner.
export async function runStatusCommand(_argv: string[]): Promise<number> {
  throw new UsageError('the "status" command is not available in this build yet');
}

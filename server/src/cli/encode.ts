import { UsageError } from '../errors';

// Placeholder until the encode command lands; replaced by its owner.
export async function runEncodeCommand(_argv: string[]): Promise<number> {
  throw new UsageError('the "encode" command is not available in this build yet');
}

import { UsageError } from '../errors';

// Placeholder until the probe command lands; replaced by its owner.
export async function runProbeCommand(_argv: string[]): Promise<number> {
  throw new UsageError('the "probe" command is not available in this build yet');
}

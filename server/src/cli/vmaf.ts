import { UsageError } from '../errors';

// Placeholder until the vmaf command lands; replaced by its owner.
export async function runVmafCommand(_argv: string[]): Promise<number> {
  throw new UsageError('the "vmaf" command is not available in this build yet');
}

import path from 'node:path';

/** Whether FILE lies inside DIR (both resolved), at any depth. */
export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}

/**
 * A source's display matrix (MP4/MOV `tkhd` matrix, exported by ffprobe as "Display Matrix" side
 * data with its `rotation`, counter-clockwise degrees). Pure.
 *
 * Chosen: the rotation is applied on purpose, as ffmpeg does by default when it transcodes, and
 * the output holds the upright picture with no matrix. A matrix cannot be carried: the segment
 * copies are Matroska, which ffmpeg 5.1 writes without one, and so is the output when it is .mkv.
 * Everything downstream (crop detection, --crop, validation, the encode) then works in the
 * coordinates of the upright picture, which is what is encoded.
 */

/** The clockwise turn that makes the coded picture upright: 0, 90, 180 or 270 degrees. */
export type DisplayTurn = 0 | 90 | 180 | 270;

/** From ffprobe's side data list; a matrix that is not a right-angle turn (or a flip) is ignored, as ffmpeg 5.1 does. */
export function displayTurn(sideData: readonly Record<string, unknown>[] | undefined): DisplayTurn {
  const matrix = sideData?.find((s) => s.side_data_type === 'Display Matrix');
  const rotation = Number(matrix?.rotation);
  if (!Number.isFinite(rotation)) return 0;
  const turn = ((-Math.round(rotation) % 360) + 360) % 360;
  return turn === 90 || turn === 180 || turn === 270 ? turn : 0;
}

/** The filters that turn the coded picture upright (ffmpeg's own autorotate choice). */
export function turnFilters(turn: DisplayTurn): string[] {
  if (turn === 90) return ['transpose=clock'];
  if (turn === 180) return ['hflip', 'vflip'];
  if (turn === 270) return ['transpose=cclock'];
  return [];
}

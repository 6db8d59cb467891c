/**
 * Where a job's files live, below every stage that writes them: the work directory's layout and
 * names (segments/, encoded/, segment_list.txt, the manifest and the marker), the default output
 * and work directory, the output's temporary name, and placing the finished output without
 * overwriting what the user did not ask us to.
 */
export {
  MANIFEST_FILE,
  MARKER_FILE,
  WORK_DIR_OWN_DIRS,
  WORK_DIR_OWN_FILES,
  defaultOutputPath,
  defaultWorkDir,
  isOwnWorkDirEntry,
  workDirLayout,
  type WorkDirLayout,
} from './workdir';
export { checkOutputTarget, placeOutput } from './output-target';
export { createPartialOutput, isPartialOutputPath, removeRecordedPartial } from './partial-output';
export { jobStateFileRefusal, requireOwnEntries, requireOwnEntry, requireOwnSegmentFiles } from './own-entries';

import { runProcess, ProcessError } from './processes';
import { UserError } from '../errors';

/**
 * Which ffmpeg/ffprobe to run and what they can do. Paths come from the caller (CLI flags, editor
 * settings) or the CHUNKED_AV1_FFMPEG / CHUNKED_AV1_FFPROBE environment variables, else PATH.
 * Capabilities are detected once per binary and cached for the life of the process.
 */
export interface Tools {
  ffmpeg: string;
  ffprobe: string;
  /**
   * The ffmpeg whose libvmaf filter measures VMAF, when it is not `ffmpeg` (--vmaf-ffmpeg,
   * CHUNKED_AV1_VMAF_FFMPEG): users often have one build with libsvtav1 and another with libvmaf.
   */
  vmafFfmpeg?: string;
}

/**
 * libvmaf's generation as ffmpeg's filter exposes it: 1.x takes `model_path` (a .pkl model),
 * 2.x and later take `model` (a built-in version or a JSON file).
 */
export type LibvmafApi = 'v1' | 'v2';

export interface ToolCapabilities {
  version: string;
  hasLibsvtav1: boolean;
  hasLibvmaf: boolean;
  hasLibdav1d: boolean;
  /** Present when hasLibvmaf. */
  libvmafApi?: LibvmafApi;
  /** SVT-AV1 library version as printed by the encoder, when known. */
  svtav1Version?: string;
}

export function resolveTools(overrides: Partial<Tools> = {}): Tools {
  return {
    ffmpeg: overrides.ffmpeg || process.env.CHUNKED_AV1_FFMPEG || 'ffmpeg',
    ffprobe: overrides.ffprobe || process.env.CHUNKED_AV1_FFPROBE || 'ffprobe',
    vmafFfmpeg: overrides.vmafFfmpeg || process.env.CHUNKED_AV1_VMAF_FFMPEG || undefined,
  };
}

/** The tools with `ffmpeg` replaced by the one that runs the libvmaf filter. */
export function libvmafTools(tools: Tools): Tools {
  return tools.vmafFfmpeg ? { ...tools, ffmpeg: tools.vmafFfmpeg } : tools;
}

const HOW_TO_GET_FFMPEG =
  'install an ffmpeg built with libsvtav1 (Debian/Ubuntu: `apt-get install ffmpeg`; macOS: `brew install ffmpeg`; ' +
  'Windows: a "full" build from gyan.dev or BtbN), or point --ffmpeg / CHUNKED_AV1_FFMPEG at one';

const cache = new Map<string, Promise<ToolCapabilities>>();

/** A tool check is a few milliseconds of work; a program that has not answered by then never will. */
const TOOL_CHECK_MS = 30_000;

/** Runs one tool check with the time-out. */
function check(ffmpeg: string, args: string[], name = 'ffmpeg'): Promise<string> {
  return runProcess(ffmpeg, args, { timeoutMs: TOOL_CHECK_MS }).then(
    (r) => r.stdout,
    (error: unknown) => {
      if (error instanceof ProcessError && error.timedOut)
        throw new UserError(`${ffmpeg}: did not answer \`${args.join(' ')}\` within ${TOOL_CHECK_MS / 1000} s; is it ${name}?`, ffmpeg);
      throw error;
    },
  );
}

async function detect(ffmpeg: string): Promise<ToolCapabilities> {
  let versionText: string;
  try {
    versionText = await check(ffmpeg, ['-hide_banner', '-version']);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (error instanceof ProcessError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`${ffmpeg}: ffmpeg was not found or does not run; ${HOW_TO_GET_FFMPEG}`, ffmpeg);
    }
    throw error;
  }
  if (!/ffmpeg version/i.test(versionText)) {
    throw new UserError(`${ffmpeg}: this program is not ffmpeg (no version banner); ${HOW_TO_GET_FFMPEG}`, ffmpeg);
  }
  const [encoders, filters, decoders] = await Promise.all([
    check(ffmpeg, ['-hide_banner', '-encoders']),
    check(ffmpeg, ['-hide_banner', '-filters']),
    check(ffmpeg, ['-hide_banner', '-decoders']),
  ]);
  const hasLibvmaf = /^\s*\S*\s+libvmaf\s/m.test(filters);
  const libvmafHelp = hasLibvmaf ? await check(ffmpeg, ['-hide_banner', '-h', 'filter=libvmaf']) : '';
  return {
    version: versionText.split('\n')[0]?.trim() ?? '',
    hasLibsvtav1: /^\s*V\S*\s+libsvtav1\b/m.test(encoders),
    hasLibvmaf,
    libvmafApi: hasLibvmaf ? libvmafApiOf(libvmafHelp) : undefined,
    hasLibdav1d: /^\s*V\S*\s+libdav1d\b/m.test(decoders),
  };
}

const HOW_TO_GET_FFPROBE =
  'install ffprobe with ffmpeg (Debian/Ubuntu: `apt-get install ffmpeg`), or point --ffprobe / CHUNKED_AV1_FFPROBE at one';

/**
 * Throws the tool's one line when ffprobe itself does not run (missing, not executable, not
 * ffprobe, exits with an error on `-version`). Asked after ffprobe failed on an input, so a
 * broken tool is blamed, not the input; a working one costs nothing on the good path.
 */
export async function requireWorkingFfprobe(tools: Pick<Tools, 'ffprobe'>): Promise<void> {
  const { ffprobe } = tools;
  let versionText: string;
  try {
    versionText = await check(ffprobe, ['-hide_banner', '-version'], 'ffprobe');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const line =
      error instanceof ProcessError
        ? (error.stderrTail
            .map((l) => l.trim())
            .filter(Boolean)
            .pop() ?? error.message.split('\n')[0]!)
        : (code ?? String(error));
    // Children start through setpriv (sys/processes.ts): its "failed to execute PATH: " is ours to drop.
    const cause = /^setpriv: failed to execute /.test(line) ? line.slice(line.lastIndexOf(': ') + 2) : line;
    throw new UserError(`${ffprobe}: ffprobe does not run (${cause}); ${HOW_TO_GET_FFPROBE}`, ffprobe);
  }
  if (!/ffprobe version/i.test(versionText))
    throw new UserError(`${ffprobe}: this program is not ffprobe (no version banner); ${HOW_TO_GET_FFPROBE}`, ffprobe);
}

/** Reads the libvmaf generation from `ffmpeg -h filter=libvmaf`. */
export function libvmafApiOf(filterHelp: string): LibvmafApi {
  return /^\s*model_path\s/m.test(filterHelp) && !/^\s*model\s/m.test(filterHelp) ? 'v1' : 'v2';
}

export function toolCapabilities(tools: Tools): Promise<ToolCapabilities> {
  let found = cache.get(tools.ffmpeg);
  if (!found) {
    found = detect(tools.ffmpeg);
    found.catch(() => cache.delete(tools.ffmpeg));
    cache.set(tools.ffmpeg, found);
  }
  return found;
}

/** Fails with one clear line when ffmpeg is missing or cannot encode AV1 with SVT-AV1. */
export async function requireEncoder(tools: Tools): Promise<ToolCapabilities> {
  const caps = await toolCapabilities(tools);
  if (!caps.hasLibsvtav1) {
    throw new UserError(`${tools.ffmpeg}: this ffmpeg has no libsvtav1 encoder; ${HOW_TO_GET_FFMPEG}`, tools.ffmpeg);
  }
  return caps;
}

/**
 * Checks a --vmaf-ffmpeg before any work starts: it runs and has a libvmaf filter. Without one,
 * nothing to check (VMAF runs in `ffmpeg`, or the built-in engine).
 */
export async function requireVmafFfmpeg(tools: Tools): Promise<void> {
  const vmafFfmpeg = tools.vmafFfmpeg;
  if (!vmafFfmpeg) return;
  let caps: ToolCapabilities;
  try {
    caps = await toolCapabilities(libvmafTools(tools));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(`${vmafFfmpeg}: the VMAF ffmpeg (--vmaf-ffmpeg) was not found or is not ffmpeg`, vmafFfmpeg);
  }
  if (!caps.hasLibvmaf) throw new UserError(`${vmafFfmpeg}: the VMAF ffmpeg (--vmaf-ffmpeg) has no libvmaf filter`, vmafFfmpeg);
}

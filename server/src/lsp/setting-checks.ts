/**
 * The checks of editor settings that need the server's own parsers (common/ cannot import them):
 * `chunkedAv1.hosts` goes through the same parser as the CLI's --hosts, so the editor refuses
 * exactly what the CLI refuses, with the same line.
 */
import type { SettingChecks } from '../../../common/settings';
import { parseHostList } from '../hosts';

export const SETTING_CHECKS: SettingChecks = {
  checkHosts: (hosts) => void parseHostList(hosts.join(',')),
};

/**
 * The host grammar, written once: one `--hosts` / `--hosts-file` / `chunkedAv1.hosts` entry is
 * `[N/][user@]host[:port]` (N workers on that host) or `:` (this machine). The settings schema
 * (settings.ts) and package.json's `items.pattern` use HOST_ENTRY_PATTERN (a unit test holds
 * package.json to it); the CLI's parser (server/src/hosts/host-spec.ts) builds its user and host
 * checks from the same parts and adds what a pattern cannot say: worker and port ranges,
 * duplicates, and the one-line reason for a refusal.
 */
export const LOCAL_HOST = ':';
/** The most workers one entry may ask for (N/). */
export const MAX_WORKERS_PER_HOST = 256;
/** A user name: letters, digits, ".", "-", "_", not starting with "-", "." or a digit. */
export const USER_NAME_SOURCE = '[A-Za-z_][A-Za-z0-9_.-]{0,31}';
/** A host name, IPv4 address or ~/.ssh/config alias: letters, digits, ".", "-", "_", at most 253, not starting or ending with "." or "-". */
export const HOST_NAME_SOURCE = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?';
/** One whole entry, as far as a pattern can check it (ports up to five digits; the parser checks the range). */
export const HOST_ENTRY_PATTERN = new RegExp(`^(\\d+/)?(:|(${USER_NAME_SOURCE}@)?${HOST_NAME_SOURCE}(:\\d{1,5})?)$`);

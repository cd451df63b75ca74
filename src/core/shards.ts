/**
 * Which gateway shards a process runs, and so which servers it acts for. Discord sends a server's events to
 * shard `(guild_id >> 22) % shard_count`; a process acts, on its own initiative (scheduled posts, recovery,
 * concluding it was removed), only for servers on its shards, so two processes never both do one server's
 * work.
 */
export interface ShardSet {
  /** Shards in all, the same in every process. */
  readonly count: number;
  /** The shards this process runs, ascending. */
  readonly ids: readonly number[];
}

/** The shard Discord routes a server to. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Whether a process running `shards` acts for `guildId`. */
export function ownsGuild(shards: ShardSet, guildId: string): boolean {
  return shards.ids.includes(shardOf(guildId, shards.count));
}

/** Every shard of `count`: one process running them all. */
export function allShards(count: number): ShardSet {
  return { count, ids: Array.from({ length: count }, (_, id) => id) };
}

/**
 * Reads a list of shards such as `0-3`, `0,2` or `4-7,9`, each below `count`. A description of what is
 * wrong when it cannot.
 */
export function parseShardList(text: string, count: number): ShardSet | string {
  const ids = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/u.exec(part);
    if (!range) return `"${part}" is not a shard number or a range like 0-3`;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) return `the range ${part} runs backwards`;
    if (to >= count)
      return `shard ${to} does not exist when SHARD_COUNT is ${count} (shards are 0 to ${count - 1})`;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return { count, ids: [...ids].sort((a, b) => a - b) };
}

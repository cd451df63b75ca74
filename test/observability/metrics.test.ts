import { describe, expect, it } from 'vitest';
import { MAX_INTERACTION_NAMES, Metrics } from '../../src/observability/metrics.js';

/** The exposition's samples, `name{labels}` to value; comments and blank lines left out. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const lines = async (metrics: Metrics) => (await metrics.text()).split('\n');

describe('metrics', () => {
  it('counts interactions by kind, name and outcome, and times them by kind', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.interactionAnswered('command', 'excerpt', 'answered', 0.012);
    metrics.interactionAnswered('command', 'excerpt', 'answered', 0.2);
    metrics.interactionAnswered('component', 'another', 'storage_error', 4);
    metrics.interactionAnswered('autocomplete', 'excerpt', 'gone', 0.003);
    const text = await lines(metrics);
    expect(text).toContain('crux_interactions_total{kind="command",name="excerpt",outcome="answered"} 2');
    expect(text).toContain(
      'crux_interactions_total{kind="component",name="another",outcome="storage_error"} 1',
    );
    expect(text).toContain('crux_interactions_total{kind="autocomplete",name="excerpt",outcome="gone"} 1');
    expect(text).toContain('# TYPE crux_interaction_duration_seconds histogram');
    // 5 ms to 5 s, with Discord's 3-second window as an edge.
    expect(text).toContain('crux_interaction_duration_seconds_bucket{le="0.005",kind="autocomplete"} 1');
    expect(text).toContain('crux_interaction_duration_seconds_bucket{le="0.01",kind="command"} 0');
    expect(text).toContain('crux_interaction_duration_seconds_bucket{le="0.025",kind="command"} 1');
    expect(text).toContain('crux_interaction_duration_seconds_bucket{le="3",kind="component"} 0');
    expect(text).toContain('crux_interaction_duration_seconds_bucket{le="5",kind="component"} 1');
    expect(text).toContain('crux_interaction_duration_seconds_count{kind="command"} 2');
    expect(samples(text.join('\n')).get('crux_interaction_duration_seconds_sum{kind="command"}')).toBeCloseTo(
      0.212,
    );
  });

  it('records scheduler ticks, the backlog and when the last tick finished', async () => {
    const metrics = new Metrics({ defaultMetrics: false, clock: () => new Date(1_700_000_000_000) });
    metrics.tick(0.0008, 0);
    metrics.tick(2.5, 7);
    const text = await lines(metrics);
    expect(text).toContain('# TYPE crux_scheduler_tick_duration_seconds histogram');
    expect(text).toContain('crux_scheduler_tick_duration_seconds_bucket{le="0.001"} 1');
    expect(text).toContain('crux_scheduler_tick_duration_seconds_bucket{le="5"} 2');
    expect(text).toContain('crux_scheduler_tick_duration_seconds_count 2');
    expect(text).toContain('crux_scheduler_backlog 7');
    expect(text).toContain('crux_scheduler_last_tick_timestamp_seconds 1700000000');
  });

  it('counts posts, pauses and 429s, and gauges gateway ping per shard in seconds', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    for (const kind of ['kickoff', 'reminder', 'poll', 'results', 'notice'] as const) metrics.posted(kind);
    metrics.posted('kickoff');
    metrics.paused('no-permission');
    metrics.paused('facilitator');
    metrics.rateLimited('route');
    metrics.rateLimited('route');
    metrics.rateLimited('global');
    metrics.gatewayPing(0, 42);
    metrics.gatewayPing(1, 120);
    const text = await lines(metrics);
    expect(text).toContain('crux_posts_total{kind="kickoff"} 2');
    expect(text).toContain('crux_posts_total{kind="notice"} 1');
    expect(text).toContain('crux_schedule_pauses_total{reason="no-permission"} 1');
    expect(text).toContain('crux_schedule_pauses_total{reason="facilitator"} 1');
    expect(text).toContain('crux_rest_rate_limits_total{scope="route"} 2');
    expect(text).toContain('crux_rest_rate_limits_total{scope="global"} 1');
    expect(text).toContain('crux_gateway_ping_seconds{shard="0"} 0.042');
    expect(text).toContain('crux_gateway_ping_seconds{shard="1"} 0.12');

    // discord.js reports -1 before a shard's first heartbeat: the series goes rather than show a lie.
    metrics.gatewayPing(1, -1);
    const after = samples(await metrics.text());
    expect(after.has('crux_gateway_ping_seconds{shard="1"}')).toBe(false);
    expect(after.get('crux_gateway_ping_seconds{shard="0"}')).toBe(0.042);
  });

  it('keeps each instance to its own registry', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.posted('poll');
    expect(await lines(a)).toContain('crux_posts_total{kind="poll"} 1');
    expect(samples(await b.text()).has('crux_posts_total{kind="poll"}')).toBe(false);
  });

  it("collects Node's process metrics under the crux_ prefix, and names every metric crux_", async () => {
    const metrics = new Metrics({ labels: { shards: '0-1' } });
    metrics.posted('poll');
    const text = await metrics.text();
    const names = [...text.matchAll(/^# TYPE (\S+) /gmu)].map((match) => match[1]);
    expect(names).toContain('crux_process_cpu_seconds_total');
    expect(names).toContain('crux_process_resident_memory_bytes');
    expect(names).toContain('crux_nodejs_eventloop_lag_seconds');
    expect(names.every((name) => name?.startsWith('crux_'))).toBe(true);
    expect(text.split('\n')).toContain('crux_posts_total{kind="poll",shards="0-1"} 1');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/u);
  });

  it('bounds the name label: malformed or past the limit, a name counts as other', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.interactionAnswered('component', 'excerpt:another:1234567890:extra stuff', 'answered', 0.01);
    for (let i = 0; i < MAX_INTERACTION_NAMES + 5; i++)
      metrics.interactionAnswered('command', `c${i}`, 'answered', 0.01);
    const all = samples(await metrics.text());
    expect(all.get('crux_interactions_total{kind="component",name="other",outcome="answered"}')).toBe(1);
    expect(all.get('crux_interactions_total{kind="command",name="other",outcome="answered"}')).toBe(5);
    const series = [...all.keys()].filter((key) => key.startsWith('crux_interactions_total{'));
    expect(series).toHaveLength(MAX_INTERACTION_NAMES + 2);
  });

  it('ignores durations that are not times without losing the count', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.interactionAnswered('command', 'crux', 'failed', Number.NaN);
    metrics.tick(-1, Number.NaN);
    const all = samples(await metrics.text());
    expect(all.get('crux_interactions_total{kind="command",name="crux",outcome="failed"}')).toBe(1);
    expect(all.has('crux_interaction_duration_seconds_count{kind="command"}')).toBe(false);
    expect(all.get('crux_scheduler_tick_duration_seconds_count')).toBe(0);
  });
});

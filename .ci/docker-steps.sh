#!/usr/bin/env bash
# The Dockerfile's steps, run outside Docker: no image can be built on this project's machines (no image
# registry is reachable), so this runs the same commands on the same files and checks that the runtime
# stage's file set can run the bot.
#
#   build stage:  package*.json → npm ci → tsconfig*.json, src, commands → npm run build
#   deps stage:   package*.json → npm ci --omit=dev          (in parallel with build, as BuildKit does)
#   final stage:  package*.json, deps' node_modules, build's dist, data, .crux → the state folder
#
# Then, in that final layout (no dev dependency, no source, nothing from this checkout's node_modules), it
# proves the production dependencies are enough: every compiled module loads, the corpus is found and valid,
# the SQLite driver stores and reads through the .crux link, a chart renders (Vega, resvg and the font),
# `node dist/src/index.js` starts as far as its configuration check, and the Dockerfile's own HEALTHCHECK
# command passes against a healthy /healthz, fails against a down one, and passes without HEALTH_PORT.
#
# What it cannot show: anything about the base image itself (apt packages, the node image's npm version,
# file ownership, the volume, running as `node`). Run by .ci/run; about 2 minutes, most of it compiling
# the SQLite driver twice.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

work=$(mktemp -d "${TMPDIR:-/tmp}/crux-docker-steps.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Node looks for packages in every parent folder's node_modules; one above the work folder would hide a
# missing production dependency.
for dir in "$work" "$(dirname "$work")" /; do
  if [[ -e "$dir/node_modules" ]]; then
    echo "docker-steps: $dir/node_modules exists and would leak into the check; set TMPDIR elsewhere" >&2
    exit 1
  fi
done

step() { printf '\n== %s\n' "$*"; }
# Runs a command quietly in a folder; on failure prints its output and fails.
quiet() {
  local dir=$1 log=$2
  shift 2
  if ! (cd "$dir" && "$@") >"$log" 2>&1; then
    echo "docker-steps: '$*' failed in $dir:" >&2
    tail -n 60 "$log" >&2
    return 1
  fi
}

export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

step 'build and deps stages (npm ci, npm run build | npm ci --omit=dev)'
started=$SECONDS
mkdir "$work/build" "$work/deps"
cp package.json package-lock.json "$work/build/"
cp package.json package-lock.json "$work/deps/"
build_stage() {
  quiet "$work/build" "$work/build-ci.log" npm ci
  cp tsconfig.json tsconfig.build.json "$work/build/"
  cp -R src commands "$work/build/"
  quiet "$work/build" "$work/build.log" npm run build
}
build_stage &
build_pid=$!
deps_status=0
quiet "$work/deps" "$work/deps-ci.log" npm ci --omit=dev || deps_status=$?
build_status=0
wait "$build_pid" || build_status=$?
((build_status == 0 && deps_status == 0)) || exit 1
echo "done in $((SECONDS - started)) s"

step 'final stage layout'
app=$work/app
mkdir "$app" "$work/data"
cp package.json package-lock.json "$app/"
mv "$work/deps/node_modules" "$app/node_modules"
mv "$work/build/dist" "$app/dist"
cp -R data "$app/data"
ln -s "$work/data" "$app/.crux"
rm -rf "$work/build" "$work/deps"
if [[ -e "$app/node_modules/typescript" || -e "$app/node_modules/vitest" ]]; then
  echo 'docker-steps: dev dependencies in the runtime node_modules' >&2
  exit 1
fi
echo "$(find "$app/dist" -name '*.js' | wc -l) compiled modules, $(du -sh "$app/node_modules" | cut -f1) of production dependencies"

step 'the runtime stage runs the bot'
healthcheck=$(sed -n 's/^HEALTHCHECK .* CMD //p' "$repo/Dockerfile")
if [[ -z "$healthcheck" ]]; then
  echo 'docker-steps: no one-line HEALTHCHECK … CMD … in the Dockerfile' >&2
  exit 1
fi
cat >"$work/check.mjs" <<'EOF'
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const app = process.cwd();
const load = (file) => import(pathToFileURL(path.join(app, file)).href);
const ok = (what) => console.log(`ok  ${what}`);
const fail = (what) => {
  console.error(`FAIL ${what}`);
  process.exit(1);
};

// Every compiled module loads with the production dependencies alone. The entry points run on import, so
// they are left to the checks below.
const modules = [];
const walk = (dir) => {
  for (const entry of readdirSync(path.join(app, dir), { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (file.endsWith('.js')) modules.push(file);
  }
};
walk('dist');
const entryPoints = (file) => file === path.join('dist', 'src', 'index.js') || file.startsWith(path.join('dist', 'src', 'cli') + path.sep);
for (const file of modules.filter((file) => !entryPoints(file))) await load(file);
ok(`${modules.length} modules (${modules.filter(entryPoints).length} entry points checked below)`);

const { loadValidCorpus } = await load('dist/src/core/corpus/read.js');
const corpus = await loadValidCorpus();
ok(`corpus from data/: ${corpus.texts.length} texts, ${corpus.sessions.length} sessions`);

// The default KEYV_URL, through the .crux link the image makes to the state volume.
const { openState } = await load('dist/src/state/index.js');
const state = await openState('sqlite://.crux/state.sqlite', (error) => fail(`storage error: ${error}`));
await state.check();
await state.close();
if (!existsSync(path.join(app, '.crux', 'state.sqlite'))) fail('no state.sqlite in the state folder');
ok('SQLite state through .crux (the native driver loads)');

const { chartAttachment } = await load('dist/src/charts/render.js');
const chart = await chartAttachment(
  { title: 'Check', series: ['Votes'], rows: [{ label: 'A', values: [2] }, { label: 'B', values: [1] }], unit: 'votes' },
  'check.png',
);
if (chart.data.length < 1000 || chart.data[1] !== 0x50) fail('the chart is not a PNG');
ok(`a chart renders (${chart.data.length} bytes of PNG)`);

// `node dist/src/index.js` with nothing configured: it must load everything and stop at the configuration.
const bare = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
const start = spawnSync(process.execPath, ['dist/src/index.js'], { cwd: app, env: bare, encoding: 'utf8', timeout: 30_000 });
if (start.status !== 1 || !start.stderr.includes('DISCORD_TOKEN is missing')) {
  fail(`node dist/src/index.js: exit ${start.status}\n${start.stdout}${start.stderr}`);
}
ok('node dist/src/index.js starts and stops at the configuration check (exit 1)');

// The Dockerfile's HEALTHCHECK, as Docker runs it (sh -c), against the health server from dist/.
const { startHealthServer } = await load('dist/src/observability/health.js');
const { Metrics } = await load('dist/src/observability/metrics.js');
const healthcheck = process.env.HEALTHCHECK_CMD;
// Asynchronously: the server answering it runs in this process.
const probe = (port) =>
  new Promise((resolve) => {
    const child = spawn('sh', ['-c', healthcheck], {
      cwd: app,
      env: { ...bare, ...(port === undefined ? {} : { HEALTH_PORT: String(port) }) },
      stdio: 'inherit',
      timeout: 10_000,
    });
    child.on('exit', (code) => resolve(code));
  });
for (const [connected, expected] of [[true, 0], [false, 1]]) {
  const server = await startHealthServer({
    port: 0,
    shards: () => [{ id: 0, connected, pingMs: 40 }],
    lastTickAt: () => new Date(),
    tickIntervalMs: 30_000,
    checkStore: async () => true,
    metrics: new Metrics(),
  });
  const status = await probe(server.port);
  await server.close();
  if (status !== expected) fail(`HEALTHCHECK against a ${connected ? 'healthy' : 'down'} bot: exit ${status}`);
}
if ((await probe(undefined)) !== 0) fail('HEALTHCHECK without HEALTH_PORT does not pass');
ok('HEALTHCHECK: 0 when healthy, 1 when down, 0 without HEALTH_PORT');
process.exit(0);
EOF
(cd "$app" && NODE_ENV=production HEALTHCHECK_CMD=$healthcheck node "$work/check.mjs")
echo
echo "docker-steps: the Dockerfile's commands work and its runtime file set runs the bot ($SECONDS s)"

#!/usr/bin/env bash
# Goes on with bench/evidence/selfplay-runs.sh's plan after its lanes were stopped: waits for the runs still in flight,
# resumes the ones that failed from their saved state (weblab run --resume), and runs every config not yet in the records.
#   bench/evidence/selfplay-continue.sh WEBLAB_BIN DATA_DIR
set -euo pipefail
bin=$1 data=$2
db="$data/weblab.db"
status() { python3 -c "import sqlite3,sys; c=sqlite3.connect('file:$db?mode=ro',uri=True); r=c.execute('select Status from Experiments where Name=?',(sys.argv[1],)).fetchone(); print(r[0] if r else 'none')" "$1"; }
id_of() { python3 -c "import sqlite3,sys; c=sqlite3.connect('file:$db?mode=ro',uri=True); print(c.execute('select Id from Experiments where Name=? order by Id desc',(sys.argv[1],)).fetchone()[0])" "$1"; }
lane() {   # preset: every config of the preset, in the first script's order
  local preset=$1 seed method name s
  for seed in 1 2 3; do
    for method in grpo lsp lsp-zero; do
      name="$method $preset seed $seed"
      while [ "$(status "$name")" = Running ] || [ "$(status "$name")" = Queued ]; do sleep 30; done   # a run of the stopped lanes
      s=$(status "$name")
      if [ "$s" = Failed ]; then
        "$bin/weblab" run --resume "$(id_of "$name")" --WebLab:DataDirectory="$data" >> "$data/$preset.log" 2>&1 || echo "FAILED: $name (resume)" >> "$data/$preset.log"
      elif [ "$s" = none ]; then
        "$bin/weblab" run --config "$data/configs/$method-$preset-s$seed.json" --WebLab:DataDirectory="$data" >> "$data/$preset.log" 2>&1 \
          || echo "FAILED: $name" >> "$data/$preset.log"
      fi
    done
  done
}
lane tiny-cpu &
lane headroom &
wait

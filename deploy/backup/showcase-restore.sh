#!/bin/sh
# Restore a backup made by showcase-backup.sh into a NEW database, to check it or
# to switch to it: showcase-restore.sh FILE NEW_DATABASE. Nothing existing is
# overwritten. The connection comes from libpq's variables (PGHOST, PGPORT, PGUSER).
set -eu
file="${1:?Usage: showcase-restore.sh FILE NEW_DATABASE}"
target="${2:?Usage: showcase-restore.sh FILE NEW_DATABASE}"
createdb "$target"
pg_restore --no-owner --exit-on-error --dbname="$target" "$file"
echo "Restored $file into $target"

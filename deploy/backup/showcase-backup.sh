#!/bin/sh
# A logical backup of Showcase's database: pg_dump's custom format, one file a
# run, checked readable at once, the old ones removed. The connection comes from
# libpq's variables (PGHOST, PGPORT, PGUSER, PGDATABASE). The WAL archive
# (deploy/postgresql/primary.conf) covers the time between two runs.
#   SHOWCASE_BACKUP_DIR        where the files go (required)
#   SHOWCASE_BACKUP_KEEP_DAYS  how long they are kept (default 14)
set -eu
: "${SHOWCASE_BACKUP_DIR:?Set SHOWCASE_BACKUP_DIR to the folder for backups}"
keep_days="${SHOWCASE_BACKUP_KEEP_DAYS:-14}"
database="${PGDATABASE:-showcase}"
mkdir -p "$SHOWCASE_BACKUP_DIR"
file="$SHOWCASE_BACKUP_DIR/$database-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --file="$file.partial" "$database"
# A file pg_restore cannot list is no backup: fail loudly now, not on the day it is needed.
pg_restore --list "$file.partial" > /dev/null
mv "$file.partial" "$file"
find "$SHOWCASE_BACKUP_DIR" -name "$database-*.dump" -mtime "+$keep_days" -delete
echo "$file"

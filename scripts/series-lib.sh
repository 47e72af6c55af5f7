# SPDX-License-Identifier: GPL-2.0
#
# series-lib.sh - the series that `make` produced, read from
# out/series/series.json; source it.

# The series under test, from out/series/series.json.
series_base() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base"])' out/series/series.json; }
series_commits() { python3 -c 'import json,sys; [print(p["commit"]) for p in json.load(open(sys.argv[1]))["patches"]]' out/series/series.json; }
series_files() { python3 -c 'import json,sys; print("\n".join(sorted({f for p in json.load(open(sys.argv[1]))["patches"] for f in p["files"]})))' out/series/series.json; }

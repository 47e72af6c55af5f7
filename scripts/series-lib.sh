# SPDX-License-Identifier: GPL-2.0
#
# series-lib.sh - the series that `make` produced, read from
# "${OUT:-out}/series/series.json"; source it.

# The series under test, from "${OUT:-out}/series/series.json".
series_base() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base"])' "${OUT:-out}/series/series.json"; }
series_commits() { python3 -c 'import json,sys; [print(p["commit"]) for p in json.load(open(sys.argv[1]))["patches"]]' "${OUT:-out}/series/series.json"; }
series_files() { python3 -c 'import json,sys; print("\n".join(sorted({f for p in json.load(open(sys.argv[1]))["patches"] for f in p["files"]})))' "${OUT:-out}/series/series.json"; }

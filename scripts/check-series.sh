#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-series.sh - the series regenerated on this tree (a second tree's
# first stage): every recipe applies, every conversion converts all it must
# and leaves nothing behind (scripts/series.sh stops otherwise, naming the
# recipe, the script and the file).
set -uo pipefail
. scripts/check-lib.sh

check_run "series:regenerate" scripts/series.sh

# SPDX-License-Identifier: AGPL-3.0-or-later
# The name the module registers under (its manifest), by which a territory switches it.
MODULE = "surveys"

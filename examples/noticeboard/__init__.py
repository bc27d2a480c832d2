# SPDX-License-Identifier: AGPL-3.0-or-later
"""A minimal participation module, written on the module contract alone (docs/modules.md).

Anyone signed in pins a short notice on the map of a participatory space. It is not part of
the product (it is not in INSTALLED_APPS): it shows the next module's author what a module
provides and is tested on settings of its own (tests/settings_example.py), with every part
of the house reading it through the registry — its tiles, its part of the map style, its
page, its section of "download my data", its demo.
"""

# SPDX-License-Identifier: AGPL-3.0-or-later
app_name = "opendata"
urlpatterns: list = []

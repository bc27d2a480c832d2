# SPDX-License-Identifier: AGPL-3.0-or-later
"""/accounts/: our pages first, then allauth's (sign-in, e-mail confirmation, password)."""

from django.urls import include, path

from . import recovery_codes, views

urlpatterns = [
    path("", views.account_home, name="account_home"),
    path("login/", views.LoginView.as_view(), name="account_login"),
    path("signup/", views.SignupView.as_view(), name="account_signup"),
    path("preferences/", views.preferences, name="account_preferences"),
    path("data/", views.data_export, name="account_data"),
    path("data/<uuid:job>/", views.data_export_download, name="account_data_download"),
    path("delete/", views.account_delete, name="account_delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="account_unsubscribe"),
    path("privacy/", views.privacy, name="account_privacy"),
    path("consent/", views.consent, name="account_consent"),
    path("2fa/authenticate/", views.SecondFactorView.as_view(), name="mfa_authenticate"),
    path("2fa/totp/activate/", views.AuthenticatorAppView.as_view(), name="mfa_activate_totp"),
    path(
        "2fa/recovery-codes/",
        recovery_codes.RecoveryCodesView.as_view(),
        name="mfa_view_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/download/",
        recovery_codes.RecoveryCodesDownloadView.as_view(),
        name="mfa_download_recovery_codes",
    ),
    path("", include("allauth.urls")),
]

from django.urls import path

from . import views, views_signin

urlpatterns = [
    path("login/otp/", views_signin.login_otp, name="security_login_otp"),
    path("login/enrol/", views_signin.login_enrol, name="security_login_enrol"),
    path("password/", views.password_change, name="security_password_change"),
    path("account/", views.account, name="security_account"),
    path("account/two-factor/", views.two_factor_enrol, name="security_two_factor_enrol"),
    path("account/two-factor/disable/", views.two_factor_disable, name="security_two_factor_disable"),
    path("account/recovery-codes/", views.recovery_codes_regenerate, name="security_recovery_codes"),
    path("policy/", views.policy, name="security_policy"),
    path("locks/release/", views.lock_release, name="security_lock_release"),
    path("users/<uuid:code>/unlock/", views.user_unlock, name="security_user_unlock"),
    path(
        "users/<uuid:code>/two-factor/reset/",
        views.user_two_factor_reset,
        name="security_user_two_factor_reset",
    ),
]

"""What the platform keeps about accounts beyond Django's user: the forced password
change, each signed-in session, and the identity an OpenID Connect provider vouches for."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models


class AccountState(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state"
    )
    # Set by an administrator (or for a password an administrator chose): every
    # page leads to the password form until the user has chosen a new one.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)


class UserSession(models.Model):
    """One signed-in browser, listed on the user's security page so they can end it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    # Ends with its session: logout, expiry (clearsessions), or being ended from the list.
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("登录时间", auto_now_add=True)
    last_seen_at = models.DateTimeField("最近活动", auto_now_add=True)
    ip_address = models.GenericIPAddressField("地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    # "local" (password) or "oidc" (统一身份认证).
    method = models.CharField(max_length=8, default="local")

    class Meta:
        ordering = ["-last_seen_at", "-id"]


class ExternalIdentity(models.Model):
    """The provider's subject for a user who signs in through 统一身份认证.

    Matched by (issuer, subject) only, never by username or e-mail, so that a
    provider account can never take over a local account of the same name.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="external_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_subject")
        ]
